import type { Reply } from "../core/command.js";
import type { Term } from "../core/types.js";
import {
  asOfText,
  autoExplainChangedText,
  choicesText,
  correctedText,
  deniedText,
  explanationLead,
  HELP_LEAD,
  helpLines,
  listLead,
  NOTHING_TO_EXPLAIN,
  noSearchResultsText,
  notFoundText,
  relatedText,
  searchResultsLead,
  settingsText,
  sharedByText,
  usageText,
} from "./messages.js";
import { sanitizeEcho } from "./sanitize.js";
import type { ButtonView, Surface, View, ViewBlock } from "./view.js";

/** The longest command echoed above a private answer. */
const MAX_ECHO_COMMAND = 200;

/** How a reply is to be shown. */
export interface PresentOptions {
  /** Who sees the message. */
  readonly visibility: "private" | "public";
  /** Buttons that open another term answer the clicker privately. */
  readonly privately: boolean;
  /** The command as typed, echoed above a private answer where the platform does not show it. */
  readonly echo?: string | undefined;
}

/** Buttons that define each term, once each. */
export function defineButtons(terms: readonly Term[], privately: boolean): ButtonView[] {
  const seen = new Set<string>();
  return terms.flatMap((t) => {
    if (seen.has(t.id)) return [];
    seen.add(t.id);
    return [{ label: t.term, action: { kind: "define", termId: t.id, privately } }];
  });
}

/** A view of plain sentences. */
export function sentenceView(text: string, visibility: View["visibility"] = "private"): View {
  return { visibility, blocks: [{ type: "text", text }], fallback: text };
}

/** A term's card on its own: after "More" (`expanded`), or shared in the channel by `sharedBy`. */
export function cardView(
  term: Term,
  related: readonly Term[],
  surface: Surface,
  options: { visibility: View["visibility"]; expanded: boolean; sharedBy?: string | undefined },
): View {
  const m = surface.markup;
  const credit = options.sharedBy === undefined ? undefined : sharedByText(options.sharedBy, m);
  return {
    visibility: options.visibility,
    blocks: [{ ...card(term, related, [], options.expanded), credit }],
    fallback: `${m.term(term.term)}: ${m.term(term.summary)}`,
  };
}

/** A term's card block; what the term was checked against goes with it, for the full text. */
function card(
  term: Term,
  related: readonly Term[],
  seeAlso: readonly Term[],
  expanded: boolean,
): Extract<ViewBlock, { type: "card" }> {
  const asOf = term.asOf === undefined ? undefined : asOfText(term.asOf);
  return { type: "card", term, related, seeAlso, expanded, asOf };
}

/** The announcement, in the channel, that someone turned auto-explain on or off there. */
export function announcementView(enabled: boolean, by: string, surface: Surface): View {
  return sentenceView(autoExplainChangedText(enabled, by, surface.markup), "public");
}

/** Turns a reply of the bot into a view: every sentence, choice and button decided here, once. */
export function presentReply(reply: Reply, surface: Surface, options: PresentOptions): View {
  const m = surface.markup;
  const { visibility, privately } = options;
  const echo: ViewBlock[] =
    options.echo === undefined ? [] : [{ type: "echo", text: sanitizeEcho(options.echo, MAX_ECHO_COMMAND) }];
  const view = (blocks: ViewBlock[], fallback: string): View => ({
    visibility,
    blocks: [...echo, ...blocks],
    fallback,
  });
  const simple = (text: string) => view([{ type: "text", text }], text);
  /** Sentences that end in a list of terms to pick: buttons where there are buttons, else their names. */
  const choosing = (lead: string, terms: readonly Term[], named: string): View => {
    if (terms.length === 0) return simple(lead);
    if (!surface.buttons) return simple(`${lead} ${named}`);
    return view(
      [
        { type: "text", text: lead },
        { type: "buttons", buttons: defineButtons(terms, privately) },
      ],
      `${lead} ${named}`,
    );
  };
  switch (reply.kind) {
    case "definition": {
      const { term } = reply;
      const corrected: ViewBlock[] =
        reply.match === "typo" ? [{ type: "note", text: correctedText(reply.query, term.term, m) }] : [];
      return view(
        [...corrected, card(term, reply.related, reply.seeAlso, false)],
        `${m.term(term.term)}: ${m.term(term.summary)}`,
      );
    }
    case "notFound":
      return choosing(
        notFoundText(reply, m),
        reply.suggestions,
        choicesText(
          reply.suggestions.map((t) => t.term),
          m,
        ),
      );
    case "searchResults": {
      if (reply.results.length === 0) return simple(noSearchResultsText(reply.query, m));
      const lead = searchResultsLead(reply.query, m);
      return view(
        [
          { type: "text", text: lead },
          { type: "terms", terms: reply.results, privately: true },
        ],
        `${lead} ${reply.results.map((t) => t.term).join(", ")}`,
      );
    }
    case "list": {
      const title = listLead(reply.total);
      return view(
        [{ type: "topics", title, groups: reply.groups, detailed: reply.groups.length === 1 }],
        title,
      );
    }
    case "related": {
      const text = relatedText(
        reply.term.term,
        reply.related.map((t) => t.term),
        m,
      );
      const buttons: ViewBlock[] =
        surface.buttons && reply.related.length > 0
          ? [{ type: "buttons", buttons: defineButtons(reply.related, true) }]
          : [];
      return view([{ type: "text", text }, ...buttons], text);
    }
    case "help": {
      const usage = reply.usage === undefined ? [] : [usageText(reply.usage, m), ""];
      return simple([...usage, HELP_LEAD, ...helpLines(m).map((l) => `${surface.bullet}${l}`)].join("\n"));
    }
    case "autoExplainSettings":
      return simple(settingsText(reply, m));
    case "denied":
      return simple(deniedText(reply, surface.managePermission, m));
    case "explanation": {
      if (reply.terms.length === 0) return simple(NOTHING_TO_EXPLAIN);
      const lead = explanationLead(reply.terms, m);
      return view(
        [
          {
            type: "explanation",
            lead,
            terms: reply.terms,
            named: reply.named,
            silenceable: reply.mode === "auto",
          },
        ],
        lead,
      );
    }
  }
}
