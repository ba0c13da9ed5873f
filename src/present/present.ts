import type { Reply } from "../core/command.js";
import { remember } from "../core/memo.js";
import type { Proposal } from "../core/team.js";
import { TEAM_LIMITS, type TeamField, type TeamRevision, type TeamTermFields } from "../core/team.js";
import type { Term } from "../core/types.js";
import {
  addHintText,
  alreadyDecidedText,
  asOfText,
  autoExplainChangedText,
  badTermText,
  choicesText,
  conflictText,
  correctedText,
  currentText,
  decidedText,
  deniedText,
  explanationLead,
  FIELD_HINTS,
  FIELD_LABELS,
  formTitle,
  glossarySettingsText,
  HELP_LEAD,
  HOME_TEXT,
  helpLines,
  historyText,
  keeperText,
  listLead,
  NOTHING_TO_EXPLAIN,
  noSearchResultsText,
  noTeamTermText,
  notFoundText,
  proposalLead,
  proposedText,
  readOnlyText,
  recentText,
  relatedText,
  searchResultsLead,
  settingsText,
  sharedByText,
  statsText,
  TEAM_LABELS,
  teamChangeText,
  usageText,
} from "./messages.js";
import { sanitizeEcho } from "./sanitize.js";
import type { ButtonView, FormContext, FormField, FormView, Surface, View, ViewBlock } from "./view.js";

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

type CardBlock = Extract<ViewBlock, { type: "card" }>;

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
    blocks: [{ ...card(term, related, [], options.expanded, surface), credit }],
    fallback: `${m.term(term.term)}: ${m.term(term.summary)}`,
  };
}

/** A term's card block: what the term was checked against and, for a team's term, who keeps it. */
function card(
  term: Term,
  related: readonly Term[],
  seeAlso: readonly Term[],
  expanded: boolean,
  surface: Surface,
  label?: string,
): CardBlock {
  const asOf = term.asOf === undefined ? undefined : asOfText(term.asOf);
  const keeper = keeperText(term, surface.markup);
  return { type: "card", term, related, seeAlso, expanded, asOf, keeper, label };
}

/** Under a team term's card, where there are buttons: "Edit". */
function editButton(term: Term, surface: Surface): ViewBlock[] {
  if (term.keeper === undefined || !surface.buttons) return [];
  return [
    { type: "buttons", buttons: [{ label: TEAM_LABELS.edit, action: { kind: "edit", termId: term.id } }] },
  ];
}

/** The announcement, in the channel, that someone turned auto-explain on or off there. */
export function announcementView(enabled: boolean, by: string, surface: Surface): View {
  return sentenceView(autoExplainChangedText(enabled, by, surface.markup), "public");
}

/** The form that adds a term (the name filled in when known) or edits one (every field filled in). */
export function formView(context: FormContext, values: Partial<TeamTermFields>, surface: Surface): FormView {
  const text = (field: TeamField): string => {
    const v = values[field];
    return v === undefined ? "" : typeof v === "string" ? v : v.join(field === "sources" ? "\n" : ", ");
  };
  const field = (name: TeamField, multiline: boolean, required: boolean, maxLength: number): FormField => ({
    name,
    label: FIELD_LABELS[name],
    value: text(name),
    multiline,
    required,
    maxLength,
    hint: FIELD_HINTS[name],
  });
  void surface;
  return {
    ...formTitle(context.mode, text("term")),
    context,
    fields: [
      field("term", false, true, TEAM_LIMITS.name),
      field("summary", false, true, TEAM_LIMITS.summary),
      field("aliases", false, false, 500),
      field("body", true, false, TEAM_LIMITS.body),
      field("related", false, false, 1000),
      field("sources", true, false, 2000),
    ],
  };
}

/** The home tab: the team's latest changes and, for maintainers, the proposals waiting for them. */
export function homeView(
  changes: readonly TeamRevision[],
  proposals: readonly { readonly proposal: Proposal; readonly term: Term }[] | undefined,
  surface: Surface,
): View {
  const m = surface.markup;
  const blocks: ViewBlock[] = [
    { type: "text", text: m.bold(HOME_TEXT.title) },
    { type: "note", text: HOME_TEXT.intro },
    { type: "text", text: m.bold(HOME_TEXT.recent) },
    { type: "text", text: recentText(changes, m, surface.bullet) },
  ];
  if (proposals !== undefined) {
    blocks.push({ type: "text", text: m.bold(HOME_TEXT.proposals) });
    if (proposals.length === 0) blocks.push({ type: "note", text: HOME_TEXT.noProposals });
    for (const p of proposals) blocks.push(...proposalBlocks(p.proposal, p.term, undefined, surface));
  }
  return { visibility: "private", blocks, fallback: HOME_TEXT.title };
}

/** A proposal before maintainers: who proposes what, the term as proposed, what it says now, the decision. */
function proposalBlocks(
  proposal: Proposal,
  term: Term,
  current: Term | undefined,
  surface: Surface,
): ViewBlock[] {
  const m = surface.markup;
  return [
    { type: "text", text: proposalLead(proposal, m) },
    card(withoutKeeper(term), [], [], true, surface),
    ...(current === undefined ? [] : [{ type: "note" as const, text: currentText(current, m) }]),
    {
      type: "buttons",
      buttons: [
        { label: TEAM_LABELS.approve, action: { kind: "approve", proposalId: proposal.id }, primary: true },
        { label: TEAM_LABELS.reject, action: { kind: "reject", proposalId: proposal.id } },
      ],
    },
  ];
}

/** A term as proposed: nobody keeps it yet. */
function withoutKeeper(term: Term): Term {
  const { keeper: _, ...rest } = term;
  return rest;
}

/**
 * Views of definitions by surface, answer and how they are shown: a definition asked again is the same answer
 * (defineIn keeps them), and so the same view.
 */
const definitionViews = new WeakMap<Surface, WeakMap<Reply, Map<string, View>>>();

/** The views kept above, which come back: only these are worth an adapter's keeping its rendering of. */
const keptViews = new WeakSet<View>();

/** Whether a view is one that comes back for a question asked again (worth keeping its rendering). */
export function isKept(view: View): boolean {
  return keptViews.has(view);
}

/** Turns a reply of the bot into a view: every sentence, choice and button decided here, once. */
export function presentReply(reply: Reply, surface: Surface, options: PresentOptions): View {
  if (reply.kind !== "definition" || options.echo !== undefined) return present(reply, surface, options);
  const views = remember(
    remember(definitionViews, surface, () => new WeakMap<Reply, Map<string, View>>()),
    reply,
    () => new Map<string, View>(),
  );
  const how = `${options.visibility} ${options.privately}`;
  let view = views.get(how);
  if (view === undefined) {
    view = present(reply, surface, options);
    views.set(how, view);
    keptViews.add(view);
  }
  return view;
}

function present(reply: Reply, surface: Surface, options: PresentOptions): View {
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
  switch (reply.kind) {
    case "definition": {
      const { term } = reply;
      const corrected: ViewBlock[] =
        reply.match === "typo" ? [{ type: "note", text: correctedText(reply.query, term.term, m) }] : [];
      const other = reply.otherMeaning;
      const labels =
        other === undefined ? [undefined, undefined] : [TEAM_LABELS.thisTeam, TEAM_LABELS.glossary];
      return view(
        [
          ...corrected,
          card(term, reply.related, reply.seeAlso, false, surface, labels[0]),
          ...editButton(term, surface),
          ...(other === undefined ? [] : [card(other, [], [], false, surface, labels[1])]),
        ],
        `${m.term(term.term)}: ${m.term(term.summary)}`,
      );
    }
    case "notFound": {
      const lead = notFoundText(reply, m);
      const names = choicesText(
        reply.suggestions.map((t) => t.term),
        m,
      );
      const fallback = reply.suggestions.length === 0 ? lead : `${lead} ${names}`;
      // A miss with nothing close leads somewhere: adding the term to this team's glossary.
      const proposable = reply.reason === "unknown" && reply.suggestions.length === 0 && surface.teamGlossary;
      if (!surface.buttons) {
        // Nothing to click: the choices, and how to add the term, said in words.
        const hint = proposable ? ` ${addHintText(reply.query, m)}` : "";
        return simple(`${reply.suggestions.length === 0 ? lead : `${lead} ${names}`}${hint}`);
      }
      const buttons: ButtonView[] = [
        ...defineButtons(reply.suggestions, privately),
        ...(!proposable
          ? []
          : [
              {
                label: TEAM_LABELS.propose(reply.query),
                action: { kind: "propose" as const, name: reply.query },
              },
            ]),
      ];
      return view(
        [
          { type: "text", text: lead },
          ...(buttons.length === 0 ? [] : [{ type: "buttons" as const, buttons }]),
        ],
        fallback,
      );
    }
    case "searchResults": {
      if (reply.results.length === 0) return simple(noSearchResultsText(reply.query, m));
      const lead = searchResultsLead(reply.query, m);
      return view(
        [
          { type: "text", text: lead },
          { type: "terms", terms: reply.results, privately: true },
        ],
        `${lead} ${reply.results.map((t) => m.term(t.term)).join(", ")}`,
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
      return simple(
        deniedText(
          reply,
          reply.permission === "maintain" ? surface.maintainPermission : surface.managePermission,
          m,
        ),
      );
    case "explanation": {
      if (reply.terms.length === 0) return simple(NOTHING_TO_EXPLAIN);
      const lead = explanationLead(reply.terms, m);
      const share: ViewBlock[] =
        reply.mode === "requested" && surface.buttons
          ? [
              {
                type: "buttons",
                buttons: [
                  {
                    label: TEAM_LABELS.postInThread,
                    action: { kind: "postExplanation", termIds: reply.terms.map((d) => d.term.id) },
                  },
                ],
              },
            ]
          : [];
      const credit: ViewBlock[] =
        reply.sharedBy === undefined ? [] : [{ type: "note", text: sharedByText(reply.sharedBy, m) }];
      return view(
        [
          {
            type: "explanation",
            lead,
            terms: reply.terms,
            named: reply.named,
            silenceable: reply.mode === "auto",
          },
          ...share,
          ...credit,
        ],
        lead,
      );
    }
    case "teamChange": {
      const text = teamChangeText(reply.change, reply.term.term, m);
      if (reply.change === "removed") return simple(text);
      return view(
        [
          { type: "text", text },
          card(reply.term, [], [], false, surface),
          ...editButton(reply.term, surface),
        ],
        text,
      );
    }
    case "proposed":
      return simple(proposedText(reply.action, reply.term.term, reply.reviewers, m, surface.homeTab));
    case "proposal":
      return view(
        proposalBlocks(reply.proposal, reply.term, reply.current, surface),
        proposalLead(reply.proposal, m),
      );
    case "decided":
      return simple(decidedText(reply.proposal, reply.refused, m));
    case "alreadyDecided":
      return simple(alreadyDecidedText(reply.proposal, m));
    case "badTerm":
      return simple(badTermText(reply.problems, surface.bullet));
    case "conflict":
      return simple(conflictText(reply.current, reply.yours.summary, m));
    case "readOnly":
      return simple(readOnlyText(reply.term, reply.action, m));
    case "noTeamTerm":
      return simple(noTeamTermText(reply.query, reply.action, m));
    case "history":
      return simple(historyText(reply.name, reply.revisions, m, surface.bullet));
    case "recent":
      return simple(recentText(reply.changes, m, surface.bullet));
    case "glossarySettings":
      return simple(glossarySettingsText(reply.change, reply.settings, m));
    case "stats":
      return simple(statsText(reply.top, reply.misses, m, surface.bullet));
  }
}
