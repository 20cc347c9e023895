/**
 * The impact report's figures (issue 14, item 6): each outage on its own, from the switch to outage mode to the
 * switch back, plus a total; only the appointments inside each outage; what the desk did counted from the journal,
 * so a later pull or merge-back does not move them; the signposted walk-in counted; the time-sensitive patients
 * affected listed by name in the patient-identifiable version only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localToIso, formatNhsNumber } from '../../../shared/domain';
import { impactCsv, type ImpactFigures } from '../../../shared/merge';
import { applyMerge, readUpstreamForMerge } from '../../../electron/desk/merge/apply';
import { writeMergeSheet } from '../../../electron/desk/merge/output';
import { PdfPrinter } from '../../../electron/desk/print/pdf';
import { tempDir } from '../../support/fixtures';
import { CHROMIUM, pdfText } from '../print/support';
import { DAY, mergeRig, pull, type MergeRig } from './support';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const at = (rig: MergeRig, time: string) => (rig.desk.clock.now = new Date(localToIso(DAY, time)));
const figures = (f: ImpactFigures) => ({
  appointments: f.appointments,
  seen: f.seen,
  dna: f.dna,
  cancelled: f.cancelled,
  rebooked: f.rebooked,
  walkIns: f.walkIns,
  signposted: f.signposted,
  timeSensitive: f.timeSensitivePatients,
});

/** Two outages on one morning, a desk change while online between them. */
async function twoOutages(): Promise<MergeRig> {
  const rig = await mergeRig();
  cleanups.push(() => rig.close());
  const s = rig.desk.service;
  const ctx = rig.desk.context;
  at(rig, '08:55');
  s.upstream.setMode('outage', ctx, 'EMIS down');
  at(rig, '09:05');
  for (const st of ['arrived', 'sent_in', 'seen'] as const) s.setAppointmentStatus({ appointmentId: 'appt-0', status: st }, ctx);
  s.setAppointmentStatus({ appointmentId: 'appt-1', status: 'dna' }, ctx);
  s.setAppointmentStatus({ appointmentId: 'appt-2', status: 'cancelled', reason: 'phoned' }, ctx);
  s.reception.rebook({ appointmentId: 'appt-3', expectedVersion: 0, slotId: 'slot-9' }, ctx);
  s.reception.registerWalkIn({ patient: { kind: 'existing', patientId: 'pat-7' }, triage: 'same_day', assignTo: { kind: 'duty' }, despiteAppointmentToday: true }, ctx);
  s.reception.registerWalkIn(
    {
      patient: { kind: 'new', details: { familyName: 'Passer', givenName: 'Pat', dateOfBirth: '1985-03-03', temporaryResident: true } },
      triage: 'signposted',
      signpostedTo: 'pharmacy',
      assignTo: { kind: 'duty' },
    },
    ctx,
  );
  at(rig, '09:35');
  s.upstream.setMode('online', ctx, 'EMIS back');
  at(rig, '09:40');
  s.setAppointmentStatus({ appointmentId: 'appt-4', status: 'arrived' }, ctx);
  at(rig, '09:45');
  s.upstream.setMode('outage', ctx, 'EMIS down again');
  at(rig, '09:55');
  for (const st of ['arrived', 'sent_in', 'seen'] as const) s.setAppointmentStatus({ appointmentId: 'appt-5', status: st }, ctx);
  s.setAppointmentStatus({ appointmentId: 'appt-6', status: 'dna' }, ctx);
  at(rig, '10:30');
  s.upstream.setMode('online', ctx, 'EMIS back');
  return rig;
}

describe('the impact report', () => {
  it('reports each outage on its own and a total, counting only the appointments inside each', async () => {
    const rig = await twoOutages();
    const report = rig.desk.service.merge.impact();
    expect(report.outages.map((o) => o.outage)).toEqual([
      { from: localToIso(DAY, '08:55'), to: localToIso(DAY, '09:35') },
      { from: localToIso(DAY, '09:45'), to: localToIso(DAY, '10:30') },
    ]);
    // Outage 1: 09:00-09:30 (appt-0 to appt-3; the rebooking and the walk-in are the desk's own, not the book's).
    expect(report.outages.map(figures)).toEqual([
      { appointments: 4, seen: 1, dna: 1, cancelled: 1, rebooked: 1, walkIns: 2, signposted: 1, timeSensitive: 1 },
      { appointments: 3, seen: 1, dna: 1, cancelled: 0, rebooked: 0, walkIns: 0, signposted: 0, timeSensitive: 0 },
    ]);
    expect(figures(report)).toEqual({ appointments: 7, seen: 2, dna: 2, cancelled: 1, rebooked: 1, walkIns: 2, signposted: 1, timeSensitive: 1 });
    expect(report.outage).toEqual({ from: localToIso(DAY, '08:55'), to: localToIso(DAY, '10:30') });
    // Every desk change still counts towards merge-back, the one made online between the outages too.
    expect(report.entries.pending + report.entries.inConflict).toBe(13);

    const csv = impactCsv(report).split('\r\n');
    expect(csv[0]).toMatch(/^outage,outage_from,outage_to,appointments_in_outage,seen,dna,cancelled,rebooked,walk_ins,walk_ins_signposted,/);
    expect(csv.slice(1, 4).map((l) => l.split(',').slice(0, 1).concat(l.split(',').slice(3, 10)).join(','))).toEqual(['1,4,1,1,1,1,2,1', '2,3,1,1,0,0,0,0', 'total,7,2,2,1,1,2,1']);
  });

  it('stays as it was after upstream changes, a merge-back and a pull', async () => {
    const rig = await twoOutages();
    const merge = rig.desk.service.merge;
    const before = merge.impact();
    // Upstream cancels an appointment the desk never touched, and one the desk marked DNA.
    rig.server.update('Appointment', 'appt-7', (r) => ({ ...r, status: 'cancelled' }));
    rig.server.update('Appointment', 'appt-6', (r) => ({ ...r, status: 'cancelled' }));
    const settings = { baseUrl: rig.server.baseUrl };
    await readUpstreamForMerge(merge, settings);
    await applyMerge(merge, settings, { ctx: rig.desk.context });
    await pull(rig.desk, rig.server);
    const after = merge.impact();
    expect(after.outages.map(figures)).toEqual(before.outages.map(figures));
    expect(figures(after)).toEqual(figures(before));
  });

  it('names the time-sensitive patients affected only in the patient-identifiable version', { timeout: 60_000 }, async () => {
    const rig = await twoOutages();
    const s = rig.desk.service;
    const view = s.merge.impactView();
    const nhs = s.mirror.patient('pat-0')?.nhsNumber ?? '';
    expect(view.patients).toEqual([
      {
        outage: 0,
        patientId: 'pat-0',
        name: 'TESTPERSON0, Sam',
        nhsNumber: nhs,
        dateOfBirth: '1960-01-10',
        flags: ['suspected_cancer'],
        appointments: [{ start: localToIso(DAY, '09:00'), clinician: 'Dr Asha Patel', status: 'seen' }],
      },
    ]);
    // The counts kept after the purge carry no patients.
    expect(s.merge.impact()).not.toHaveProperty('patients');

    const printer = await PdfPrinter.launch(CHROMIUM);
    cleanups.push(() => printer.close());
    const dir = tempDir('standby-impact-');
    const named = path.join(dir, 'named.pdf');
    const counts = path.join(dir, 'counts.pdf');
    await writeMergeSheet(s, 'impact-report', named, { printer, patients: true });
    await writeMergeSheet(s, 'impact-report', counts, { printer });
    const namedText = pdfText(named, { layout: true });
    expect(namedText).toMatch(/TESTPERSON0, Sam/);
    expect(namedText).toContain(formatNhsNumber(nhs));
    expect(namedText).toMatch(/Outage 1:[\s\S]*Outage 2:[\s\S]*All outages together/);
    const countsText = pdfText(counts, { layout: true });
    expect(countsText).not.toMatch(/TESTPERSON0/);
    expect(countsText).toMatch(/Walk-ins\s+2/);
    // The CSV is counts only.
    await expect(writeMergeSheet(s, 'impact-report', path.join(dir, 'named.csv'), { patients: true })).rejects.toThrow(/PDF/);
    expect(fs.existsSync(path.join(dir, 'named.csv'))).toBe(false);
  });
});
