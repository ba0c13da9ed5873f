import { detectJargon } from "../core/detect.js";
import type { Glossary } from "../core/glossary.js";
import { type Layers, layerGlossary } from "../core/layers.js";
import { lookupTerm } from "../core/lookup.js";
import { type TeamTermRecord, teamTerm } from "../core/team.js";
import type { Logger } from "../logger.js";
import type { TeamStore, WorkspaceRef } from "../store/team.js";

interface Entry {
  readonly layers: Layers;
  readonly records: readonly TeamTermRecord[];
}

const keyOf = (ws: WorkspaceRef) => `${ws.platform}\u0000${ws.workspace}`;

/** Builds the indexes lookup and detection use, so the first question after a change does not wait. */
function warm(layers: Layers): Layers {
  lookupTerm(layers.all, "warm");
  lookupTerm(layers.team, "warm");
  detectJargon(layers.detection, "warm");
  return layers;
}

/**
 * The glossary each workspace answers from: the team's terms over the bundled content, loaded on first use
 * and rebuilt whenever the team's terms change (here or on another replica) or the content is reloaded.
 * Rebuilds happen beside the answers: a question asked meanwhile gets the glossary as it was.
 */
export class WorkspaceGlossaries {
  private bundledGlossary: Glossary;
  private readonly entries = new Map<string, Promise<Entry>>();
  private readonly stopWatching: () => void;

  constructor(
    bundled: Glossary,
    private readonly store: TeamStore,
    private readonly logger: Logger,
  ) {
    this.bundledGlossary = bundled;
    this.stopWatching = store.watch((ws) => {
      // Another replica's change, or a reconnection after which changes may have been missed.
      const stale = ws === undefined ? [...this.entries.keys()] : [keyOf(ws)];
      for (const key of stale) if (this.entries.has(key)) void this.reload(key);
    });
  }

  /** The content shipped with the bot. */
  get bundled(): Glossary {
    return this.bundledGlossary;
  }

  /**
   * A workspace's layers; the first call for a workspace reads its terms from the store. When the store
   * cannot be read, the bundled glossary still answers (the next call tries the store again).
   */
  async layers(ws: WorkspaceRef): Promise<Layers> {
    try {
      return (await this.entry(ws)).layers;
    } catch (error) {
      this.logger.warn(
        { err: error, workspace: ws.workspace },
        "could not read the team's terms; answering from the glossary",
      );
      return layerGlossary(this.bundledGlossary, []);
    }
  }

  /** A workspace's team terms, as the store keeps them. */
  async records(ws: WorkspaceRef): Promise<readonly TeamTermRecord[]> {
    return (await this.entry(ws)).records;
  }

  /** Re-reads a workspace's terms now (after this replica changed them) and resolves once they answer. */
  async refresh(ws: WorkspaceRef): Promise<Layers> {
    return (await this.reload(keyOf(ws), ws)).layers;
  }

  /** Serves new bundled content to every workspace, keeping each team's terms. */
  replaceBundled(glossary: Glossary): void {
    this.bundledGlossary = glossary;
    for (const [key, entry] of this.entries) {
      this.entries.set(
        key,
        entry.then((e) => ({
          records: e.records,
          layers: warm(layerGlossary(glossary, e.records.map(teamTerm))),
        })),
      );
    }
  }

  /** Stops hearing about changes. */
  close(): void {
    this.stopWatching();
  }

  private entry(ws: WorkspaceRef): Promise<Entry> {
    const key = keyOf(ws);
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = this.load(ws);
      this.entries.set(key, entry);
      // A failed first read is retried by the next question rather than remembered.
      entry.catch(() => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      });
    }
    return entry;
  }

  private async load(ws: WorkspaceRef): Promise<Entry> {
    const records = await this.store.terms(ws);
    const layers = layerGlossary(this.bundledGlossary, records.map(teamTerm));
    return { records, layers: records.length === 0 ? layers : warm(layers) };
  }

  private async reload(key: string, known?: WorkspaceRef): Promise<Entry> {
    const [platform = "", workspace = ""] = key.split("\u0000");
    const ws = known ?? { platform, workspace };
    const previous = this.entries.get(key);
    try {
      const fresh = await this.load(ws);
      this.entries.set(key, Promise.resolve(fresh));
      return fresh;
    } catch (error) {
      this.logger.warn({ err: error, workspace: ws.workspace }, "could not reload the team's terms");
      if (previous !== undefined) return previous;
      throw error;
    }
  }
}
