/** A chat platform the bot runs on; main.ts starts each configured one and stops them on shutdown. */
export interface ChatAdapter {
  readonly name: string;
  /** Connects and starts answering; resolves once the platform accepted the connection. */
  start(): Promise<void>;
  /** Stops taking new events and closes connections. */
  stop(): Promise<void>;
}
