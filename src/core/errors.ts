/** Codes of the errors the bot raises on purpose; anything else is a bug. */
export type MeshErrorCode =
  | "CONTENT_INVALID"
  | "CONFIG_INVALID"
  | "STORE_UNAVAILABLE"
  | "USAGE"
  | "PLATFORM_API";

/** An expected failure with a message written for the person who can fix it. */
export class MeshError extends Error {
  readonly code: MeshErrorCode;
  readonly details: readonly string[];

  constructor(code: MeshErrorCode, message: string, details: readonly string[] = [], options?: ErrorOptions) {
    super(message, options);
    this.name = "MeshError";
    this.code = code;
    this.details = details;
  }
}

/** True for a MeshError, optionally of one code. */
export function isMeshError(error: unknown, code?: MeshErrorCode): error is MeshError {
  return error instanceof MeshError && (code === undefined || error.code === code);
}
