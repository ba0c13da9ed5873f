import type { webApi } from "@slack/bolt";
import type { Logger } from "../../../src/logger.js";

/** How long who-is-an-admin answers are kept: a promotion shows within minutes, not on every click. */
const TTL_MS = 10 * 60_000;
/** users.list pages read when looking for a workspace's admins (200 people a page). */
const MAX_PAGES = 10;

interface Cached<T> {
  readonly value: Promise<T>;
  readonly at: number;
}

type Member = { id?: string; deleted?: boolean; is_bot?: boolean; is_admin?: boolean; is_owner?: boolean };

const isAdmin = (m: Member) => m.is_admin === true || m.is_owner === true;

/**
 * Who maintains a workspace's glossary, as Slack tells it: workspace admins and owners (users.info for one
 * person, users.list for all of them), each answer kept a few minutes.
 */
export class SlackDirectory {
  private readonly people = new Map<string, Cached<boolean>>();
  private readonly admins = new Map<string, Cached<string[]>>();

  constructor(private readonly logger: Logger) {}

  /** Whether `user` is an admin or owner of the workspace. */
  isAdmin(client: webApi.WebClient, team: string, user: string): Promise<boolean> {
    return this.cached(this.people, `${team}/${user}`, async () => {
      const info = await client.users.info({ user });
      return isAdmin((info.user ?? {}) as Member);
    });
  }

  /** The workspace's admins and owners (people, not bots). */
  adminsOf(client: webApi.WebClient, team: string): Promise<string[]> {
    return this.cached(this.admins, team, async () => {
      const found: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const list = await client.users.list({ limit: 200, ...(cursor === undefined ? {} : { cursor }) });
        for (const m of (list.members ?? []) as Member[]) {
          if (m.id !== undefined && !m.deleted && !m.is_bot && isAdmin(m)) found.push(m.id);
        }
        cursor = list.response_metadata?.next_cursor || undefined;
        if (cursor === undefined) break;
      }
      return found;
    });
  }

  private cached<T>(map: Map<string, Cached<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const hit = map.get(key);
    if (hit !== undefined && Date.now() - hit.at < TTL_MS) return hit.value;
    const value = load();
    map.set(key, { value, at: Date.now() });
    value.catch((error: unknown) => {
      map.delete(key);
      this.logger.warn({ err: error, key }, "could not ask Slack who the admins are");
    });
    return value;
  }
}
