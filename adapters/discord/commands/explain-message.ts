import { ApplicationCommandType, ContextMenuCommandBuilder, InteractionContextType } from "discord.js";
import { askerOf, interactionRef, interactionResponder } from "../interactions/respond.js";
import type { MessageCommand } from "./types.js";

/** The context-menu command's name, as users see it under Apps. */
export const EXPLAIN_MESSAGE = "Explain this message";

/** "Explain this message": privately lists every glossary term in someone's message, no policy applied. */
export const explainMessageCommand: MessageCommand = {
  data: new ContextMenuCommandBuilder()
    .setName(EXPLAIN_MESSAGE)
    .setType(ApplicationCommandType.Message)
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM),
  async execute(interaction, ctx) {
    const target = interaction.targetMessage;
    const text = [
      target.content,
      ...target.embeds.map((e) => `${e.title ?? ""}\n${e.description ?? ""}`),
    ].join("\n");
    await ctx.bot.receive(
      { kind: "explain", ref: interactionRef(interaction), asker: askerOf(interaction), text },
      interactionResponder(interaction, { explained: target.id }),
    );
  },
};
