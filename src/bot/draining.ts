import type { Reply } from "../core/command.js";
import type { BotHandle, ChannelRef, Inbound, Responder, TermChoice } from "./conversation.js";

/** A bot handle that can stop taking new work and tell when the work it took is done. */
export interface DrainingHandle extends BotHandle {
  /** Events received from now on are dropped unanswered (the process is stopping). */
  close(): void;
  /** Resolves with how many events are still being handled once none is, or after `timeoutMs`. */
  settled(timeoutMs: number): Promise<number>;
}

/** Wraps `bot` for shutdown: main.ts closes it first, then waits for what is in flight. */
export function drainingHandle(bot: BotHandle): DrainingHandle {
  const inflight = new Set<Promise<unknown>>();
  let closed = false;
  return {
    receive(inbound: Inbound, responder: Responder): Promise<Reply | undefined> {
      if (closed) return Promise.resolve(undefined);
      const work = bot.receive(inbound, responder);
      inflight.add(work);
      const done = () => inflight.delete(work);
      work.then(done, done);
      return work;
    },
    complete(input: string, limit: number, ref?: ChannelRef): Promise<TermChoice[]> {
      return bot.complete(input, limit, ref);
    },
    close() {
      closed = true;
    },
    async settled(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      let waiting = true;
      void deadline.then(() => {
        waiting = false;
      });
      while (waiting && inflight.size > 0) await Promise.race([Promise.allSettled([...inflight]), deadline]);
      clearTimeout(timer);
      return inflight.size;
    },
  };
}
