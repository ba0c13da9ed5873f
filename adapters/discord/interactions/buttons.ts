import type { ButtonInteraction } from "discord.js";
import { MessageFlags } from "discord.js";
import { staleControlText } from "../../../src/core/messages.js";
import type { DiscordContext } from "../context.js";
import { DISCORD_MARKUP, NO_MENTIONS } from "../render/markup.js";
import { interactionPayload } from "../render/payload.js";
import { renderReply } from "../render/reply.js";
import { fullBodyEmbeds } from "../render/term.js";
import { decodeButton } from "./custom-id.js";
import { askerOf, interactionRef, privately } from "./respond.js";

/**
 * Answers a click on one of the bot's buttons: "More" (the whole body, privately), a term button (defines it,
 * in public or privately as the button says) and "Not jargon here" (silences the term in this channel; needs
 * Manage Channels). A button whose term is gone gets a kind word instead of an error.
 */
export async function handleButton(interaction: ButtonInteraction, ctx: DiscordContext): Promise<void> {
  const action = decodeButton(interaction.customId);
  const term = action === undefined ? undefined : ctx.bot.glossary.get(action.termId);
  if (action === undefined || term === undefined) {
    await interaction.reply(privately(staleControlText(DISCORD_MARKUP)));
    return;
  }
  switch (action.kind) {
    case "more":
      await interaction.reply({
        embeds: fullBodyEmbeds(term),
        allowedMentions: NO_MENTIONS,
        flags: MessageFlags.Ephemeral,
      });
      return;
    case "define": {
      const reply = await ctx.bot.run(interactionRef(interaction), askerOf(interaction), {
        kind: "define",
        query: term.id,
      });
      await interaction.reply(interactionPayload(renderReply(reply, { private: action.private })));
      return;
    }
    case "notJargon": {
      const reply = await ctx.bot.run(interactionRef(interaction), askerOf(interaction), {
        kind: "silence",
        query: term.id,
        silenced: true,
      });
      await interaction.reply(interactionPayload(renderReply(reply)));
      return;
    }
  }
}
