/** Helpers for the upstream tests: whole-database snapshots, a day's slice of a book, the mirror read back. */
import { rawDatabase } from '../../support/raw-db';
import fs from 'node:fs';
import path from 'node:path';
import { localDateOf, type PracticeBook } from '../../../shared/domain';
import { databasePath } from '../../../electron/desk/store/connection';
import { main } from '../../../electron/cli/main';
import { tempDir } from '../../support/fixtures';

/** Every row of every table (and the schema version), in a stable order: "the database as it is". */
export function snapshot(dataDir: string): string {
  const db = rawDatabase(databasePath(dataDir), { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    const out: Record<string, unknown> = { user_version: db.pragma('user_version', { simple: true }) };
    for (const t of tables) out[t] = db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).raw().all();
    return JSON.stringify(out);
  } finally {
    db.close();
  }
}

/** London days of a book, as an upstream would send them: those days' appointments and what they refer to. */
export function dayOf(book: PracticeBook, ...dates: string[]): PracticeBook {
  const on = new Set(dates);
  const appointments = book.appointments.filter((a) => on.has(localDateOf(a.start)));
  const slots = book.slots.filter((s) => on.has(localDateOf(s.start)));
  const sessions = book.sessions.filter((s) => on.has(s.date));
  const patientIds = new Set(appointments.map((a) => a.patientId));
  const clinicianIds = new Set([...appointments, ...slots, ...sessions].map((x) => x.clinicianId));
  return {
    practice: book.practice,
    clinicians: book.clinicians.filter((c) => clinicianIds.has(c.id)),
    sessions,
    slots,
    patients: book.patients.filter((p) => patientIds.has(p.id)),
    appointments,
  };
}

/** The mirror's book as stored, sorted by id, with what is the desk's own (updatedAt, upstreamVersion) left out. */
export function mirrorBook(dataDir: string): unknown {
  const db = rawDatabase(databasePath(dataDir), { readonly: true, fileMustExist: true });
  try {
    const all = (q: string) => db.prepare(q).all() as Array<Record<string, unknown>>;
    return {
      practice: all('SELECT * FROM practice'),
      clinicians: all('SELECT * FROM clinician ORDER BY id'),
      sessions: all('SELECT * FROM session ORDER BY id'),
      slots: all('SELECT * FROM slot ORDER BY id'),
      patients: all('SELECT * FROM patient ORDER BY id'),
      appointments: all('SELECT * FROM appointment ORDER BY id').map(({ updated_at: _u, upstream_version: _v, ...rest }) => rest),
    };
  } finally {
    db.close();
  }
}

export function writeTemp(name: string, content: string, dir = tempDir('standby-upstream-')): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** Runs the CLI in-process and captures what it says. */
export async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(argv, { log: (l) => stdout.push(l), error: (l) => stderr.push(l) });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}
