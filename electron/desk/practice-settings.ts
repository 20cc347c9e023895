/**
 * The practice's settings as saved on screen (first-run set-up and the settings screen, issue 20): kept in the
 * desk's meta table, so in the database, which is encrypted with the database key (store/key.ts; in the app that
 * key is kept by safeStorage). The FHIR token is kept there too, apart from the rest, and never leaves: the
 * settings screen is told only that one is kept, and the audit trail only that it changed.
 *
 * What is in force is these values with the JSON files' over them (upkeep-settings.ts, backup/settings.ts): this
 * module gives the files' readers the saved values in the files' own shape (upkeepParts, backupParts).
 */
import { PracticeSettings, type PracticeSettings as PracticeSettingsValue } from '../../shared/api';
import type { AuditTrail } from './audit/audit';
import type { RequestContext } from './dispatch';
import { sql, type Db } from './store/sql';

const SETTINGS_META = 'practice.settings';
const TOKEN_META = 'practice.fhirToken';

/** The saved values in upkeep-settings.json's shape: the file's parts are laid over them field by field. */
export interface UpkeepParts {
  fhir?: Record<string, unknown>;
  watch?: Record<string, unknown>;
  pack?: Record<string, unknown>;
}

/** The saved backup folder and interval in backup-settings.json's shape: the file's fields are laid over them. */
export interface BackupParts {
  dir?: string;
  everyMinutes?: number;
}

/** What was saved on screen, from any connection to the desk's database (a read-only one: `standby-desk backup`). */
export function savedPracticeSettings(db: Db): PracticeSettingsValue | null {
  const text = metaValue(db, SETTINGS_META);
  if (text === null) return null;
  const parsed = PracticeSettings.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : null;
}

export function savedBackupParts(db: Db): BackupParts {
  const backup = savedPracticeSettings(db)?.backup;
  return backup ? { dir: backup.dir, everyMinutes: backup.everyMinutes } : {};
}

function metaValue(db: Db, key: string): string | null {
  return db.get<{ value: string }>(sql`SELECT value FROM meta WHERE key = ${key}`)?.value ?? null;
}

export class PracticeSettingsStore {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: { db: Db; audit: AuditTrail; clock: () => Date }) {}

  /** What was saved on screen; null before set-up (or if what is stored no longer fits, which is said nowhere else). */
  read(): PracticeSettingsValue | null {
    return savedPracticeSettings(this.deps.db);
  }

  /** The FHIR token kept, for the desk's own pulls and connection tests only: never sent to a screen. */
  fhirToken(): string | null {
    return this.meta(TOKEN_META);
  }

  /** Set-up saves the settings and makes the first accounts in one transaction. */
  transaction<T>(fn: () => T): T {
    return this.deps.db.transaction(fn);
  }

  /**
   * Saves the settings (and the token: a string replaces it, null removes it, undefined keeps it), audited without
   * the token. Call inside the caller's transaction when it is part of more (set-up); listeners hear after.
   */
  save(next: PracticeSettingsValue, token: string | null | undefined, ctx: RequestContext, firstRun = false): void {
    const before = this.read();
    const changed = changedFields(before, next);
    this.deps.db.transaction(() => {
      this.setMeta(SETTINGS_META, JSON.stringify(next));
      if (token === null) this.deps.db.run(sql`DELETE FROM meta WHERE key = ${TOKEN_META}`);
      else if (token !== undefined) this.setMeta(TOKEN_META, token);
      const tokenChange = token === undefined ? undefined : token === null ? 'removed' : 'replaced';
      this.deps.audit.append({
        at: this.deps.clock().toISOString(),
        user: ctx.user,
        desk: ctx.desk,
        kind: 'settings-changed',
        // Which fields changed, never a value: folder paths name servers, and the token is a secret.
        detail: { setting: 'practice', changed, ...(tokenChange === undefined ? {} : { token: tokenChange }), ...(firstRun ? { firstRun: true } : {}) },
      });
    });
  }

  /** Told after every save (upkeep restarts with the values in force). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  upkeepParts(): UpkeepParts {
    const s = this.read();
    const token = this.meta(TOKEN_META);
    if (s === null) return token === null ? {} : { fhir: { token } };
    const parts: UpkeepParts = {};
    if (s.book.kind === 'fhir') parts.fhir = { url: s.book.url, everyMinutes: s.book.everyMinutes, ods: s.practice.odsCode, ...(token === null ? {} : { token }) };
    if (s.book.kind === 'watch') parts.watch = { dir: s.book.dir, feed: s.book.feed };
    if (s.pack) parts.pack = { dir: s.pack.dir, days: s.pack.days };
    return parts;
  }

  backupParts(): BackupParts {
    return savedBackupParts(this.deps.db);
  }

  private meta(key: string): string | null {
    return metaValue(this.deps.db, key);
  }

  private setMeta(key: string, value: string): void {
    this.deps.db.run(sql`INSERT INTO meta (key, value) VALUES (${key}, ${value}) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
  }
}

function changedFields(before: PracticeSettingsValue | null, next: PracticeSettingsValue): string[] {
  const flat = (s: PracticeSettingsValue | null): Record<string, unknown> => ({
    'practice.name': s?.practice.name,
    'practice.odsCode': s?.practice.odsCode,
    book: s?.book.kind,
    'fhir.url': s?.book.kind === 'fhir' ? s.book.url : undefined,
    'fhir.everyMinutes': s?.book.kind === 'fhir' ? s.book.everyMinutes : undefined,
    'watch.dir': s?.book.kind === 'watch' ? s.book.dir : undefined,
    'watch.feed': s?.book.kind === 'watch' ? s.book.feed : undefined,
    'pack.dir': s?.pack?.dir,
    'pack.days': s?.pack?.days,
    'backup.dir': s?.backup?.dir,
    'backup.everyMinutes': s?.backup?.everyMinutes,
  });
  const a = flat(before);
  const b = flat(next);
  return Object.keys(b).filter((k) => a[k] !== b[k]);
}
