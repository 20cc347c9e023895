import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { DeskLog, LOG_FILE, LOG_FOLDER, scrubPatientData } from '../../../electron/desk/log';
import { openDesk } from '../../../electron/desk/open';
import { UPKEEP_SETTINGS_FILE } from '../../../electron/desk/upkeep-settings';
import { bookToFhirResources } from '../../../electron/desk/upstream';
import { startDeskHost } from '../../../electron/desk-process/host';
import type { HostMessage, HostRequest } from '../../../electron/desk-process/protocol';
import type { Result } from '../../../shared/api';
import { FhirTestServer } from '../../doubles/fhir-server';
import { deskWithAccounts, MANAGER, RECEPTIONIST } from '../auth/support';
import { TEST_DAY } from '../../support/clock';
import { smallBook, tempDir } from '../../support/fixtures';
import { ManualTimers } from '../../support/timers';

const AT = new Date('2026-07-20T08:00:00Z');
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('scrubbing a line', () => {
  const MASKED: Record<string, string> = {
    'NHS number 999 000 0018 refused': 'NHS number [number] refused',
    'nhsNumber: 9990000018 is not valid': 'nhsNumber: [number] is not valid',
    'call 07700 900101 back': 'call [number] back',
    'familyName: "O\'Brien" is too long': 'familyName: "…" is too long',
    "the patient 'Zoë Müller' was locked": 'the patient "…" was locked',
    'mail pat@example.org': 'mail [e-mail]',
    'two\nlines': 'two lines',
  };
  it.each(Object.entries(MASKED))('%j becomes %j', (line, scrubbed) => {
    expect(scrubPatientData(line)).toBe(scrubbed);
  });

  it('keeps what IT needs: counts, times, dates, sizes and timestamped file names', () => {
    const line = 'backup /d/backups/standby-desk-20260720T081400Z.sqlite (812 KiB, 40 ms); 5 added on 2026-07-20 at 08:30';
    expect(scrubPatientData(line)).toBe(line);
  });
});

describe('the log file', () => {
  it('rotates at its size limit, keeping the newest files, and reads back oldest line first', () => {
    const dataDir = tempDir();
    const log = new DeskLog(dataDir, { clock: () => AT, maxBytes: 200, files: 3 });
    // Each line is 50 bytes with its time and level: four to a file.
    for (let i = 1; i <= 20; i++) log.info(`line ${String(i).padStart(2, '0')} ${'x'.repeat(10)}`);
    const names = fs.readdirSync(path.join(dataDir, LOG_FOLDER)).sort();
    expect(names).toEqual([LOG_FILE, `${LOG_FILE}.1`, `${LOG_FILE}.2`]);
    for (const name of names) expect(fs.statSync(path.join(dataDir, LOG_FOLDER, name)).size).toBeLessThanOrEqual(200);
    const lines = log.read().trimEnd().split('\n');
    expect(lines.map((l) => /line (\d+)/.exec(l)?.[1])).toEqual(['09', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20']);
    expect(lines[0]).toBe(`2026-07-20T08:00:00.000Z INFO  line 09 ${'x'.repeat(10)}`);
    expect(log.files().map((f) => path.basename(f))).toEqual([`${LOG_FILE}.2`, `${LOG_FILE}.1`, LOG_FILE]);
  });

  it('drops a line it cannot write rather than stopping the desk', () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, LOG_FOLDER), 'a file where the folder should be');
    expect(() => new DeskLog(dataDir).error('backup failed')).not.toThrow();
  });
});

describe('exporting the log', () => {
  it('gives a manager the whole log as one file and audits it; a receptionist is refused', () => {
    const { desk } = deskWithAccounts();
    cleanups.push(() => desk.close());
    desk.service.log?.info('the desk is open');
    const manager = { user: 'anonymous', desk: 'office', sessionId: 'm' };
    const reception = { user: 'anonymous', desk: 'front-1', sessionId: 'r' };
    desk.dispatch('signIn', { username: MANAGER.username, secret: MANAGER.secret }, manager);
    desk.dispatch('signIn', { username: RECEPTIONIST.username, secret: RECEPTIONIST.pin }, reception);

    expect(desk.dispatch('exportLog', {}, reception)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const out = desk.dispatch('exportLog', {}, manager);
    expect(out).toMatchObject({
      ok: true,
      value: { fileName: 'standby-desk-log-20260720T080000Z.txt', contentType: 'text/plain; charset=utf-8', content: expect.stringContaining('INFO  the desk is open'), files: 1 },
    });
    expect(desk.service.audit.list({ kind: 'export' }).at(-1)).toMatchObject({ user: MANAGER.username, detail: { what: 'log', files: 1 } });
  });

  it('standby-desk log prints it, and --export DIR saves it there', async () => {
    const dataDir = tempDir();
    openDesk({ dataDir }).close();
    new DeskLog(dataDir).warn('upkeep-settings.json: pack.days: too big; no outage pack is written');
    const lines: string[] = [];
    const out = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
    expect(await main(['log', '--data', dataDir], out)).toBe(0);
    expect(lines.join('\n')).toContain('WARN  upkeep-settings.json: pack.days');

    const exportDir = tempDir();
    expect(await main(['log', '--data', dataDir, '--export', exportDir], out)).toBe(0);
    const [saved] = fs.readdirSync(exportDir);
    expect(saved).toMatch(/^standby-desk-log-\d{8}T\d{6}Z\.txt$/);
    expect(fs.readFileSync(path.join(exportDir, saved ?? ''), 'utf8')).toContain('pack.days: too big');
  });
});

describe('a day at the desk, as the log tells it', () => {
  it('says when it started and stopped, what upkeep did and what failed, and names no patient', async () => {
    const book = smallBook(TEST_DAY);
    const server = await FhirTestServer.start();
    cleanups.push(() => server.close());
    server.seed(bookToFhirResources(book));
    const dataDir = tempDir('standby-log-day-');
    fs.writeFileSync(path.join(dataDir, UPKEEP_SETTINGS_FILE), JSON.stringify({ fhir: { url: server.baseUrl, everyMinutes: 5 } }));

    // The desk process on a port of our own: requests in, messages out, in order.
    const timers = new ManualTimers();
    const messages: HostMessage[] = [];
    const waiting: Array<{ test: (m: HostMessage) => boolean; resolve: (m: HostMessage) => void }> = [];
    const received = (m: HostMessage) => {
      messages.push(m);
      for (const w of waiting.filter((x) => x.test(m))) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(m);
      }
    };
    /** Resolves with the first message (already here or still to come) that passes the test: awaited, never polled. */
    const waitFor = (test: (m: HostMessage) => boolean) =>
      new Promise<HostMessage>((resolve) => {
        const found = messages.find(test);
        if (found) resolve(found);
        else waiting.push({ test, resolve });
      });
    const listeners: Array<(m: HostRequest) => void> = [];
    const host = startDeskHost({ postMessage: received, onMessage: (l) => listeners.push(l) }, { dataDir, timers });
    const send = (m: HostRequest) => listeners.forEach((l) => l(m));
    let nextId = 1;
    const call = async (name: string, input: unknown): Promise<Result<unknown>> => {
      const id = nextId++;
      send({ type: 'call', id, name, input, ctx: { user: 'reception1', desk: 'FRONT-DESK' } });
      return ((await waitFor((m) => m.type === 'result' && m.id === id)) as { result: Result<unknown> }).result;
    };
    const logged = (text: string) => (m: HostMessage) => m.type === 'log' && m.message.includes(text);

    await waitFor((m) => m.type === 'ready');
    await waitFor(logged('Pulled from'));
    const [patient] = book.patients;
    const appointment = book.appointments.find((a) => a.patientId === patient?.id);
    expect(await call('setAppointmentStatus', { appointmentId: appointment?.id, status: 'arrived' })).toMatchObject({ ok: true });
    expect(
      await call('addAppointmentNote', { appointmentId: appointment?.id, text: `${patient?.givenName} ${patient?.familyName} rang on ${patient?.phone}: running late` }),
    ).toMatchObject({ ok: true });
    expect(await call('updatePatientContact', { patientId: book.patients[1]?.id, phone: '07700 900999' })).toMatchObject({ ok: true });

    // The clinical system fails the next pull in words of its own that name a patient.
    server.inject({ status: 500, diagnostics: `Patient "${patient?.familyName}, ${patient?.givenName}" (NHS ${patient?.nhsNumber}) is locked` });
    const pullTimer = timers.pending.find((t) => t.ms === 5 * 60_000);
    pullTimer?.fn();
    await waitFor(logged('failed'));
    // The scheduled backup.
    timers.pending.find((t) => t !== pullTimer)?.fn();
    await waitFor(logged('backup'));
    expect(await call('exportLog', {})).toMatchObject({ ok: true });
    // One of main's own warnings, which it hands to the desk process for the same file.
    send({ type: 'log', level: 'warn', message: 'the database key is stored unencrypted on this PC' });
    send({ type: 'close' });
    await host.closed;

    const log = new DeskLog(dataDir).read();
    for (const expected of [
      'INFO  Standby Desk starting',
      'INFO  the desk is open',
      'INFO  Pulled from',
      'Pull from',
      'INFO  backup',
      'WARN  main: the database key is stored unencrypted',
      'INFO  Standby Desk stopped',
    ]) {
      expect(log).toContain(expected);
    }
    const identifying = book.patients.flatMap((p) => [p.familyName, p.givenName, p.nhsNumber, p.nhsNumber?.replace(/(\d{3})(\d{3})(\d{4})/, '$1 $2 $3'), p.phone, p.dateOfBirth]);
    for (const value of [...identifying, '07700 900999', 'running late']) {
      if (value) expect(log).not.toContain(value);
    }
  }, 30_000);
});
