import {
  type ChatInputCommandInteraction,
  InteractionContextType,
  SlashCommandBuilder,
  type SlashCommandStringOption,
} from "discord.js";
import { type Command, commandFromOptions } from "../../../src/core/command.js";
import { TOPICS } from "../../../src/core/types.js";
import { missingPermissionText, REPLIES_IN_CHANNEL } from "../../../src/present/messages.js";
import { handleAutocomplete } from "../interactions/autocomplete.js";
import { askerOf, interactionRef, interactionResponder, privately } from "../interactions/respond.js";
import { missingPermissions, REPLY_PERMISSIONS, THREAD_PERMISSIONS } from "../permissions.js";
import { DISCORD_MARKUP } from "../render/markup.js";
import type { SlashCommand } from "./types.js";

/** The choices of `/mesh autoexplain action:`. silence/unsilence take the `term` option. */
export const AUTOEXPLAIN_ACTIONS = ["on", "off", "status", "mute", "unmute", "silence", "unsilence"] as const;
type ActionChoice = (typeof AUTOEXPLAIN_ACTIONS)[number];

const ACTION_HELP: Record<ActionChoice, string> = {
  on: "on: explain jargon in this channel's threads (Manage Channels)",
  off: "off: stop explaining jargon here (Manage Channels)",
  status: "status: what auto-explain does here",
  mute: "mute: never explain my own messages",
  unmute: "unmute: explain my messages again",
  silence: "silence: a term is not jargon in this channel (Manage Channels)",
  unsilence: "unsilence: explain a silenced term again (Manage Channels)",
};

/** The choices of `/mesh glossary action:`, as the one grammar reads them. */
const GLOSSARY_ACTIONS = ["status", "open", "review", "review-channel", "review-channel off"] as const;

const GLOSSARY_HELP: Record<(typeof GLOSSARY_ACTIONS)[number], string> = {
  status: "status: who may change team terms here",
  open: "open: anyone adds and edits team terms (Manage Server)",
  review: "review: others' changes go to maintainers (Manage Server)",
  "review-channel": "review-channel: send proposals to this channel (Manage Server)",
  "review-channel off": "review-channel off: send proposals privately (Manage Server)",
};

const termOption = (o: SlashCommandStringOption, description: string, required: boolean) =>
  o.setName("term").setDescription(description).setRequired(required).setAutocomplete(true).setMaxLength(100);

const data = new SlashCommandBuilder()
  .setName("mesh")
  .setDescription("Service mesh jargon, explained")
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
  .addSubcommand((s) =>
    s
      .setName("define")
      .setDescription("What a term means")
      .addStringOption((o) => termOption(o, "The term, e.g. mTLS or egress", true))
      .addBooleanOption((o) => o.setName("private").setDescription("Show the answer to me only")),
  )
  .addSubcommand((s) =>
    s
      .setName("search")
      .setDescription("Terms whose definitions mention some words")
      .addStringOption((o) =>
        o.setName("words").setDescription("Words to look for").setRequired(true).setMaxLength(200),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName("list")
      .setDescription("Every term, grouped by topic")
      .addStringOption((o) =>
        o
          .setName("topic")
          .setDescription("Only this topic")
          .addChoices(...TOPICS.map((t) => ({ name: t, value: t }))),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName("related")
      .setDescription("Terms that go with a term")
      .addStringOption((o) => termOption(o, "The term", true)),
  )
  .addSubcommand((s) =>
    s
      .setName("autoexplain")
      .setDescription("Explain jargon in this channel's threads, unprompted")
      .addStringOption((o) =>
        o
          .setName("action")
          .setDescription("What to do")
          .setRequired(true)
          .addChoices(...AUTOEXPLAIN_ACTIONS.map((a) => ({ name: ACTION_HELP[a], value: a }))),
      )
      .addStringOption((o) =>
        termOption(o, "For silence/unsilence: the term that is not jargon here", false),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName("add")
      .setDescription("Add a term of this team's (without a summary: a form)")
      .addStringOption((o) =>
        o.setName("term").setDescription("The term's name, e.g. Kraken").setMaxLength(80),
      )
      .addStringOption((o) =>
        o.setName("summary").setDescription("One sentence that fits on a chat line").setMaxLength(300),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName("edit")
      .setDescription("Change a term of this team's (without a summary: a form)")
      .addStringOption((o) => termOption(o, "The team term to change", true))
      .addStringOption((o) =>
        o.setName("summary").setDescription("Its new one-line summary").setMaxLength(300),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName("remove")
      .setDescription("Remove a term of this team's")
      .addStringOption((o) => termOption(o, "The team term to remove", true)),
  )
  .addSubcommand((s) =>
    s
      .setName("history")
      .setDescription("Every change to a term of this team's")
      .addStringOption((o) => termOption(o, "The team term", true)),
  )
  .addSubcommand((s) => s.setName("recent").setDescription("Team terms added or changed lately"))
  .addSubcommand((s) =>
    s
      .setName("glossary")
      .setDescription("Who may change this team's terms, and where proposals go")
      .addStringOption((o) =>
        o
          .setName("action")
          .setDescription("What to do")
          .setRequired(true)
          .addChoices(...GLOSSARY_ACTIONS.map((a) => ({ name: GLOSSARY_HELP[a], value: a }))),
      ),
  )
  .addSubcommand((s) =>
    s.setName("stats").setDescription("What people look up here, and miss (Manage Server)"),
  )
  .addSubcommand((s) => s.setName("help").setDescription("How to use the glossary bot"));

/** The one grammar's command for `/mesh` with its options; a term picked from autocomplete is its id. */
export function commandOf(interaction: Pick<ChatInputCommandInteraction, "options">): Command {
  const o = interaction.options;
  const fields = Object.fromEntries(
    ["term", "words", "topic", "action", "summary"].map((name) => [name, o.getString(name) ?? undefined]),
  );
  return commandFromOptions(o.getSubcommand(false) ?? "help", fields);
}

/** `/mesh define|search|list|related|autoexplain|add|edit|remove|history|recent|glossary|stats|help`. */
export const meshCommand: SlashCommand = {
  data,
  async execute(interaction, ctx) {
    const reply = await ctx.bot.receive(
      {
        kind: "command",
        ref: interactionRef(interaction),
        asker: askerOf(interaction),
        command: commandOf(interaction),
        privately: interaction.options.getBoolean("private") ?? false,
      },
      interactionResponder(interaction),
    );
    // Turning auto-explain on where it cannot work as described deserves a word to the person who did it.
    if (reply?.kind === "autoExplainSettings" && reply.change === "on" && interaction.inGuild()) {
      const cannotReply = missingPermissions(interaction.appPermissions, REPLY_PERMISSIONS);
      const noThreads = missingPermissions(interaction.appPermissions, THREAD_PERMISSIONS);
      if (noThreads.length > 0) {
        const consequence =
          cannotReply.length > 0 ? "auto-explain cannot answer here yet" : REPLIES_IN_CHANNEL;
        const missing = [...new Set([...noThreads, ...cannotReply])];
        ctx.logger.warn(
          { guild: interaction.guildId, channel: interaction.channelId, missing },
          "auto-explain turned on where the bot lacks permissions",
        );
        await interaction.followUp(
          privately(missingPermissionText(missing, DISCORD_MARKUP, { consequence })),
        );
      }
    }
  },
  autocomplete: handleAutocomplete,
};
