import type { APIEmbed, APIEmbedField } from "discord.js";
import { ButtonStyle } from "discord.js";
import type { Reply } from "../../../src/core/command.js";
import {
  correctedText,
  deniedText,
  HELP_LEAD,
  helpLines,
  listLead,
  noSearchResultsText,
  notFoundText,
  relatedText,
  searchResultsLead,
  settingsText,
} from "../../../src/core/messages.js";
import { type ButtonRow, button, defineButtons, LABELS, rows } from "./components.js";
import { explanationMessage } from "./explanation.js";
import { DISCORD_LIMITS, truncate } from "./limits.js";
import { DISCORD_MARKUP as M } from "./markup.js";
import { definitionEmbed, fitEmbed, TERM_COLOR } from "./term.js";

/** A reply ready for discord.js: content, embeds, buttons, and whether only the asker sees it. */
export interface DiscordReply {
  readonly content?: string;
  readonly embeds: APIEmbed[];
  readonly components: ButtonRow[];
  /** Only the asker sees it (interactions only; a reply to a message is always public). */
  readonly ephemeral: boolean;
}

export interface RenderOptions {
  /** The asker asked for a private answer (`/mesh define private:true`). */
  readonly private?: boolean;
}

/** How Discord says the Manage Channels requirement, for refusals. */
export const MANAGE_PERMISSION = "manage this channel (the Manage Channels permission)";

/** A Discord timestamp: each reader sees it in their own time zone, relative ("3 days ago"). */
export const discordTime = (ms: number) => `<t:${Math.floor(ms / 1000)}:R>`;

/**
 * Who sees a reply. Definitions and related terms are public unless asked privately; turning auto-explain
 * on or off is announced; misses, usage help, refusals, browsing (search, list, help) and personal settings
 * are shown to the asker only.
 */
export function isEphemeral(reply: Reply, options: RenderOptions = {}): boolean {
  switch (reply.kind) {
    case "definition":
    case "related":
      return options.private === true;
    case "autoExplainSettings":
      return reply.change !== "on" && reply.change !== "off";
    case "explanation":
      return reply.mode === "requested";
    default:
      return true;
  }
}

const lines = (items: readonly string[], max: number) => {
  let out = "";
  for (const item of items) {
    const next = out === "" ? item : `${out}\n${item}`;
    if (next.length > max) return out === "" ? truncate(item, max) : `${out}\n…`;
    out = next;
  }
  return out;
};

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Renders a neutral reply for Discord, within Discord's limits. */
export function renderReply(reply: Reply, options: RenderOptions = {}): DiscordReply {
  const ephemeral = isEphemeral(reply, options);
  const privately = options.private === true;
  const text = (content: string, components: ButtonRow[] = []): DiscordReply => ({
    content: truncate(content, DISCORD_LIMITS.content),
    embeds: [],
    components,
    ephemeral,
  });
  switch (reply.kind) {
    case "definition": {
      const { embed, hasMore } = definitionEmbed(reply.term, reply.seeAlso);
      const more = hasMore
        ? button(LABELS.more, { kind: "more", termId: reply.term.id }, ButtonStyle.Primary)
        : undefined;
      const components = [
        ...(more === undefined ? [] : rows([more])),
        // Related terms are defined for whoever clicks, privately: nobody floods the channel by exploring.
        ...rows(defineButtons(reply.related, true), 2),
      ];
      const corrected = reply.match === "typo" ? correctedText(reply.query, reply.term.term, M) : undefined;
      return {
        ...(corrected === undefined ? {} : { content: truncate(corrected, DISCORD_LIMITS.content) }),
        embeds: [embed],
        components,
        ephemeral,
      };
    }
    case "notFound":
      return text(notFoundText(reply, M), rows(defineButtons(reply.suggestions, privately), 1));
    case "searchResults": {
      if (reply.results.length === 0) return text(noSearchResultsText(reply.query, M));
      const body = lines(
        reply.results.map((t) => truncate(`${M.bold(t.term)}: ${t.summary}`, 300)),
        DISCORD_LIMITS.content - 200,
      );
      return text(
        `${searchResultsLead(reply.query, M)}\n${body}`,
        rows(defineButtons(reply.results, true), 2),
      );
    }
    case "list": {
      const fields: APIEmbedField[] = reply.groups.map((g) => ({
        name: `${capitalise(g.topic)} (${g.terms.length})`,
        value: truncate(g.terms.map((t) => t.term).join(", "), DISCORD_LIMITS.fieldValue),
      }));
      return {
        embeds: [fitEmbed({ title: listLead(reply.total), color: TERM_COLOR, fields })],
        components: [],
        ephemeral,
      };
    }
    case "related":
      return text(
        relatedText(
          reply.term.term,
          reply.related.map((t) => t.term),
          M,
        ),
        rows(defineButtons(reply.related, true), 2),
      );
    case "help": {
      const usage = reply.usage === undefined ? "" : `Usage: ${M.code(M.prefix + reply.usage)}\n\n`;
      return text(`${usage}${HELP_LEAD}\n${helpLines(M).join("\n")}`);
    }
    case "autoExplainSettings":
      return text(settingsText(reply, M, discordTime));
    case "denied":
      return text(deniedText(reply, MANAGE_PERMISSION, M));
    case "explanation": {
      const { content, components } = explanationMessage(reply);
      return text(content, components);
    }
  }
}

/**
 * The same reply as plain text, for channels where the bot may not embed: each embed becomes a bold title,
 * its text and its fields; links are wrapped in <> so Discord does not unfurl them.
 */
export function withoutEmbeds(reply: DiscordReply): DiscordReply {
  const blocks = reply.content === undefined ? [] : [reply.content];
  for (const e of reply.embeds) {
    const lines: string[] = [];
    if (e.title !== undefined) lines.push(M.bold(e.title));
    if (e.description !== undefined) lines.push(e.description);
    for (const f of e.fields ?? []) {
      lines.push(
        `${M.bold(f.name)}: ${f.value.replace(/(^|\s)(https?:\/\/\S+)/g, "$1<$2>").replace(/\n/g, " ")}`,
      );
    }
    blocks.push(lines.join("\n"));
  }
  return { ...reply, content: truncate(blocks.join("\n\n"), DISCORD_LIMITS.content), embeds: [] };
}
