import { describe, expect, it } from "vitest";
import { withSessionOptions } from "../../src/store/postgres.js";

// node-postgres lets options in a URL replace the ones it is given: the store passes both as one.
describe("the PostgreSQL session options", () => {
  it("keeps a URL's own options (a search_path, say) and adds the store's after them", () => {
    const { connectionString, options } = withSessionOptions(
      "postgres://mesh:secret@db:5432/mesh?options=-c%20search_path%3Dteam&sslmode=require",
      "-c synchronous_commit=off",
    );
    expect(options).toBe("-c search_path=team -c synchronous_commit=off");
    expect(connectionString).toBe("postgres://mesh:secret@db:5432/mesh?sslmode=require");
  });

  it("leaves a URL without options as it is", () => {
    const url = "postgresql://db/mesh";
    expect(withSessionOptions(url, "-c synchronous_commit=off")).toEqual({
      connectionString: url,
      options: "-c synchronous_commit=off",
    });
  });
});
