import type { ChannelRef } from "../core/place.js";

/** How long a claim on an event holds before another delivery of it may take over, by default. */
export const DEFAULT_CLAIM_LEASE_MS = 30_000;

/** An event to claim: which, when, and for how long the claim holds. */
export interface EventClaim {
  readonly platform: string;
  readonly eventId: string;
  readonly at: number;
  readonly leaseMs: number;
}

/**
 * Effectively-once answers: an event is claimed for a short lease, answered, then confirmed. A failed
 * answer releases its claim (and the terms it claimed), so the platform's redelivery can answer it; a
 * process that dies between claim and answer leaves a lease that runs out, after which a redelivery is
 * answered. Implemented by both stores, and atomic across replicas.
 */
export interface DeliveryClaims {
  /**
   * True when this caller may answer the event: the first time it is seen, or when an earlier claim's lease
   * ran out without a confirmation. False while another caller's lease holds, and once it was confirmed.
   */
  claimEvent(platform: string, eventId: string, at: number, leaseMs?: number): Promise<boolean>;
  /**
   * For a message that starts its thread, with no cooldown: claims the event as `claimEvent` does and, only
   * when it is won, the thread's terms as `claimExplained` does with a cooldown of 0, in one step (one round
   * trip on PostgreSQL). `terms` are those won, in the order asked; none when the event was taken.
   */
  claimEventAndTerms(
    claim: EventClaim,
    ref: ChannelRef,
    thread: string,
    termIds: readonly string[],
  ): Promise<{ won: boolean; terms: string[] }>;
  /** The event was answered: no redelivery answers it again. Its retention counts from its first claim. */
  confirmEvent(platform: string, eventId: string, at: number): Promise<void>;
  /** The answer failed: a redelivery may claim the event at once. A confirmed event stays confirmed. */
  releaseEvent(platform: string, eventId: string): Promise<void>;
  /**
   * Undoes `claimExplained(ref, thread, termIds, at, ...)`: the explanation was not posted, so the terms may
   * be explained again. Terms explained there at another moment are left as they are.
   */
  releaseExplained(ref: ChannelRef, thread: string, termIds: readonly string[], at: number): Promise<void>;
}
