/**
 * The practice's own CSV mapping (shared/api/feed-mapping.ts), built by a manager on screen from a sample file:
 * kept as one JSON value in meta (so it is encrypted with the rest of the database, and a desk group replicates
 * it), replaced whole and audited. The watched folder reads CSV files with it when upkeep-settings.json names no
 * mapping file; a mapping file named there still wins (practice IT put it there on purpose), and getFeedMapping
 * says which is in force.
 */
import {
  CSV_FIELD_NAMES,
  CSV_FIELDS,
  completeMapping,
  DeskError,
  SavedFeedMapping,
  type CsvMappingFile,
  type FeedMappingPreview,
  type FeedMappingState,
} from '../../../shared/api';
import type { AuditTrail } from '../audit/audit';
import type { RequestContext } from '../dispatch';
import { previewMapping } from '../upstream/csv/guess';
import { MappingError, resolveMapping, type ResolvedMapping } from '../upstream/csv/mapping';
import { sql, type Db } from '../store/sql';

const FEED_MAPPING_META = 'feeds.mapping';

/** The saved mapping, or null when none is saved (or, after a downgrade, it no longer parses). */
export function readSavedFeedMapping(db: Db): SavedFeedMapping | null {
  const raw = db.get<{ value: string }>(sql`SELECT value FROM meta WHERE key = ${FEED_MAPPING_META}`)?.value;
  if (raw === undefined) return null;
  try {
    const parsed = SavedFeedMapping.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export class FeedMappingDesk {
  /** The mapping file upkeep-settings.json names for the watched folder, if any: it wins over the saved mapping. */
  private watchFile: string | null = null;

  constructor(private readonly deps: { db: Db; audit: AuditTrail; clock: () => Date }) {}

  preview(input: { sample: string; mapping?: CsvMappingFile | undefined }): FeedMappingPreview {
    return previewMapping(input.sample, input.mapping);
  }

  /** Said by upkeep when the watched folder has a mapping file of its own (null: it has none). */
  useWatchFile(name: string | null): void {
    this.watchFile = name;
  }

  state(): FeedMappingState {
    const saved = readSavedFeedMapping(this.deps.db);
    const inForce: FeedMappingState['inForce'] =
      this.watchFile !== null ? { source: 'file', file: this.watchFile } : saved ? { source: 'saved', name: saved.name } : { source: 'default' };
    return { saved, inForce };
  }

  /** The saved mapping, resolved for the reader; null when none is saved. Read at each import, so a save counts at once. */
  resolvedSaved(): ResolvedMapping | null {
    const saved = readSavedFeedMapping(this.deps.db);
    if (!saved) return null;
    try {
      return resolveMapping(saved.mapping);
    } catch {
      return null; // save() refuses such a mapping; only a hand-edited database could hold one
    }
  }

  save(input: { name: string; mapping: CsvMappingFile }, ctx: RequestContext): FeedMappingState {
    const { db, audit } = this.deps;
    // Saved whole, every field named, so a later change to the default cannot change what the practice saved.
    const mapping = completeMapping(input.mapping);
    const missing = CSV_FIELD_NAMES.filter((f) => CSV_FIELDS[f].required && mapping.columns[f] === null);
    if (missing.length > 0) {
      throw new DeskError('invalid_input', `choose a column for ${missing.map((f) => CSV_FIELDS[f].label).join(', ')}: every row needs one; nothing was saved`);
    }
    try {
      resolveMapping(mapping);
    } catch (error) {
      if (error instanceof MappingError) throw new DeskError('invalid_input', `${error.message}; nothing was saved`);
      throw error;
    }
    const saved: SavedFeedMapping = { name: input.name, mapping, savedAt: this.deps.clock().toISOString(), savedBy: ctx.user };
    db.transaction(() => {
      const before = readSavedFeedMapping(db);
      db.run(sql`INSERT INTO meta (key, value) VALUES (${FEED_MAPPING_META}, ${JSON.stringify(saved)}) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
      audit.append({
        at: saved.savedAt,
        user: ctx.user,
        desk: ctx.desk,
        kind: 'settings-changed',
        detail: { setting: 'feed-mapping', from: before?.name ?? null, to: input.name, mapping },
      });
    });
    return this.state();
  }
}
