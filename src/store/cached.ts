import type { ChannelRef } from "../core/place.js";
import type { ChannelSettings, Store } from "./store.js";

/** How long channel settings and mutes are remembered: what another replica changes is seen this late. */
export const SETTINGS_CACHE_MS = 5000;

/**
 * A store that remembers channel settings and mutes for `ttlMs`: they are read for every message in every
 * channel the bot is in, and change a few times a year. A change made through this store is seen at once;
 * one made by another replica within `ttlMs`. Everything else goes straight to `store`.
 */
export function withSettingsCache<S extends Store>(store: S, ttlMs: number, now: () => number = Date.now): S {
  const channels = new Map<string, { at: number; value: Promise<ChannelSettings> }>();
  const mutes = new Map<string, { at: number; value: Promise<boolean> }>();
  const channelKey = (ref: ChannelRef) => `${ref.platform}\u0000${ref.workspace}\u0000${ref.channel}`;
  const muteKey = (platform: string, workspace: string, user: string) =>
    `${platform}\u0000${workspace}\u0000${user}`;
  /** A value from `cache` younger than the TTL, or a fresh read (a failed read is not kept). */
  function cached<T>(
    cache: Map<string, { at: number; value: Promise<T> }>,
    key: string,
    read: () => Promise<T>,
  ) {
    const hit = cache.get(key);
    const t = now();
    if (hit !== undefined && t - hit.at < ttlMs) return hit.value;
    if (cache.size > 10_000) cache.clear();
    const value = read();
    cache.set(key, { at: t, value });
    value.catch(() => cache.delete(key));
    return value;
  }
  const overrides: Partial<Store> = {
    channel(ref, fallbackEnabled = false) {
      // The fallback is part of the answer for a channel nobody configured: keep one entry per fallback.
      return cached(channels, `${channelKey(ref)}\u0000${fallbackEnabled}`, () =>
        store.channel(ref, fallbackEnabled),
      );
    },
    async setAutoExplain(ref, enabled, by, at) {
      forget(channels, channelKey(ref));
      return store.setAutoExplain(ref, enabled, by, at);
    },
    async setSilenced(ref, termId, silenced, by, at) {
      forget(channels, channelKey(ref));
      return store.setSilenced(ref, termId, silenced, by, at);
    },
    isMuted(platform, workspace, user) {
      return cached(mutes, muteKey(platform, workspace, user), () =>
        store.isMuted(platform, workspace, user),
      );
    },
    async setMuted(platform, workspace, user, muted, at) {
      mutes.delete(muteKey(platform, workspace, user));
      return store.setMuted(platform, workspace, user, muted, at);
    },
  };
  // Each method of the store bound once, not at every call.
  const bound = new Map<string | symbol, unknown>();
  return new Proxy(store, {
    get(target, key, receiver) {
      if (typeof key === "string" && key in overrides) return overrides[key as keyof Store];
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== "function") return value;
      let method = bound.get(key);
      if (method === undefined) {
        method = value.bind(target);
        bound.set(key, method);
      }
      return method;
    },
  });
}

/** Drops every cached entry of a channel (both fallbacks). */
function forget(cache: Map<string, unknown>, prefix: string): void {
  for (const key of cache.keys()) if (key.startsWith(`${prefix}\u0000`)) cache.delete(key);
}
