/**
 * The practice's settings for clinicians' rooms and the waiting-room displays (issue 17): how a display names
 * people, chime and speech, waiting areas, and whether clinicians may DNA. One JSON value in meta, so a desk group
 * replicates it with the rest of the day; replaced whole and audited.
 */
import { DEFAULT_ROOM_SETTINGS, PracticeRoomSettings, type RoomSettingsView } from '../../../shared/api';
import type { AuditTrail } from '../audit/audit';
import type { RequestContext } from '../dispatch';
import { CallStore } from '../store/calls';
import { sql, type Db } from '../store/sql';

const ROOM_SETTINGS_META = 'rooms.settings';

/** The stored settings, or the defaults when none are stored (or, after a downgrade, they no longer parse). */
export function readRoomSettings(db: Db): PracticeRoomSettings {
  const raw = db.get<{ value: string }>(sql`SELECT value FROM meta WHERE key = ${ROOM_SETTINGS_META}`)?.value;
  if (raw === undefined) return DEFAULT_ROOM_SETTINGS;
  try {
    const parsed = PracticeRoomSettings.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : DEFAULT_ROOM_SETTINGS;
  } catch {
    return DEFAULT_ROOM_SETTINGS;
  }
}

export class RoomSettingsDesk {
  constructor(private readonly deps: { db: Db; audit: AuditTrail; clock: () => Date }) {}

  view(): RoomSettingsView {
    return { settings: readRoomSettings(this.deps.db), knownRooms: new CallStore(this.deps.db).knownRooms() };
  }

  set(settings: PracticeRoomSettings, ctx: RequestContext): RoomSettingsView {
    const { db, audit } = this.deps;
    db.transaction(() => {
      const before = readRoomSettings(db);
      db.run(sql`INSERT INTO meta (key, value) VALUES (${ROOM_SETTINGS_META}, ${JSON.stringify(settings)}) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
      audit.append({ at: this.deps.clock().toISOString(), user: ctx.user, desk: ctx.desk, kind: 'settings-changed', detail: { setting: 'rooms', from: before, to: settings } });
    });
    return this.view();
  }
}
