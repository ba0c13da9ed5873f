import type { ChannelRef } from "../core/place.js";

/** How long a claim on an event holds before another delivery of it may take over, by default. */
export const DEFAULT_CLAIM_LEASE_MS = 30_000;

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
  /** The event was answered: no redelivery answers it again. */
  confirmEvent(platform: string, eventId: string, at: number): Promise<void>;
  /** The answer failed: a redelivery may claim the event at once. A confirmed event stays confirmed. */
  releaseEvent(platform: string, eventId: string): Promise<void>;
  /**
   * Undoes `claimExplained(ref, thread, termIds, at, ...)`: the explanation was not posted, so the terms may
   * be explained again. Terms explained there at another moment are left as they are.
   */
  releaseExplained(ref: ChannelRef, thread: string, termIds: readonly string[], at: number): Promise<void>;
}
