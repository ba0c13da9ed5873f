import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { keyId, SecretBox } from "../../src/store/secrets.js";

const KEY = randomBytes(32);
const TOKEN = "xoxb-123-456-abcdefghijklmnop";

describe("sealing tokens with AES-256-GCM", () => {
  const box = new SecretBox({ key: KEY });

  it("opens what it sealed, and seals the same token differently each time", () => {
    const a = box.seal(TOKEN, "slack/T1/bot");
    const b = box.seal(TOKEN, "slack/T1/bot");
    expect(a).not.toBe(b);
    expect(a).not.toContain(TOKEN);
    expect(a.startsWith(`v1.${keyId(KEY)}.`)).toBe(true);
    expect(box.open(a, "slack/T1/bot")).toEqual({ value: TOKEN, stale: false });
    expect(box.open(b, "slack/T1/bot").value).toBe(TOKEN);
  });

  it("refuses a value moved to another workspace or field", () => {
    const sealed = box.seal(TOKEN, "slack/T1/bot");
    expect(() => box.open(sealed, "slack/T2/bot")).toThrow(/did not decrypt/);
    expect(() => box.open(sealed, "slack/T1/user")).toThrow(/did not decrypt/);
  });

  it("refuses a value that was altered or cut short", () => {
    const sealed = box.seal(TOKEN, "c");
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3] ?? "", "base64url");
    body[0] = (body[0] ?? 0) ^ 1;
    const altered = [...parts.slice(0, 3), body.toString("base64url"), parts[4]].join(".");
    expect(() => box.open(altered, "c")).toThrow(/did not decrypt/);
    expect(() => box.open(sealed.slice(0, -4), "c")).toThrow(/not in a format/);
    expect(() => box.open("xoxb-in-clear", "c")).toThrow(/not in a format/);
  });

  it("opens values sealed under the previous key during a rotation, and says they are stale", () => {
    const next = randomBytes(32);
    const old = box.seal(TOKEN, "c");
    const rotating = new SecretBox({ key: next, previousKey: KEY });
    expect(rotating.open(old, "c")).toEqual({ value: TOKEN, stale: true });
    expect(rotating.isCurrent(old)).toBe(false);
    expect(rotating.isCurrent(rotating.seal(TOKEN, "c"))).toBe(true);
    expect(() => new SecretBox({ key: next }).open(old, "c")).toThrow(/MESH_ENCRYPTION_KEY_PREVIOUS/);
  });

  it("takes 32-byte keys only", () => {
    expect(() => new SecretBox({ key: randomBytes(16) })).toThrow(/32 bytes/);
  });
});
