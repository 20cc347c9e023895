/**
 * One definition of who is to be called (issue 14, item 12): the printed callback list for a day and the
 * screen's Callbacks view (getCallbackList for the day shown) list the same patients in the same order, on the
 * seeded demo day, after the desk has rebooked some patients and marked others DNA.
 */
import { describe, expect, it } from 'vitest';
import type { CallbackEntry, OperationName } from '../../../shared/api';
import { addDays } from '../../../shared/domain';
import { generateDemoPractice } from '../../../electron/desk/demo/generate';
import { readSheetInput } from '../../../electron/desk/print';
import { callbackListSheet } from '../../../shared/sheets';
import { TEST_DAY, TEST_NOW } from '../../support/clock';
import { openTestDesk } from '../../support/fixtures';

const ctx = { user: 'ann.receptionist', desk: 'front-desk-1' };

function openDemoDesk() {
  const now = new Date(TEST_NOW);
  return openTestDesk({ book: generateDemoPractice({ date: TEST_DAY, days: 2 }), now: () => now });
}

function call<T>(desk: ReturnType<typeof openDemoDesk>, name: OperationName, input: unknown): T {
  const result = desk.dispatch(name, input, ctx);
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

describe('the callback list: one definition for the screen and the paper', () => {
  it('prints exactly the rows the screen lists for the demo day, a patient already rebooked on neither', () => {
    const desk = openDemoDesk();
    const day = desk.service.getDay(TEST_DAY, null);
    const cancelled = day.appointments.filter((a) => a.status === 'cancelled');
    expect(cancelled.length).toBeGreaterThan(2);
    // Rebooked at the desk: the first cancellation into tomorrow's first free slot.
    const rebooked = cancelled[0];
    if (!rebooked) throw new Error('no cancellation on the demo day');
    const tomorrow = call<Array<{ slot: { id: string } }>>(desk, 'findFreeSlots', { from: addDays(TEST_DAY, 1), limit: 1 });
    const slotId = tomorrow[0]?.slot.id;
    if (!slotId) throw new Error('no free slot on the demo days');
    call(desk, 'rebookAppointment', { appointmentId: rebooked.id, expectedVersion: rebooked.version, slotId });
    // Two no-shows from earlier in the morning.
    const due = day.appointments.filter((a) => a.status === 'booked' && a.type === 'face_to_face' && a.start < TEST_NOW).slice(0, 2);
    expect(due).toHaveLength(2);
    for (const a of due) call(desk, 'setAppointmentStatus', { appointmentId: a.id, status: 'dna', expectedVersion: a.version });

    const screen = call<CallbackEntry[]>(desk, 'getCallbackList', { from: TEST_DAY, to: TEST_DAY }).map((c) => c.appointment.id);
    const sheet = callbackListSheet(readSheetInput(desk.service, TEST_DAY, new Date(TEST_NOW)));
    const paper = sheet.sections.flatMap((s) => s.rows.map((r) => r.appointmentId));

    expect(paper).toEqual(screen);
    expect(sheet.total).toBe(screen.length);
    expect(screen).not.toContain(rebooked.id);
    expect(screen).toEqual(expect.arrayContaining([...due.map((a) => a.id), ...cancelled.slice(1).map((a) => a.id)]));
    desk.close();
  });
});
