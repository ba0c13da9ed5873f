import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { MeshError } from "../core/errors.js";

/** The keys secrets are sealed with: `key` seals and opens, `previousKey` (during a rotation) only opens. */
export interface EncryptionKeys {
  readonly key: Buffer;
  readonly previousKey?: Buffer | undefined;
}

/** What one sealed value opened to, and whether it should be sealed again under the current key. */
export interface Opened {
  readonly value: string;
  /** True when the value was sealed under the previous key. */
  readonly stale: boolean;
}

const FORMAT = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** `v1.<key id>.<nonce>.<ciphertext>.<tag>`: a 12-byte nonce and a 16-byte tag, in base64url. */
const SEALED = /^v1\.([0-9a-f]{12})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]{22})$/;

/** A short fingerprint of a key, kept beside each sealed value so a read knows which key opens it. */
export function keyId(key: Buffer): string {
  return createHash("sha256").update("mesh-glossary-bot key id\n").update(key).digest("hex").slice(0, 12);
}

const b64 = (b: Buffer): string => b.toString("base64url");

/**
 * Seals short secrets (tokens) with AES-256-GCM: a random 96-bit nonce per value, and `context` (where the value
 * lives, e.g. "slack/T123/bot") bound in as associated data, so a sealed value copied to another row or field
 * does not open there. A sealed value reads `v1.<key id>.<nonce>.<ciphertext>.<tag>`, all base64url.
 */
export class SecretBox {
  private readonly current: { readonly id: string; readonly key: Buffer };
  private readonly keys = new Map<string, Buffer>();

  constructor(keys: EncryptionKeys) {
    for (const key of [keys.key, keys.previousKey]) {
      if (key !== undefined && key.length !== 32) {
        throw new MeshError("CONFIG_INVALID", "An encryption key must be 32 bytes (AES-256).");
      }
    }
    this.current = { id: keyId(keys.key), key: keys.key };
    if (keys.previousKey !== undefined) this.keys.set(keyId(keys.previousKey), keys.previousKey);
    this.keys.set(this.current.id, keys.key);
  }

  /** Seals `value` under the current key. */
  seal(value: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.current.key, iv);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const body = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
    return [FORMAT, this.current.id, b64(iv), b64(body), b64(cipher.getAuthTag())].join(".");
  }

  /** True when `sealed` was sealed under the current key. */
  isCurrent(sealed: string): boolean {
    return sealed.split(".")[1] === this.current.id;
  }

  /** Opens a value sealed by `seal` with the same `context`; a MeshError says what is wrong otherwise. */
  open(sealed: string, context: string): Opened {
    const parts = SEALED.exec(sealed);
    if (parts === null) {
      throw new MeshError(
        "STORE_UNAVAILABLE",
        `A stored secret (${context}) is not in a format this bot reads.`,
      );
    }
    const [, id = "", iv = "", body = "", tag = ""] = parts;
    const key = this.keys.get(id);
    if (key === undefined) {
      throw new MeshError(
        "STORE_UNAVAILABLE",
        `A stored secret (${context}) was sealed under a key that is neither MESH_ENCRYPTION_KEY nor ` +
          "MESH_ENCRYPTION_KEY_PREVIOUS: set the key it was written with as MESH_ENCRYPTION_KEY_PREVIOUS.",
      );
    }
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      const value = Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]);
      return { value: value.toString("utf8"), stale: id !== this.current.id };
    } catch (error) {
      throw new MeshError(
        "STORE_UNAVAILABLE",
        `A stored secret (${context}) did not decrypt: it was altered, or belongs to another row.`,
        [],
        { cause: error },
      );
    }
  }
}
