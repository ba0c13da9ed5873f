import { MeshError } from "../core/errors.js";
import type { InstallationStore, StoreOptions } from "./installations.js";
import type { Store } from "./store.js";

/**
 * Opens the store DATABASE_URL names: sqlite: for one process, postgres:// for several replicas. It keeps
 * installations too when `options.encryption` holds the key their tokens are sealed with.
 */
export async function openStore(
  databaseUrl: string,
  options: StoreOptions = {},
): Promise<Store & InstallationStore> {
  if (databaseUrl.startsWith("sqlite:")) {
    const { SqliteStore } = await import("./sqlite.js");
    return SqliteStore.open(databaseUrl, options);
  }
  if (/^postgres(?:ql)?:\/\//.test(databaseUrl)) {
    const { PostgresStore } = await import("./postgres.js");
    return PostgresStore.connect(databaseUrl, options);
  }
  throw new MeshError("CONFIG_INVALID", "DATABASE_URL must start with sqlite: or postgres://.");
}
