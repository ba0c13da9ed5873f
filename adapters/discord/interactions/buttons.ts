import type { ButtonInteraction } from "discord.js";
import type { DiscordContext } from "../context.js";
import { decodeButton, explainedMessage } from "./custom-id.js";
import { askerOf, interactionRef, interactionResponder } from "./respond.js";

/**
 * A click on one of the bot's buttons, handed to the bot: "More", term buttons, "Not jargon here", "Edit",
 * "Propose", Approve and Reject, "Post in thread". A custom_id this version did not write asks for no term,
 * which the bot answers with a kind word.
 */
export async function handleButton(interaction: ButtonInteraction, ctx: DiscordContext): Promise<void> {
  const action = decodeButton(interaction.customId) ?? { kind: "more", termId: "" };
  const message = explainedMessage(interaction.customId);
  await ctx.bot.receive(
    {
      kind: "action",
      ref: interactionRef(interaction),
      asker: askerOf(interaction),
      action,
      fromPrivate: false,
    },
    interactionResponder(
      interaction,
      message === undefined ? {} : { thread: { message, logger: ctx.logger } },
    ),
  );
}
