/** Topics group the glossary for `list` and export; content picks one per term. */
export const TOPICS = [
  "architecture",
  "traffic",
  "security",
  "reliability",
  "observability",
  "kubernetes",
  "linkerd",
  "ecosystem",
] as const;

export type Topic = (typeof TOPICS)[number];

/** One glossary entry, as read from a content file or an imported page. */
export interface Term {
  /** Kebab-case id; equals the heading anchor of the page the term came from. */
  readonly id: string;
  /** Display name, e.g. "mTLS". */
  readonly term: string;
  /** Other names people type: acronyms, spelled-out forms, irregular plurals. Unique across the glossary. */
  readonly aliases: readonly string[];
  /**
   * Names this term shares with other terms on purpose ("CNI"). A shared name resolves to the one term that
   * lists it under `aliases` (the winner) or, when none does, to a "did you mean" choice between the sharers.
   */
  readonly sharedAliases: readonly string[];
  /** One sentence that fits on a chat line. */
  readonly summary: string;
  /** Markdown body; `[text](#id)` links point at other terms. */
  readonly body: string;
  /** Ids of related terms. */
  readonly related: readonly string[];
  /** Links to official documentation. */
  readonly sources: readonly string[];
  readonly topic: Topic | undefined;
  /** A word of plain speech (container, latency, pod): auto-explained only next to real jargon. */
  readonly everyday: boolean;
  /** False keeps the term out of auto-explain entirely; it still answers lookups. */
  readonly autoExplain: boolean;
  /**
   * What the term was last checked against, product and version ("linkerd 2.20", "kubernetes 1.37"), so a
   * reader can tell which release it describes. Absent for terms imported from a glossary page.
   */
  readonly asOf?: string;
  /** The month the term was last checked against its sources, as "YYYY-MM". Absent when never reviewed. */
  readonly reviewed?: string;
  /** For a term a team keeps from chat: who added and last changed it, and when. Absent for content. */
  readonly keeper?: TermKeeper;
}

/** Who keeps a team's term, and its latest revision. */
export interface TermKeeper {
  /** Platform user id of who added the term. */
  readonly addedBy: string;
  readonly addedAt: number;
  /** Platform user id of who changed it last (who added it, until someone edits it). */
  readonly changedBy: string;
  readonly changedAt: number;
  /** 1 when added; each edit adds one. */
  readonly revision: number;
}

/** Where a term came from, for error messages that name a file and a line. */
export interface TermOrigin {
  readonly file: string;
  /** 1-based line of the term's start in `file` (front matter or heading). */
  readonly line: number;
  /** Finds the 1-based line in `file` where `text` first appears at or after the term's start. */
  readonly lineOf?: (text: string) => number | undefined;
  /**
   * The 1-based line of a field (`related`, `summary`, `body`...) in `file`, or of `value` inside that field
   * when given, so a problem points at the field that holds it rather than the first place its words appear.
   */
  readonly fieldLine?: (field: string, value?: string) => number | undefined;
}
