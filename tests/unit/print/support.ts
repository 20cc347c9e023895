/**
 * Helpers for the print tests: a day (as the desk's getDay returns it) straight from a practice book, without a
 * database, and the poppler tools the PDF checks use.
 */
import { TEST_CHROMIUM } from '../../support/chromium';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_STALE_AFTER_MINUTES, type AppointmentRow, type DayView, type MirrorInfo } from '../../../shared/api';
import { localDateOf, type Appointment, type PracticeBook } from '../../../shared/domain';
import type { DayReader } from '../../../electron/desk/print';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const SHEETS_ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'sheets');
export const CHROMIUM = TEST_CHROMIUM;

/** The mirror as of 08:00 London, loaded then; `{ asOf: null }` alone is a mirror never loaded. */
export function dayOf(book: PracticeBook, date: string, mirror: Partial<MirrorInfo> = {}): DayView {
  const asOf = mirror.asOf === undefined ? '2026-07-20T07:00:00.000Z' : mirror.asOf;
  const patients = new Map(book.patients.map((p) => [p.id, p]));
  const appointments: AppointmentRow[] = book.appointments
    .filter((a) => localDateOf(a.start) === date)
    .map((a) => {
      const patient = patients.get(a.patientId);
      if (!patient) throw new Error(`fixture: appointment ${a.id} names no patient`);
      return { ...a, patient };
    });
  return {
    practice: book.practice,
    date,
    clinicians: book.clinicians,
    sessions: book.sessions.filter((s) => s.date === date),
    appointments,
    mirror: { source: 'test', mode: 'online', staleAfterMinutes: DEFAULT_STALE_AFTER_MINUTES, ...mirror, asOf, loadedAt: mirror.loadedAt === undefined ? asOf : mirror.loadedAt },
    journalSeq: 0,
  };
}

export function readerOf(book: PracticeBook, mirror: Partial<MirrorInfo> = {}): DayReader {
  return { getDay: (date) => dayOf(book, date, mirror) };
}

/** Sets statuses the way the desk would leave them, for sheets that print what happened. */
export function withStatus(book: PracticeBook, changes: Record<string, Partial<Appointment>>): PracticeBook {
  return { ...book, appointments: book.appointments.map((a) => (changes[a.id] ? { ...a, ...changes[a.id] } : a)) };
}

export function pdfText(file: string, options: { layout?: boolean; first?: number; last?: number } = {}): string {
  const args = [...(options.layout ? ['-layout'] : []), ...(options.first ? ['-f', String(options.first)] : []), ...(options.last ? ['-l', String(options.last)] : []), file, '-'];
  return execFileSync('pdftotext', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** Text of each page: pdftotext ends every page with a form feed. */
export function pdfPages(file: string, layout = true): string[] {
  const pages = pdfText(file, { layout }).split('\f');
  if (pages[pages.length - 1]?.trim() === '') pages.pop();
  return pages;
}

export function pdfInfoPages(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const m = /^Pages:\s+(\d+)/m.exec(info);
  if (!m?.[1]) throw new Error(`pdfinfo gave no page count for ${file}`);
  return Number(m[1]);
}

export function saveArtifact(name: string, data: Uint8Array): string {
  fs.mkdirSync(SHEETS_ARTIFACTS, { recursive: true });
  const file = path.join(SHEETS_ARTIFACTS, name);
  fs.writeFileSync(file, data);
  return file;
}

/** pdftotext puts the letters of one word together but may reflow; compare without case or extra spaces. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').toLocaleUpperCase('en-GB');
}
