import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  ContextMenuCommandBuilder,
  MessageContextMenuCommandInteraction,
  SlashCommandSubcommandsOnlyBuilder,
} from "discord.js";
import type { DiscordContext } from "../context.js";

/** A slash command in the discord.js guide's shape: its definition and what it does. */
export interface SlashCommand {
  readonly data: SlashCommandSubcommandsOnlyBuilder;
  execute(interaction: ChatInputCommandInteraction, ctx: DiscordContext): Promise<void>;
  autocomplete(interaction: AutocompleteInteraction, ctx: DiscordContext): Promise<void>;
}

/** A message context-menu command ("Apps > Explain this message"). */
export interface MessageCommand {
  readonly data: ContextMenuCommandBuilder;
  execute(interaction: MessageContextMenuCommandInteraction, ctx: DiscordContext): Promise<void>;
}
