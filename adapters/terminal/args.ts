// Reading the `mesh` command line, and saying in one line what is wrong with it: the nearest known option or
// command for a typo, the choices for a bad value, the pair for flags that exclude each other.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { boundedEditDistance } from "../../src/core/normalize.js";

/** A mistake in how the CLI was called: one line on stderr, exit 2. */
export class UsageError extends Error {}

type OptionTable = NonNullable<ParseArgsConfig["options"]>;

/** Flags that cannot be given together. */
const CONFLICTS: readonly (readonly [string, string])[] = [["json", "jsonl"]];

/** What a value-taking option expects, for "needs a value" messages. */
const PLACEHOLDERS: Readonly<Record<string, string>> = {
  content: "<dir|page.md>",
  out: "<dir|file>",
  "base-url": "<URL>",
  format: "md|csv|json",
  workspace: "<platform/id>",
};

/** Edit distance with adjacent swaps counted once ("jsno" is one step from "json"). */
export function editDistance(a: string, b: string): number {
  return boundedEditDistance(a, b, Math.max(a.length, b.length));
}

/** The known word closest to `word`, when it is close enough to be what was meant. */
export function nearest(word: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = name.startsWith(word) && word.length >= 2 ? 0.5 : editDistance(word, name);
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  if (best === undefined) return undefined;
  return best.distance <= Math.max(1, Math.floor(word.length / 3)) ? best.name : undefined;
}

function flagName(token: string): string {
  return token.replace(/^--?/, "").split("=")[0] as string;
}

/** "unknown option --jsno; did you mean --json?", or the list of options when nothing is close. */
function unknownOption(token: string, options: OptionTable): UsageError {
  const long = Object.keys(options);
  const shown = token.split("=")[0] as string;
  if (token.startsWith("--")) {
    const guess = nearest(flagName(token), long);
    if (guess !== undefined) return new UsageError(`unknown option ${shown}; did you mean --${guess}?`);
  } else {
    const short = Object.entries(options).find(([, o]) => o.short === token.slice(1, 2));
    if (short !== undefined && token.length > 2) {
      return new UsageError(`unknown option ${shown}; did you mean --${short[0]}?`);
    }
  }
  return new UsageError(`unknown option ${shown}; the options are ${long.map((n) => `--${n}`).join(", ")}.`);
}

/**
 * Parses argv against the option table. Every mistake becomes a UsageError of one sentence: unknown options
 * with the nearest known one, options missing their value, values given to flags, and flags that exclude each
 * other.
 */
export function parseCommandLine<T extends OptionTable>(
  argv: readonly string[],
  options: T,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const args = [...argv];
  const end = args.indexOf("--");
  const flags = end === -1 ? args : args.slice(0, end);
  for (const token of flags) {
    if (!token.startsWith("-") || token === "-") continue;
    if (token.startsWith("--")) {
      if (!(flagName(token) in options)) throw unknownOption(token, options);
    } else {
      const known = new Set(Object.values(options).map((o) => o.short));
      for (const letter of token.slice(1)) {
        if (!known.has(letter)) throw unknownOption(token, options);
      }
    }
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw argumentError(error, args, options);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  for (const [a, b] of CONFLICTS) {
    if (values[a] !== undefined && values[b] !== undefined) {
      throw new UsageError(`--${a} and --${b} cannot be used together; pick one.`);
    }
  }
  return { values, positionals: parsed.positionals };
}

/** Node's parser errors, said in the CLI's words. */
function argumentError(error: unknown, args: readonly string[], options: OptionTable): UsageError {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const name = message.match(/'--?([\w-]+)/)?.[1];
  if (name !== undefined && code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const option = options[name];
    if (option?.type === "string") {
      return new UsageError(`--${name} needs a value: --${name} ${PLACEHOLDERS[name] ?? "<value>"}.`);
    }
    return new UsageError(`--${name} takes no value.`);
  }
  const token = args.find((a) => a.startsWith("-") && name !== undefined && flagName(a) === name);
  if (token !== undefined) return unknownOption(token, options);
  return new UsageError(`the arguments cannot be read (${args.join(" ")}).`);
}

/** An argument's value that must be one of a few choices: "--format xml is not one of md, csv, json." */
export function oneOf<T extends string>(option: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${option} ${value} is not one of ${choices.join(", ")}.`);
}
