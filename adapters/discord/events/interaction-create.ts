import { type Interaction, PermissionFlagsBits } from "discord.js";
import { missingPermissionText, SORRY } from "../../../src/core/messages.js";
import { EXPLAIN_MESSAGE, explainMessageCommand } from "../commands/explain-message.js";
import { meshCommand } from "../commands/mesh.js";
import type { DiscordContext } from "../context.js";
import { handleButton } from "../interactions/buttons.js";
import { isMeshButton } from "../interactions/custom-id.js";
import { answer, privately } from "../interactions/respond.js";
import { isMissingPermissions, missingPermissions, REPLY_PERMISSIONS } from "../permissions.js";
import { DISCORD_MARKUP } from "../render/markup.js";

/** Sends each interaction to its command, autocomplete or button handler; other apps' are left alone. */
export async function handleInteraction(interaction: Interaction, ctx: DiscordContext): Promise<void> {
  try {
    if (interaction.isChatInputCommand()) {
      if (interaction.commandName === meshCommand.data.name) await meshCommand.execute(interaction, ctx);
    } else if (interaction.isAutocomplete()) {
      if (interaction.commandName === meshCommand.data.name) await meshCommand.autocomplete(interaction, ctx);
    } else if (interaction.isMessageContextMenuCommand()) {
      if (interaction.commandName === EXPLAIN_MESSAGE) await explainMessageCommand.execute(interaction, ctx);
    } else if (interaction.isButton()) {
      if (isMeshButton(interaction.customId)) await handleButton(interaction, ctx);
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
