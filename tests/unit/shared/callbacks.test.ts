import { describe, expect, it } from 'vitest';
import {
  callbackListOf,
  isCancelledWithoutLoss,
  localToIso,
  needsCallback,
  NO_CALLBACK_CANCEL_REASONS,
  NO_DESK_INFO,
  type CallbackOutcome,
  type PatientFlag,
} from '../../../shared/domain';
import { callbackListSheet, SheetInput } from '../../../shared/sheets';
import { testAppointment, testPatient } from '../../support/builders';
import { TEST_DAY, TEST_NOW } from '../../support/clock';

const appt = (id: string, time: string, extra: Partial<Parameters<typeof testAppointment>[0]> = {}, flags: PatientFlag[] = []) => ({
  ...testAppointment({ id, patientId: `p-${id}`, clinicianId: 'c1', start: localToIso(TEST_DAY, time), end: localToIso(TEST_DAY, time), ...extra }),
  patient: testPatient({ id: `p-${id}`, familyName: `Family ${id}`, givenName: 'Test', flags, phone: '01632 960000' }),
});
const attempt = (appointmentId: string, outcome: CallbackOutcome, minute: number) => ({
  id: `t-${appointmentId}-${minute}`,
  appointmentId,
  outcome,
  note: null,
  at: new Date(Date.parse(TEST_NOW) + minute * 60_000).toISOString(),
  user: 'rx.khan',
  desk: 'front-1',
});

describe('who is on the callback list', () => {
  it('leaves out cancellations booked in error or duplicated, whatever their case, spacing or detail', () => {
    expect(NO_CALLBACK_CANCEL_REASONS).toEqual(['Booked in error', 'Duplicate']);
    for (const cancelReason of ['Booked in error', '  booked   IN error (wrong GP)', 'Duplicate', 'duplicate booking']) {
      expect(isCancelledWithoutLoss({ status: 'cancelled', cancelReason })).toBe(true);
      expect(needsCallback({ status: 'cancelled', cancelReason })).toBe(false);
    }
    for (const cancelReason of ['Patient cancelled', 'Clinician unavailable', 'Practice closed (outage)', 'Not a duplicate', null]) {
      expect(needsCallback({ status: 'cancelled', cancelReason })).toBe(true);
    }
    // Only a cancellation's reason counts: a DNA with a stale reason is still a missed appointment.
    expect(needsCallback({ status: 'dna', cancelReason: 'Booked in error' })).toBe(true);
    expect(needsCallback({ status: 'dna', desk: { ...NO_DESK_INFO, rebookedTo: 'elsewhere' } })).toBe(false);
  });

  it('lists the open ones in calling order with their attempts, then the done ones; a later attempt reopens one', () => {
    const list = [
      appt('late-dna', '11:00', { status: 'dna' }),
      appt('cancer', '12:00', { status: 'cancelled', cancelReason: 'Patient cancelled' }, ['suspected_cancer']),
      appt('early', '09:00', { status: 'walked_out' }),
      appt('error', '09:30', { status: 'cancelled', cancelReason: 'Booked in error' }),
      appt('seen', '08:30', { status: 'seen' }),
    ];
    const attempts = [attempt('early', 'no_answer', 1), attempt('early', 'no_callback_needed', 5), attempt('late-dna', 'rebooked', 2), attempt('late-dna', 'called', 3)];
    const items = callbackListOf(list, attempts.toReversed());
    expect(items.map((i) => [i.appointment.id, i.done, i.attempts.map((t) => t.outcome)])).toEqual([
      ['cancer', false, []],
      ['late-dna', false, ['rebooked', 'called']],
      ['early', true, ['no_answer', 'no_callback_needed']],
    ]);
  });

  it('prints the same people as the list, with their attempts, done ones apart, temporary residents marked', () => {
    const tr = appt('tr', '10:00', { status: 'dna' });
    const appointments = [
      appt('a', '09:00', { status: 'cancelled', cancelReason: 'Patient unwell, cannot attend' }),
      { ...tr, patient: { ...tr.patient, desk: { origin: 'desk' as const }, temporaryResident: true as const } },
      appt('dup', '09:10', { status: 'cancelled', cancelReason: 'Duplicate booking' }),
      appt('b', '09:20', { status: 'dna' }),
    ];
    const callbackAttempts = [attempt('a', 'message_left', 0), attempt('b', 'rebooked', 2)];
    const input = SheetInput.parse({
      practice: null,
      date: TEST_DAY,
      clinicians: [{ id: 'c1', name: 'Dr Asha Patel', role: 'gp', room: null }],
      sessions: [],
      appointments,
      callbackAttempts,
      mirror: { asOf: TEST_NOW, loadedAt: TEST_NOW, source: 'test', mode: 'outage' },
      printedAt: TEST_NOW,
    });
    const sheet = callbackListSheet(input);
    const printed = sheet.sections.flatMap((s) => s.rows.map((r) => r.appointmentId));
    expect(printed).toEqual(callbackListOf(appointments, callbackAttempts).map((i) => i.appointment.id));
    expect(printed).toEqual(['a', 'tr', 'b']);
    expect(sheet.total).toBe(2);
    expect(sheet.sections.map((s) => [s.title, s.done, s.rows.length])).toEqual([
      ['Time-sensitive care: call these first', false, 0],
      ['Routine', false, 2],
      ['Done: rebooked or no callback needed', true, 1],
    ]);
    const rows = sheet.sections.flatMap((s) => s.rows);
    // 10:30 in London (BST) at TEST_NOW: the attempt's time is the desk's clock, printed in London time.
    expect(rows.find((r) => r.appointmentId === 'a')?.attempts).toEqual(['10:30 Message left (rx.khan)']);
    expect(rows.find((r) => r.appointmentId === 'tr')?.temporaryResident).toBe(true);
    expect(rows.find((r) => r.appointmentId === 'a')?.temporaryResident).toBe(false);
  });
});
