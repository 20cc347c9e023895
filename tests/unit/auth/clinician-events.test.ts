/**
 * A clinician's room follows only its own list live too (issue 17): browser mode's event stream sends a clinician's
 * session their own patients' changes and the pings every view gets, never another clinician's patients; reception's
 * stream still gets the whole day.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../../electron/server/server';
import { DeskEvent } from '../../../shared/api';
import { tempDir } from '../../support/fixtures';
import { openStream } from '../../support/sse';
import { CLINICIAN, deskWithClinicians, RECEPTIONIST } from './support';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe("a clinician's event stream", () => {
  it("carries their own patients' changes and the display's pings, never another clinician's patients", async () => {
    const { desk } = deskWithClinicians();
    cleanup.push(() => desk.close());
    const staticDir = tempDir();
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>desk</title>');
    const server = await startServer({ desk, staticDir, port: 0, user: 'anonymous' });
    cleanup.push(() => server.close());
    const base = server.url.replace(/\/$/, '');
    const cookieOf = async (username: string, secret: string) => {
      const res = await fetch(`${base}/api/op/signIn`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, secret }) });
      return /sd_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';
    };
    const room = await openStream(`${base}/api/events`, await cookieOf(CLINICIAN.username, CLINICIAN.pin));
    const front = await openStream(`${base}/api/events`, await cookieOf(RECEPTIONIST.username, RECEPTIONIST.pin));
    cleanup.push(
      () => room.close(),
      () => front.close(),
    );

    // appt-3 is the other clinician's patient, appt-2 this clinician's (smallBook()); the call is a display ping too.
    const trusted = { user: 'front', desk: 'FRONT-1' };
    expect(desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-3', status: 'arrived' }, trusted).ok).toBe(true);
    expect(desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-2', status: 'sent_in' }, trusted).ok).toBe(true);

    const seenAtFront = [DeskEvent.parse(await front.next()), DeskEvent.parse(await front.next()), DeskEvent.parse(await front.next())];
    expect(seenAtFront.map((e) => (e.kind === 'appointment.changed' ? e.appointment.id : e.kind))).toEqual(['appt-3', 'appt-2', 'display.changed']);
    const seenInRoom = [DeskEvent.parse(await room.next()), DeskEvent.parse(await room.next())];
    expect(seenInRoom.map((e) => (e.kind === 'appointment.changed' ? e.appointment.id : e.kind))).toEqual(['appt-2', 'display.changed']);
    expect(JSON.stringify(seenInRoom)).not.toContain('appt-3');
  });
});
