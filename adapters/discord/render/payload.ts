import {
  type InteractionReplyOptions,
  type InteractionUpdateOptions,
  type JSONEncodable,
  type MessageCreateOptions,
  MessageFlags,
  type MessageReplyOptions,
} from "discord.js";
import { NO_MENTIONS } from "./markup.js";
import type { DiscordReply } from "./reply.js";

/**
 * Our embeds and rows are already Discord's JSON: handing them over as JSONEncodable spares discord.js
 * its deep snake_case copy of every reply.
 */
function encoded<T>(value: T): JSONEncodable<T> {
  return { toJSON: () => value };
}

function body(reply: DiscordReply) {
  return {
    ...(reply.content === undefined ? {} : { content: reply.content }),
    embeds: reply.embeds.map(encoded),
    components: reply.components.map(encoded),
    allowedMentions: NO_MENTIONS,
  };
}

/** Options for interaction.reply / followUp; ephemeral replies carry the Ephemeral flag. */
export function interactionPayload(reply: DiscordReply): InteractionReplyOptions & { withResponse?: false } {
  return { ...body(reply), ...(reply.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) };
}

/** Options for message.reply / channel.send: always public, never pinging anyone. */
export function messagePayload(reply: DiscordReply): MessageCreateOptions & MessageReplyOptions {
  return body(reply);
}

/** Options for interaction.update: the message the button was on, replaced (a decided proposal). */
export function updatePayload(reply: DiscordReply): InteractionUpdateOptions {
  const { content, embeds, components, allowedMentions } = body(reply);
  return { content: content ?? "", embeds, components, allowedMentions };
}
