/**
 * Keeping the key (issue 20, item 4), end to end under Node with real encrypted SQLite files and a real PDF from
 * Chromium: a desk whose key is in its key file prints its recovery sheet and is backed up; the key file is lost;
 * a fresh data folder is restored with the words read back out of the PDF (pdftotext: the sheet itself is what is
 * tested), and opens with the data in it. Another desk's sheet, and mistyped words, are refused with the folder
 * left as it was. Readiness's key check turns green once the sheet is printed for the key in use.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../electron/cli/main';
import { openDesk } from '../../../electron/desk/open';
import { RECOVERY_WORDS_ENV } from '../../../electron/desk/recovery/restore';
import { qrSvg, recoverySheetDocument } from '../../../electron/desk/recovery/sheet';
import { requestedSheet } from '../../../electron/desk/sheet-request';
import { printRecoverySheetInApp, type SheetPrintDeps } from '../../../electron/main/print';
import type { DeskError } from '../../../shared/api';
import { deskWithAccounts, MANAGER, RECEPTIONIST } from '../auth/support';
import { keyFingerprint, keyToRecoveryWords } from '../../../electron/desk/recovery/words';
import { databasePath } from '../../../electron/desk/store/connection';
import { KEY_ENV, keyFileFor, newDatabaseKey } from '../../../electron/desk/store/key';
import { smallBook, tempDir } from '../../support/fixtures';
import { pdfText } from '../print/support';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
// The suite sets one key for every test (vitest.config.ts); here each desk has its own key file, as on a real PC.
beforeEach(() => vi.stubEnv(KEY_ENV, ''));
afterEach(() => vi.unstubAllEnvs());

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { log: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A desk on its own key file, holding the small book, under a fresh parent folder (the key file sits beside it). */
function deskOnKeyFile(): string {
  const parent = tempDir();
  dirs.push(parent);
  const dataDir = path.join(parent, 'desk');
  const desk = openDesk({ dataDir, user: 'pm.jones', desk: 'office' });
  desk.service.loadBook(smallBook(), 'test fixture', desk.context);
  desk.close();
  expect(fs.existsSync(keyFileFor(dataDir))).toBe(true);
  return dataDir;
}

async function printSheet(dataDir: string): Promise<{ pdf: string; fingerprint: string }> {
  const pdf = path.join(path.dirname(dataDir), 'recovery-sheet.pdf');
  const printed = await cli('recovery-sheet', '--data', dataDir, '--out', pdf, '--json');
  expect(printed.code).toBe(0);
  return { pdf, fingerprint: (JSON.parse(printed.out) as { keyFingerprint: string }).keyFingerprint };
}

/** The words as printed: "1. word" in three columns, put back in number order. */
function wordsOnSheet(pdf: string): string {
  const pairs = [...pdfText(pdf, { layout: true }).matchAll(/\b(\d{1,2})\.\s+([a-z]+)\b/g)].map((m) => [Number(m[1]), m[2] ?? ''] as const);
  const words = pairs.sort((a, b) => a[0] - b[0]).map(([, w]) => w);
  expect(pairs.map(([n]) => n)).toEqual(Array.from({ length: 24 }, (_x, i) => i + 1));
  return words.join(' ');
}

async function backUp(dataDir: string): Promise<string> {
  const to = path.join(path.dirname(dataDir), 'backups');
  const taken = await cli('backup', '--data', dataDir, '--to', to, '--json');
  expect(taken.code).toBe(0);
  return (JSON.parse(taken.out) as { file: string }).file;
}

function listing(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String).sort() : [];
}

describe('the recovery sheet', () => {
  it('restores a backup on a fresh data folder once the key is lost, and a wrong sheet is refused with nothing changed', async () => {
    const dataDir = deskOnKeyFile();
    const key = fs.readFileSync(keyFileFor(dataDir), 'utf8').trim();
    const { pdf, fingerprint } = await printSheet(dataDir);
    expect(fs.statSync(pdf).mode & 0o077).toBe(0);
    const text = pdfText(pdf);
    expect(text).toContain(smallBook().practice.name);
    expect(text).toContain('Key fingerprint');
    expect(text).toContain(fingerprint);
    expect(fingerprint).toBe(keyFingerprint(key));
    const words = wordsOnSheet(pdf);
    expect(words.split(' ')).toEqual(keyToRecoveryWords(key));
    const backup = await backUp(dataDir);

    // The PC is lost with its key: only the backup and the sheet are left.
    fs.rmSync(keyFileFor(dataDir));
    const parent = tempDir();
    dirs.push(parent);
    const fresh = path.join(parent, 'desk');

    // Another desk's sheet: its key does not open this backup, and the new folder is left as it was (empty).
    const otherKey = newDatabaseKey();
    vi.stubEnv(RECOVERY_WORDS_ENV, keyToRecoveryWords(otherKey).join(' '));
    const refused = await cli('restore', backup, '--data', fresh, '--recovery-words');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`this sheet's key does not open this backup (sheet fingerprint ${keyFingerprint(otherKey)})`);
    expect(refused.err).toContain('was not restored');
    expect(listing(parent)).toEqual([]);

    // A word mistyped: caught by the checksum before the backup is tried.
    vi.stubEnv(RECOVERY_WORDS_ENV, words.replace(/^(\w+) (\w+)/, '$2 $1'));
    const mistyped = await cli('restore', backup, '--data', fresh, '--recovery-words');
    expect(mistyped.code).toBe(1);
    expect(mistyped.err).toMatch(/the recovery words are wrong: the words do not match their checksum/);
    expect(listing(parent)).toEqual([]);

    vi.stubEnv(RECOVERY_WORDS_ENV, words);
    const restored = await cli('restore', backup, '--data', fresh, '--recovery-words', '--json');
    expect(restored.code).toBe(0);
    expect(JSON.parse(restored.out)).toMatchObject({ keyFingerprint: fingerprint, keyFile: keyFileFor(fresh), keptAs: null, database: databasePath(fresh) });
    expect(fs.statSync(keyFileFor(fresh)).mode & 0o077).toBe(0);

    // The new PC opens the restored desk with the kept key and finds the practice's book.
    const reopened = openDesk({ dataDir: fresh });
    try {
      const status = reopened.service.getMirrorStatus();
      expect(status.practice?.name).toBe(smallBook().practice.name);
      expect(status.dates.reduce((n, d) => n + d.total, 0)).toBe(smallBook().appointments.length);
    } finally {
      reopened.close();
    }
  }, 90_000);

  it('is refused over a data folder that holds another key, leaving its database and key as they were', async () => {
    const dataDir = deskOnKeyFile();
    const { pdf } = await printSheet(dataDir);
    const backup = await backUp(dataDir);
    const other = deskOnKeyFile();
    const before = { key: fs.readFileSync(keyFileFor(other), 'utf8'), files: listing(other) };
    vi.stubEnv(RECOVERY_WORDS_ENV, wordsOnSheet(pdf));
    const refused = await cli('restore', backup, '--data', other, '--recovery-words');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/this data folder already has another key \(fingerprint [0-9a-f]{8}\)/);
    expect({ key: fs.readFileSync(keyFileFor(other), 'utf8'), files: listing(other) }).toEqual(before);
  }, 60_000);

  it("turns readiness's key check green once printed for the key in use, and its print is in the audit trail", async () => {
    const dataDir = deskOnKeyFile();
    const keyCheck = async () => {
      const run = await cli('readiness', '--data', dataDir, '--json');
      return (JSON.parse(run.out) as { checks: Array<{ id: string; status: string; fix: string }> }).checks.find((c) => c.id === 'key');
    };
    expect(await keyCheck()).toMatchObject({ status: 'amber', fix: expect.stringContaining('print the recovery sheet') });
    // A sheet printed for another key (the desk's key before a restore onto a new PC, say) does not count.
    const desk = openDesk({ dataDir });
    desk.service.recordAudit('print', { sheet: 'recovery-sheet', keyFingerprint: '00000000', to: 'pdf' }, desk.context);
    desk.close();
    expect((await keyCheck())?.status).toBe('amber');

    const { fingerprint } = await printSheet(dataDir);
    expect(await keyCheck()).toMatchObject({ status: 'green', detail: expect.stringMatching(/^recovery sheet printed at 2026-/) });
    const audited = openDesk({ dataDir });
    try {
      const prints = audited.service.audit.list({ kind: 'print' }).map((e) => e.detail);
      expect(prints).toContainEqual({ sheet: 'recovery-sheet', keyFingerprint: fingerprint, to: 'pdf' });
    } finally {
      audited.close();
    }
  }, 60_000);

  it('holds the words in its QR code, and its HTML carries no script', () => {
    const key = '5eed'.repeat(16);
    const doc = recoverySheetDocument({ practice: null, printedAt: '2026-07-20T08:00:00.000Z', printedBy: 'pm.jones', key });
    expect(doc.html).toContain(qrSvg(keyToRecoveryWords(key).join(' ')));
    expect(qrSvg('other words')).not.toBe(qrSvg(keyToRecoveryWords(key).join(' ')));
    expect(doc.html).not.toMatch(/<script/i);
    expect(doc.html).toContain('Practice not recorded');
    expect(doc.title).toContain(keyFingerprint(key));
  });
});

describe('printRecoverySheet in the app', () => {
  it("gives the sheet to a manager only, and the print's record turns the key check green", async () => {
    vi.unstubAllEnvs(); // this desk uses the suite's key (vitest.config.ts)
    const { desk } = deskWithAccounts();
    dirs.push(desk.dataDir);
    try {
      const signedIn = (username: string, secret: string, sessionId: string) => {
        const ctx = { user: 'anonymous', desk: 'office', sessionId };
        expect(desk.dispatch('signIn', { username, secret }, ctx).ok).toBe(true);
        return ctx;
      };
      const manager = signedIn(MANAGER.username, MANAGER.secret, 'session-pm');
      const receptionist = signedIn(RECEPTIONIST.username, RECEPTIONIST.pin, 'session-rx');
      const printed: string[] = [];
      // Main's side with test doubles for Electron's dialog and printer; the desk's side is the real desk.
      const deps = (): SheetPrintDeps => ({
        sheet: (request, ctx) => {
          try {
            return Promise.resolve({ ok: true, value: requestedSheet(desk.service, request, ctx, desk.service.clock()) });
          } catch (error) {
            return Promise.resolve({ ok: false, error: (error as DeskError).toShape() });
          }
        },
        print: (doc) => (printed.push(doc.html), Promise.resolve('printed')),
        toPdf: () => Promise.reject(new Error('not asked for')),
        choosePdfFile: () => Promise.resolve(null),
        writeFile: () => Promise.resolve(),
        recordPrint: (input, ctx) => Promise.resolve(desk.dispatch('recordPrint', input, ctx)),
        localNow: () => ({ date: '2026-07-20', time: '08:14' }),
      });
      const keyStatus = () => desk.service.readiness().checks.find((c) => c.id === 'key')?.status;

      const refused = await printRecoverySheetInApp({ to: 'printer' }, receptionist, deps());
      expect(refused.ok ? 'printed' : refused.error.code).toBe('forbidden');
      // Nor can anyone but a manager make the check green by recording a print of it.
      expect(desk.dispatch('recordPrint', { what: 'sheet', sheet: 'recovery-sheet' }, receptionist)).toMatchObject({ ok: false });
      expect(printed).toEqual([]);
      expect(keyStatus()).toBe('amber');

      expect(await printRecoverySheetInApp({ to: 'printer' }, manager, deps())).toEqual({ ok: true, value: { outcome: 'printed', file: null } });
      const key = process.env[KEY_ENV] ?? '';
      expect(printed[0]).toContain(qrSvg(keyToRecoveryWords(key).join(' ')));
      expect(printed[0]).toContain(`by ${MANAGER.username}`);
      expect(keyStatus()).toBe('green');
      expect(desk.service.audit.list({ kind: 'print' }).at(-1)).toMatchObject({ user: MANAGER.username, detail: { sheet: 'recovery-sheet', keyFingerprint: keyFingerprint(key) } });
    } finally {
      desk.close();
    }
  });
});
