import { MeshError } from "../core/errors.js";
import type { Store } from "./store.js";

/** Opens the store DATABASE_URL names: sqlite: for one process, postgres:// for several replicas. */
export async function openStore(databaseUrl: string): Promise<Store> {
  if (databaseUrl.startsWith("sqlite:")) {
    const { SqliteStore } = await import("./sqlite.js");
    return SqliteStore.open(databaseUrl);
  }
  if (/^postgres(?:ql)?:\/\//.test(databaseUrl)) {
    const { PostgresStore } = await import("./postgres.js");
    return PostgresStore.connect(databaseUrl);
  }
  throw new MeshError("CONFIG_INVALID", "DATABASE_URL must start with sqlite: or postgres://.");
}
