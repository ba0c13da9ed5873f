/** Where a conversation happens: a platform, a workspace (Slack team, Discord guild) and a channel. */
export interface ChannelRef {
  readonly platform: string;
  readonly workspace: string;
  readonly channel: string;
}
