/**
 * The practice's rules for the desk (shared/api/desk-settings.ts): one JSON value in meta, so a desk group
 * replicates it with the rest of the day; replaced whole by a manager and audited. And the one place the
 * online-changes rule is enforced: every operation that changes the book at the desk passes through
 * refuseOnlineChanges, whichever transport, desk or room called it.
 */
import { DEFAULT_DESK_SETTINGS, DeskError, DeskSettings, BOOK_CHANGING_OPERATIONS, ONLINE_REFUSAL } from '../../../shared/api';
import type { AuditTrail } from '../audit/audit';
import type { Handlers, RequestContext } from '../dispatch';
import { sql, type Db } from '../store/sql';

const DESK_SETTINGS_META = 'desk.settings';

/** The stored settings, or the defaults when none are stored (or, after a downgrade, they no longer parse). */
export function readDeskSettings(db: Db): DeskSettings {
  const raw = db.get<{ value: string }>(sql`SELECT value FROM meta WHERE key = ${DESK_SETTINGS_META}`)?.value;
  if (raw === undefined) return DEFAULT_DESK_SETTINGS;
  try {
    const parsed = DeskSettings.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : DEFAULT_DESK_SETTINGS;
  } catch {
    return DEFAULT_DESK_SETTINGS;
  }
}

export class DeskSettingsDesk {
  constructor(private readonly deps: { db: Db; audit: AuditTrail; clock: () => Date }) {}

  get(): DeskSettings {
    return readDeskSettings(this.deps.db);
  }

  set(settings: DeskSettings, ctx: RequestContext): DeskSettings {
    const { db, audit } = this.deps;
    db.transaction(() => {
      const before = readDeskSettings(db);
      db.run(sql`INSERT INTO meta (key, value) VALUES (${DESK_SETTINGS_META}, ${JSON.stringify(settings)}) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
      audit.append({ at: this.deps.clock().toISOString(), user: ctx.user, desk: ctx.desk, kind: 'settings-changed', detail: { setting: 'desk', from: before, to: settings } });
    });
    return this.get();
  }
}

/**
 * The handlers, with every desk change to the book (BOOK_CHANGING_OPERATIONS, read off the contract's policies)
 * refused while `refused()` says so: the desk is online and the practice refuses changes then. Checked before the
 * handler runs, so a refused change writes nothing.
 */
export function refuseOnlineChanges(handlers: Handlers, refused: () => boolean): Handlers {
  const guarded: Record<string, unknown> = { ...handlers };
  for (const name of BOOK_CHANGING_OPERATIONS) {
    const handler = handlers[name] as (input: unknown, ctx: RequestContext) => unknown;
    guarded[name] = (input: unknown, ctx: RequestContext): unknown => {
      if (refused()) throw new DeskError('forbidden', ONLINE_REFUSAL);
      return handler(input, ctx);
    };
  }
  return guarded as Handlers;
}
