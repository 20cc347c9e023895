/**
 * A clinician's own list on paper too: a sheet carries the patients of the operation it is read via (getDay), so
 * browser mode's /sheets/ addresses and the app's printSheet (sheet-request.ts, which main asks the desk for)
 * narrow a clinician to their own list and refuse the whole practice's sheets.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenDesk } from '../../../electron/desk/open';
import { requestedSheet } from '../../../electron/desk/sheet-request';
import { startServer } from '../../../electron/server/server';
import { DeskError } from '../../../shared/api';
import { tempDir } from '../../support/fixtures';
import { CLINICIAN, deskWithClinicians, RECEPTIONIST } from './support';

const DATE = '2026-07-20';
/** smallBook(): Zoë Müller is clin-a's patient (appt-2) only; Tom Smith-Jones clin-b's (appt-3) only. Sheets print family names in capitals. */
const OWN_PATIENT = 'MÜLLER';
const OTHER_PATIENT = 'SMITH-JONES';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function desk(): OpenDesk {
  const { desk } = deskWithClinicians();
  cleanup.push(() => desk.close());
  return desk;
}

describe("a clinician's sheets over HTTP", () => {
  it("gets their own clinician list, is refused another clinician's and the whole practice's", async () => {
    const d = desk();
    const staticDir = tempDir();
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>desk</title>');
    const server = await startServer({ desk: d, staticDir, port: 0, user: 'anonymous' });
    cleanup.push(() => server.close());
    const base = server.url.replace(/\/$/, '');
    const cookieOf = async (username: string, secret: string) => {
      const res = await fetch(`${base}/api/op/signIn`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, secret }) });
      return /sd_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';
    };
    const room = await cookieOf(CLINICIAN.username, CLINICIAN.pin);
    const reception = await cookieOf(RECEPTIONIST.username, RECEPTIONIST.pin);
    const sheet = async (address: string, cookie: string) => {
      const res = await fetch(`${base}/sheets/${address}`, { headers: { Cookie: cookie } });
      return { status: res.status, text: await res.text() };
    };

    const own = await sheet(`clinician-list.html?date=${DATE}`, room);
    expect(own.status).toBe(200);
    expect(own.text).toContain(OWN_PATIENT);
    expect(own.text).not.toContain(OTHER_PATIENT);
    expect((await sheet(`clinician-list.html?date=${DATE}&clinician=${CLINICIAN.clinicianId}`, room)).status).toBe(200);

    const theirs = await sheet(`clinician-list.html?date=${DATE}&clinician=clin-b`, room);
    expect(theirs.status).toBe(403);
    expect(theirs.text).not.toContain(OTHER_PATIENT);
    const master = await sheet(`master-list.html?date=${DATE}`, room);
    expect(master.status).toBe(403);
    expect(master.text).toContain("whole practice's");

    // Reception is not narrowed: the same addresses give every list.
    const front = await sheet(`master-list.html?date=${DATE}`, reception);
    expect(front.status).toBe(200);
    expect(front.text).toContain(OTHER_PATIENT);
  });
});

describe("a clinician's sheets through printSheet (the app)", () => {
  it("builds their own list when no clinician is named, and refuses another clinician's and the master list", () => {
    const d = desk();
    const room = { user: 'anonymous', desk: 'room-1', sessionId: 'room-1-window' };
    expect(d.dispatch('signIn', { username: CLINICIAN.username, secret: CLINICIAN.pin }, room)).toMatchObject({ ok: true });
    const now = new Date('2026-07-20T08:00:00Z');
    const own = requestedSheet(d.service, { sheet: 'consultation-records', date: DATE }, room, now);
    expect(own.html).toContain(OWN_PATIENT);
    expect(own.html).not.toContain(OTHER_PATIENT);
    const refusal = (request: Parameters<typeof requestedSheet>[1]) => {
      try {
        requestedSheet(d.service, request, room, now);
        return null;
      } catch (error) {
        return error instanceof DeskError ? error.code : 'not a DeskError';
      }
    };
    expect(refusal({ sheet: 'clinician-list', date: DATE, clinicianId: 'clin-b' })).toBe('forbidden');
    expect(refusal({ sheet: 'master-list', date: DATE })).toBe('forbidden');
    expect(refusal({ sheet: 'walk-in-register', date: DATE })).toBe('forbidden');
  });
});
