import type BetterSqlite3 from 'better-sqlite3';
import { APPOINTMENT_ORIGINS, CALL_KINDS, TRIAGE_CATEGORIES } from '../../../../shared/domain/entities';

const list = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

/**
 * The reception desk's own facts, kept beside the mirrored rows (shared/domain AppointmentDesk, PatientDesk):
 *
 * - appointment: where it came from (upstream, a walk-in, a rebooking), the walk-in's triage and whether they
 *   wait on the duty list, the day's waiting-room ticket, how they were called (on the display or quietly), and
 *   the links between a cancelled appointment and its rebooking. Defaults describe a record as pulled, so
 *   upstream writers (refresh, loadBook) need not know these columns. Appointments created at the desk carry
 *   version >= 1 and upstream_version NULL: refresh treats version > 0 as a local change and keeps them.
 * - patient: `local` marks a patient registered at the desk, who exists nowhere upstream until merge-back. A
 *   refresh only removes patients it pulled and nothing refers to, but the database guards it as well: deleting
 *   a local patient is silently skipped (RAISE(IGNORE)), so no bulk DELETE can lose one. Merge-back clears
 *   `local` once upstream has the patient.
 * - slots are not written: a slot is taken at the desk when a live appointment points at it (indexed here), so
 *   the upstream slot row stays exactly as pulled and a refresh has nothing of ours to overwrite.
 */
export function updateToSchemaVersion3(db: BetterSqlite3.Database): void {
  db.exec(`
    ALTER TABLE appointment ADD COLUMN origin TEXT NOT NULL DEFAULT 'upstream' CHECK (origin IN (${list(APPOINTMENT_ORIGINS)}));
    ALTER TABLE appointment ADD COLUMN triage TEXT CHECK (triage IS NULL OR triage IN (${list(TRIAGE_CATEGORIES)}));
    ALTER TABLE appointment ADD COLUMN duty_list INTEGER NOT NULL DEFAULT 0 CHECK (duty_list IN (0, 1));
    ALTER TABLE appointment ADD COLUMN ticket INTEGER CHECK (ticket IS NULL OR ticket > 0);
    ALTER TABLE appointment ADD COLUMN call_kind TEXT CHECK (call_kind IS NULL OR call_kind IN (${list(CALL_KINDS)}));
    ALTER TABLE appointment ADD COLUMN rebooked_from TEXT;
    ALTER TABLE appointment ADD COLUMN rebooked_to TEXT;
    CREATE INDEX appointment_by_slot ON appointment(slot_id) WHERE slot_id IS NOT NULL;

    ALTER TABLE patient ADD COLUMN local INTEGER NOT NULL DEFAULT 0 CHECK (local IN (0, 1));
    ALTER TABLE patient ADD COLUMN temporary_resident INTEGER NOT NULL DEFAULT 0 CHECK (temporary_resident IN (0, 1));
    CREATE TRIGGER patient_local_is_kept BEFORE DELETE ON patient WHEN OLD.local = 1
      BEGIN SELECT RAISE(IGNORE); END;
  `);
}
