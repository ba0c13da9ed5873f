import type { Command, GlossaryAction, Reply } from "../core/command.js";
import type { Layers } from "../core/layers.js";
import { lookupTerm } from "../core/lookup.js";
import type { ChannelRef } from "../core/place.js";
import {
  checkTeamTerm,
  cleanFields,
  cleanLine,
  type Proposal,
  slugOf,
  type TeamField,
  type TeamTermFields,
  type TeamTermRecord,
  teamSlug,
  teamTerm,
} from "../core/team.js";
import type { Term } from "../core/types.js";
import type { Logger } from "../logger.js";
import { formView, homeView, presentReply } from "../present/present.js";
import type { FormContext } from "../present/view.js";
import type { TeamStore, TeamWrite, WorkspaceRef } from "../store/team.js";
import type { Asker, Audience, Responder } from "./conversation.js";
import type { WorkspaceGlossaries } from "./glossaries.js";
import type { LookupTally } from "./lookup-tally.js";

type TeamCommand = Extract<
  Command,
  { kind: "add" | "edit" | "remove" | "history" | "recent" | "glossary" | "stats" }
>;

/** Work to do once the asker has their answer (putting a proposal before reviewers). */
export type After = (work: () => Promise<void>) => void;

/** How many changes `recent`, the home tab and `stats` show. */
const LISTED = 10;

const workspaceOf = (ref: ChannelRef): WorkspaceRef => ({ platform: ref.platform, workspace: ref.workspace });

/** A submitted change, before anyone decided whether it is applied or proposed. */
interface Submission {
  readonly mode: "add" | "edit";
  readonly fields: TeamTermFields;
  /** The term edited (its slug), and the revision the person saw. */
  readonly termId?: string | undefined;
  readonly baseRevision?: number | undefined;
}

export interface TeamDeskOptions {
  readonly store: TeamStore;
  /** Lookups counted but not yet written: written before the statistics are read. */
  readonly lookups: LookupTally;
  readonly glossaries: WorkspaceGlossaries;
  readonly logger: Logger;
  /** Platform user ids who maintain every workspace's glossary (MESH_MAINTAINERS). */
  readonly maintainers: ReadonlySet<string>;
  readonly now: () => number;
}

/**
 * The team's own glossary: adding, editing and removing terms from chat, who may, proposals and their
 * review, history, and what people looked up. MeshBot hands it the commands, forms and buttons that concern it.
 */
export class TeamDesk {
  private readonly store: TeamStore;
  private readonly lookups: LookupTally;
  private readonly glossaries: WorkspaceGlossaries;
  private readonly logger: Logger;
  private readonly maintainerIds: ReadonlySet<string>;
  private readonly now: () => number;

  constructor(options: TeamDeskOptions) {
    this.store = options.store;
    this.lookups = options.lookups;
    this.glossaries = options.glossaries;
    this.logger = options.logger;
    this.maintainerIds = options.maintainers;
    this.now = options.now;
  }

  /** True for the commands this desk answers. */
  static handles(command: Command): command is TeamCommand {
    return ["add", "edit", "remove", "history", "recent", "glossary", "stats"].includes(command.kind);
  }

  /** Whether `asker` maintains the glossary of this workspace. */
  async maintains(asker: Asker): Promise<boolean> {
    if (this.maintainerIds.has(asker.id)) return true;
    return (await asker.canMaintain?.().catch(() => false)) ?? false;
  }

  /**
   * Answers a team command. Undefined when the answer is a form that opened (nothing more to say); side
   * messages (proposals to reviewers) are delivered through `responder`.
   */
  async command(
    command: TeamCommand,
    ref: ChannelRef,
    asker: Asker,
    responder: Responder,
    after: After,
  ): Promise<Reply | undefined> {
    const ws = workspaceOf(ref);
    switch (command.kind) {
      case "add": {
        if (command.summary === undefined) {
          const opened = await this.openForm(responder, { mode: "add" }, { term: command.name ?? "" });
          return opened
            ? undefined
            : usage("add <term> = <summary>, for example: add kraken = Our ingress cluster in eu-west");
        }
        const fields = cleanFields({ term: command.name, summary: command.summary });
        return this.submit({ mode: "add", fields }, ref, asker, responder, after);
      }
      case "edit": {
        const found = await this.teamTermNamed(ws, command.query);
        if (found.record === undefined) return this.notTeams(found, command.query, "edit");
        const { record } = found;
        if (command.summary === undefined) {
          const opened = await this.openForm(
            responder,
            { mode: "edit", termId: record.id, baseRevision: record.revision },
            record.fields,
          );
          return opened ? undefined : usage(`edit ${record.fields.term} = <summary>`);
        }
        const fields = { ...record.fields, summary: cleanLine(command.summary) };
        return this.submit(
          { mode: "edit", fields, termId: record.id, baseRevision: record.revision },
          ref,
          asker,
          responder,
          after,
        );
      }
      case "remove": {
        const found = await this.teamTermNamed(ws, command.query);
        if (found.record === undefined) return this.notTeams(found, command.query, "remove");
        const settings = await this.store.settings(ws);
        if (settings.mode === "review" && !(await this.maintains(asker))) {
          return { kind: "denied", action: `remove ${found.record.fields.term}`, permission: "maintain" };
        }
        const result = await this.store.remove(ws, found.record.id, asker.id, this.now());
        return this.written(ws, result, "removed");
      }
      case "history": {
        const found = await this.teamTermNamed(ws, command.query);
        const slug = found.record?.id ?? slugOf(command.query);
        const revisions = slug === "" ? [] : await this.store.history(ws, slug);
        const last = revisions.at(-1);
        if (last === undefined)
          return { kind: "noTeamTerm", query: cleanLine(command.query), action: "history" };
        return { kind: "history", name: last.fields.term, revisions };
      }
      case "recent":
        return { kind: "recent", changes: await this.store.recent(ws, LISTED) };
      case "glossary":
        return this.glossaryCommand(command.action, ref, asker);
      case "stats": {
        if (!(await this.maintains(asker)))
          return { kind: "denied", action: "stats", permission: "maintain" };
        await this.lookups.flush();
        const [stats, layers] = await Promise.all([
          this.store.lookupStats(ws, LISTED),
          this.glossaries.layers(ws),
        ]);
        return {
          kind: "stats",
          top: stats.top.map((c) => ({ term: layers.all.get(c.key), key: c.key, count: c.count })),
          misses: stats.misses.map((c) => ({ query: c.key, count: c.count })),
        };
      }
    }
  }

  /** A submitted form: checked, then applied or proposed; problems go back beside the form's fields. */
  async form(
    context: FormContext,
    values: Readonly<Partial<Record<TeamField, string>>>,
    ref: ChannelRef,
    asker: Asker,
    responder: Responder,
    after: After,
  ): Promise<Reply | undefined> {
    const fields = cleanFields(values);
    if (context.mode === "edit" && context.termId === undefined) {
      return {
        kind: "badTerm",
        problems: [{ field: "term", message: "This form lost which term it edits; open it again." }],
      };
    }
    return this.submit(
      { mode: context.mode, fields, termId: context.termId, baseRevision: context.baseRevision },
      ref,
      asker,
      responder,
      after,
    );
  }

  /** "Edit" on a team term's answer: its form, filled in. */
  async editButton(termId: string, ref: ChannelRef, responder: Responder): Promise<Reply | undefined> {
    const slug = teamSlug(termId);
    const records = await this.glossaries.records(workspaceOf(ref));
    const record = records.find((r) => r.id === slug);
    if (record === undefined) return { kind: "noTeamTerm", query: slug ?? termId, action: "edit" };
    const opened = await this.openForm(
      responder,
      { mode: "edit", termId: record.id, baseRevision: record.revision },
      record.fields,
    );
    return opened ? undefined : usage(`edit ${record.fields.term} = <summary>`);
  }

  /** "Propose X" under a miss: the add form with the name filled in. */
  async proposeButton(name: string, responder: Responder): Promise<Reply | undefined> {
    const opened = await this.openForm(responder, { mode: "add" }, { term: cleanLine(name) });
    return opened ? undefined : usage(`add ${cleanLine(name)} = <summary>`);
  }

  /** A maintainer's Approve or Reject: decided once, applied, the review message and the proposer told. */
  async decide(
    proposalId: string,
    status: "approved" | "rejected",
    asker: Asker,
    responder: Responder,
  ): Promise<Reply | undefined> {
    const proposal = await this.store.proposal(proposalId);
    if (proposal === undefined) return undefined;
    if (!proposal.reviewers.includes(asker.id) && !(await this.maintains(asker))) {
      return { kind: "denied", action: status === "approved" ? "approve" : "reject", permission: "maintain" };
    }
    const decided = await this.store.decide(proposal.id, status, asker.id, this.now());
    if (decided === undefined) {
      return { kind: "alreadyDecided", proposal: (await this.store.proposal(proposal.id)) ?? proposal };
    }
    const ws = { platform: decided.platform, workspace: decided.workspace };
    let refused: TeamWrite | undefined;
    if (status === "approved") {
      const result =
        decided.action === "add"
          ? await this.store.add(
              ws,
              decided.termId,
              decided.fields,
              decided.relatedIds,
              decided.proposedBy,
              this.now(),
            )
          : await this.store.edit(
              ws,
              decided.termId,
              decided.fields,
              decided.relatedIds,
              decided.baseRevision,
              decided.proposedBy,
              this.now(),
            );
      if (result.ok) await this.glossaries.refresh(ws);
      else refused = result;
    }
    const reply: Reply = {
      kind: "decided",
      proposal: decided,
      term: this.proposedTerm(decided),
      ...(refused === undefined || refused.ok ? {} : { refused: refused.reason }),
    };
    const view = presentReply(reply, responder.surface, { visibility: "public", privately: true });
    await responder.deliver({ to: { kind: "source" }, view });
    if (decided.proposedBy !== asker.id) {
      await responder
        .deliver({
          to: { kind: "person", user: decided.proposedBy },
          view: { ...view, visibility: "private" },
        })
        .catch((error: unknown) =>
          this.logger.warn({ err: error, proposal: decided.id }, "could not tell the proposer the outcome"),
        );
    }
    return reply;
  }

  /** The home tab: the team's latest changes and, for maintainers, the proposals waiting for them. */
  async home(ref: ChannelRef, asker: Asker, responder: Responder): Promise<void> {
    const ws = workspaceOf(ref);
    const maintainer = await this.maintains(asker);
    const [changes, proposals] = await Promise.all([
      this.store.recent(ws, LISTED),
      maintainer ? this.store.openProposals(ws, LISTED) : Promise.resolve([]),
    ]);
    const pending = proposals.map((p) => ({ proposal: p, term: this.proposedTerm(p) }));
    await responder.deliver({
      to: { kind: "home" },
      view: homeView(changes, maintainer ? pending : undefined, responder.surface),
    });
  }

  private async openForm(
    responder: Responder,
    context: FormContext,
    fields: Partial<TeamTermFields>,
  ): Promise<boolean> {
    if (responder.openForm === undefined) return false;
    await responder.openForm(formView(context, fields, responder.surface));
    return true;
  }

  /** Checks a change, then applies it (open mode, or a maintainer) or sends it for review. */
  private async submit(
    submission: Submission,
    ref: ChannelRef,
    asker: Asker,
    responder: Responder,
    after: After,
  ): Promise<Reply | undefined> {
    const ws = workspaceOf(ref);
    const [records, layers, settings] = await Promise.all([
      this.glossaries.records(ws),
      this.glossaries.layers(ws),
      this.store.settings(ws),
    ]);
    const { problems, relatedIds } = checkTeamTerm(submission.fields, {
      team: records,
      glossary: layers.all,
      editing: submission.termId,
    });
    if (problems.length > 0) {
      if (responder.formProblems !== undefined) {
        await responder.formProblems(problems);
        return undefined;
      }
      return { kind: "badTerm", problems };
    }
    const slug = submission.termId ?? slugOf(submission.fields.term);
    if (settings.mode === "open" || (await this.maintains(asker))) {
      const result =
        submission.mode === "add"
          ? await this.store.add(ws, slug, submission.fields, relatedIds, asker.id, this.now())
          : await this.store.edit(
              ws,
              slug,
              submission.fields,
              relatedIds,
              submission.baseRevision,
              asker.id,
              this.now(),
            );
      if (!result.ok && result.reason === "conflict") {
        return { kind: "conflict", current: teamTerm(result.current), yours: submission.fields };
      }
      return this.written(ws, result, submission.mode === "add" ? "added" : "edited");
    }
    return this.propose(submission, slug, relatedIds, ref, asker, responder, settings.reviewChannel, after);
  }

  /** A non-maintainer's change in review mode: stored as a proposal and put before the maintainers. */
  private async propose(
    submission: Submission,
    slug: string,
    relatedIds: readonly string[],
    ref: ChannelRef,
    asker: Asker,
    responder: Responder,
    reviewChannel: string | undefined,
    after: After,
  ): Promise<Reply> {
    const reviewers =
      reviewChannel !== undefined
        ? []
        : [
            ...new Set([...this.maintainerIds, ...((await responder.maintainers?.().catch(() => [])) ?? [])]),
          ].filter((id) => id !== asker.id);
    const proposal = await this.store.propose({
      platform: ref.platform,
      workspace: ref.workspace,
      action: submission.mode,
      termId: slug,
      fields: submission.fields,
      relatedIds,
      baseRevision: submission.baseRevision,
      proposedBy: asker.id,
      proposedAt: this.now(),
      channel: ref.channel,
      reviewers,
    });
    const term = this.proposedTerm(proposal);
    const current = (await this.glossaries.records(workspaceOf(ref))).find((r) => r.id === slug);
    const review: Reply = {
      kind: "proposal",
      proposal,
      term,
      ...(submission.mode === "edit" && current !== undefined ? { current: teamTerm(current) } : {}),
    };
    const view = presentReply(review, responder.surface, { visibility: "public", privately: true });
    const targets: Audience[] =
      reviewChannel !== undefined
        ? [{ kind: "review", channel: reviewChannel }]
        : reviewers.map((user) => ({ kind: "person", user }));
    // The proposer hears first (a submitted form must be answered within seconds); reviewers after.
    after(async () => {
      let delivered = 0;
      for (const to of targets) {
        try {
          await responder.deliver({
            to,
            view: to.kind === "person" ? { ...view, visibility: "private" } : view,
          });
          delivered += 1;
        } catch (error) {
          this.logger.warn(
            { err: error, proposal: proposal.id, to },
            "could not put a proposal before a reviewer",
          );
        }
      }
      if (delivered === 0 && targets.length > 0) {
        const unreachable: Reply = {
          kind: "proposed",
          action: submission.mode,
          term,
          reviewers: "unreachable",
        };
        await responder
          .deliver({
            to: { kind: "person", user: asker.id },
            view: presentReply(unreachable, responder.surface, { visibility: "private", privately: true }),
          })
          .catch((error: unknown) => this.logger.warn({ err: error }, "could not tell the proposer"));
      }
    });
    return {
      kind: "proposed",
      action: submission.mode,
      term,
      reviewers: targets.length === 0 ? "none" : reviewChannel !== undefined ? "channel" : "maintainers",
    };
  }

  private async written(
    ws: WorkspaceRef,
    result: TeamWrite,
    change: "added" | "edited" | "removed",
  ): Promise<Reply> {
    if (!result.ok) {
      if (result.reason === "missing")
        return { kind: "noTeamTerm", query: "", action: change === "removed" ? "remove" : "edit" };
      return {
        kind: "badTerm",
        problems: [
          {
            field: "term",
            message: `This team already has "${result.current.fields.term}"; edit it instead.`,
          },
        ],
      };
    }
    await this.glossaries.refresh(ws);
    return { kind: "teamChange", change, term: teamTerm(result.record) };
  }

  private async glossaryCommand(action: GlossaryAction, ref: ChannelRef, asker: Asker): Promise<Reply> {
    const ws = workspaceOf(ref);
    if (action === "status")
      return { kind: "glossarySettings", change: action, settings: await this.store.settings(ws) };
    if (!(await this.maintains(asker))) {
      return { kind: "denied", action: `glossary ${action.replace("-off", " off")}`, permission: "maintain" };
    }
    const change =
      action === "open" || action === "review"
        ? { mode: action }
        : { reviewChannel: action === "review-channel" ? ref.channel : null };
    const settings = await this.store.setSettings(ws, change, asker.id, this.now());
    return { kind: "glossarySettings", change: action, settings };
  }

  /** The team term a name or alias finds (no typos: changing the wrong term would be worse than asking). */
  private async teamTermNamed(
    ws: WorkspaceRef,
    query: string,
  ): Promise<{ record: TeamTermRecord | undefined; layers: Layers }> {
    const layers = await this.glossaries.layers(ws);
    const found = lookupTerm(layers.team, query);
    const slug = found.found && found.match !== "typo" ? teamSlug(found.term.id) : undefined;
    const records = await this.glossaries.records(ws);
    return { record: records.find((r) => r.id === slug), layers };
  }

  /** Why a command for a team term found none: the term is the glossary's, or nobody's. */
  private notTeams(found: { layers: Layers }, query: string, action: "edit" | "remove"): Reply {
    const bundled = lookupTerm(found.layers.bundled, query);
    if (bundled.found && bundled.match !== "typo") return { kind: "readOnly", term: bundled.term, action };
    return { kind: "noTeamTerm", query: cleanLine(query), action };
  }

  private proposedTerm(proposal: Proposal): Term {
    return teamTerm({
      id: proposal.termId,
      fields: proposal.fields,
      relatedIds: proposal.relatedIds,
      addedBy: proposal.proposedBy,
      addedAt: proposal.proposedAt,
      changedBy: proposal.proposedBy,
      changedAt: proposal.proposedAt,
      revision: (proposal.baseRevision ?? 0) + 1,
    });
  }
}

function usage(text: string): Reply {
  return { kind: "help", reason: "usage", usage: text };
}
