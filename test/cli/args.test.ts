import { describe, expect, it } from "vitest";
import { editDistance, nearest, parseCommandLine, UsageError } from "../../adapters/terminal/args.js";

const OPTIONS = {
  json: { type: "boolean" },
  jsonl: { type: "boolean" },
  content: { type: "string" },
  format: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function mistake(argv: string[]): string {
  try {
    parseCommandLine(argv, OPTIONS);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`expected ${argv.join(" ")} to be refused`);
}

describe("reading the mesh command line", () => {
  it("reads options and words, and leaves what follows -- alone", () => {
    expect(parseCommandLine(["define", "egress", "--json", "--", "--jsno"], OPTIONS)).toEqual({
      values: { json: true },
      positionals: ["define", "egress", "--jsno"],
    });
  });

  it.each([
    [["--jsno"], "unknown option --jsno; did you mean --json?"],
    [["--contnet", "x"], "unknown option --contnet; did you mean --content?"],
    [["--form=md"], "unknown option --form; did you mean --format?"],
    [["--bogus"], "unknown option --bogus; the options are --json, --jsonl, --content, --format, --help."],
    [["-x"], "unknown option -x; the options are --json, --jsonl, --content, --format, --help."],
    [["--json", "--jsonl"], "--json and --jsonl cannot be used together; pick one."],
    [["--content"], "--content needs a value: --content <dir|page.md>."],
    [["--content", "--json"], "--content needs a value: --content <dir|page.md>."],
    [["--json=yes"], "--json takes no value."],
  ])("answers %j with one sentence", (argv, message) => {
    expect(mistake(argv)).toBe(message);
  });

  it("counts a swap of two letters as one edit", () => {
    expect(editDistance("jsno", "json")).toBe(1);
    expect(editDistance("defnie", "define")).toBe(1);
    expect(editDistance("search", "search")).toBe(0);
  });

  it("suggests only what is close enough to be meant", () => {
    expect(nearest("jsno", ["json", "jsonl"])).toBe("json");
    expect(nearest("lst", ["list", "stats"])).toBe("list");
    expect(nearest("frobnicate", ["define", "list"])).toBeUndefined();
  });
});
