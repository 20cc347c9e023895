/**
 * The child process of the crash test (tests/unit/desk/crash.test.ts): opens the desk on a data folder that
 * holds a book and changes appointment statuses through the contract, one transaction each, until it runs out
 * of legal changes or is killed. Each change is acknowledged on stdout as "<appointment id> <version>" only
 * after dispatch returned ok, i.e. after the commit: the test holds the desk to every line it read.
 *
 *   node crash-writer.mjs DATA_DIR
 *
 * Prints "ready" once the desk is open. Exits 0 when every appointment has reached Left, 1 on any refusal
 * (which would be a bug: it only asks for legal changes, at the version it read).
 */
import fs from 'node:fs';
import type { DeskStatus } from '../../shared/domain';
import { openDesk } from '../../electron/desk/open';

/** Booked -> Arrived -> Sent in -> Seen -> Left: four legal changes per appointment. */
export const NEXT_STATUS: Partial<Record<DeskStatus, DeskStatus>> = {
  booked: 'arrived',
  arrived: 'sent_in',
  sent_in: 'seen',
  seen: 'left',
};

// Synchronous writes: an acknowledgement is on its way to the parent before the next change starts.
const say = (line: string) => fs.writeSync(1, `${line}\n`);

function run(dataDir: string): number {
  const desk = openDesk({ dataDir, user: 'crash-writer', desk: 'crash-test' });
  const dates = desk.service.mirrorDates();
  const pending = dates.flatMap((date) => desk.service.getDay(date, null).appointments.map((a) => ({ id: a.id, status: a.status, version: a.version })));
  say('ready');
  // Round by round (everyone arrives, then everyone is sent in, ...) so each kill lands among many
  // appointments at different stages, not on one appointment's whole life.
  for (let round = 0; round < 4; round++) {
    for (const a of pending) {
      const next = NEXT_STATUS[a.status];
      if (next === undefined) continue;
      // Everyone is sent in before anyone is seen, so the clinician's room is never empty: as if confirmed each time.
      const result = desk.dispatch('setAppointmentStatus', { appointmentId: a.id, status: next, expectedVersion: a.version, despiteStillWithClinician: true }, desk.context);
      if (!result.ok) {
        process.stderr.write(`crash-writer: ${a.id} ${a.status} -> ${next} refused: ${result.error.code} ${result.error.message}\n`);
        return 1;
      }
      const value = result.value as { version: number; status: DeskStatus };
      a.status = value.status;
      a.version = value.version;
      say(`${a.id} ${value.version}`);
    }
  }
  desk.close();
  return 0;
}

const dataDir = process.argv[2];
if (dataDir === undefined) {
  process.stderr.write('usage: crash-writer DATA_DIR\n');
  process.exitCode = 2;
} else {
  process.exitCode = run(dataDir);
}
