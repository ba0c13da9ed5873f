import type { ModalSubmitInteraction } from "discord.js";
import type { DiscordContext } from "../context.js";
import { modalValues } from "../render/form.js";
import { decodeForm } from "./custom-id.js";
import { askerOf, interactionRef, interactionResponder } from "./respond.js";

/** A term form submitted: handed to the bot, which answers privately (problems to fix, or the outcome). */
export async function handleForm(interaction: ModalSubmitInteraction, ctx: DiscordContext): Promise<void> {
  const context = decodeForm(interaction.customId);
  if (context === undefined) return;
  const read = (id: string) => {
    try {
      return interaction.fields.getTextInputValue(id);
    } catch {
      return undefined;
    }
  };
  await ctx.bot.receive(
    {
      kind: "form",
      ref: interactionRef(interaction),
      asker: askerOf(interaction),
      context,
      values: modalValues(read),
    },
    interactionResponder(interaction),
  );
}
