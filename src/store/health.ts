/** Whether the store can serve the bot right now: what readiness asks. */
export interface StoreHealth {
  /**
   * Resolves when the store answers and writes still reach the file or server start-up opened; rejects with
   * a MeshError whose message says what is wrong and what to do.
   */
  check(): Promise<void>;
}
