import { type Interaction, PermissionFlagsBits } from "discord.js";
import { missingPermissionText, SORRY } from "../../../src/present/messages.js";
import { MESSAGE_COMMANDS, SLASH_COMMANDS } from "../commands/index.js";
import type { DiscordContext } from "../context.js";
import { handleButton } from "../interactions/buttons.js";
import { isMeshButton } from "../interactions/custom-id.js";
import { handleForm } from "../interactions/form.js";
import { answer, privately } from "../interactions/respond.js";
import { isMissingPermissions, missingPermissions, REPLY_PERMISSIONS } from "../permissions.js";
import { DISCORD_MARKUP } from "../render/markup.js";

/**
 * Sends each interaction to its command (from the registry), autocomplete or button handler; other apps'
 * commands and components are left alone.
 */
export async function handleInteraction(interaction: Interaction, ctx: DiscordContext): Promise<void> {
  try {
    if (interaction.isChatInputCommand()) {
      await SLASH_COMMANDS.get(interaction.commandName)?.execute(interaction, ctx);
    } else if (interaction.isAutocomplete()) {
      await SLASH_COMMANDS.get(interaction.commandName)?.autocomplete(interaction, ctx);
    } else if (interaction.isMessageContextMenuCommand()) {
      await MESSAGE_COMMANDS.get(interaction.commandName)?.execute(interaction, ctx);
    } else if (interaction.isButton()) {
      if (isMeshButton(interaction.customId)) await handleButton(interaction, ctx);
    } else if (interaction.isModalSubmit()) {
      if (isMeshButton(interaction.customId)) await handleForm(interaction, ctx);
    }
  } catch (error) {
    const where = {
      interaction: interaction.id,
      type: interaction.type,
      command: interaction.isCommand() || interaction.isAutocomplete() ? interaction.commandName : undefined,
      customId: interaction.isButton() ? interaction.customId : undefined,
      guild: interaction.guildId,
      channel: interaction.channelId,
      user: interaction.user.id,
    };
    if (isMissingPermissions(error)) {
      ctx.logger.warn({ ...where, err: error, code: error.code }, "missing permissions while answering");
    } else {
      ctx.logger.error({ ...where, err: error }, "could not answer an interaction");
    }
    if (!interaction.isRepliable()) return;
    const missing = missingPermissions(interaction.appPermissions, [
      ...REPLY_PERMISSIONS,
      PermissionFlagsBits.EmbedLinks,
    ]);
    const text =
      isMissingPermissions(error) && missing.length > 0
        ? missingPermissionText(missing, DISCORD_MARKUP)
        : SORRY;
    await answer(interaction, privately(text)).catch((replyError: unknown) =>
      ctx.logger.warn({ ...where, err: replyError }, "could not tell the user about the failure"),
    );
  }
}
