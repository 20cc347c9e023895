/**
 * The small test book with what reception needs on top: slots (the booked ones busy, some free, including the
 * next day), a second day's session, and a clock the test moves. Synthetic patients only.
 */
import { addDays, localToIso, type PracticeBook, type Slot } from '../../../shared/domain';
import { FIXTURE_DATE, openTestDesk, smallBook } from '../../support/fixtures';

export const NEXT_DAY = addDays(FIXTURE_DATE, 1);

export function receptionBook(): PracticeBook {
  const book = smallBook();
  const slot = (id: string, clinicianId: string, date: string, time: string, status: Slot['status'], sessionId: string | null): Slot => ({
    id,
    sessionId,
    clinicianId,
    start: localToIso(date, time),
    end: localToIso(
      date,
      time.replace(/:(\d\d)$/, (_m, mm: string) => `:${String(Number(mm) + 10).padStart(2, '0')}`),
    ),
    status,
  });
  const slots: Slot[] = [
    slot('slot-a-0830', 'clin-a', FIXTURE_DATE, '08:30', 'busy', 'sess-clin-a'),
    slot('slot-a-0840', 'clin-a', FIXTURE_DATE, '08:40', 'busy', 'sess-clin-a'),
    slot('slot-a-0900', 'clin-a', FIXTURE_DATE, '09:00', 'busy', 'sess-clin-a'),
    slot('slot-a-1100', 'clin-a', FIXTURE_DATE, '11:00', 'free', 'sess-clin-a'),
    slot('slot-b-0845', 'clin-b', FIXTURE_DATE, '08:45', 'free', 'sess-clin-b'), // appt-4's, given up when it was cancelled
    slot('slot-a-next-0900', 'clin-a', NEXT_DAY, '09:00', 'free', 'sess-clin-a-next'),
    slot('slot-a-next-0910', 'clin-a', NEXT_DAY, '09:10', 'free', 'sess-clin-a-next'),
    slot('slot-a-next-0920', 'clin-a', NEXT_DAY, '09:20', 'busy-unavailable', 'sess-clin-a-next'),
  ];
  const slotOf: Record<string, string> = { 'appt-1': 'slot-a-0830', 'appt-2': 'slot-a-0840', 'appt-5': 'slot-a-0900', 'appt-4': 'slot-b-0845' };
  return {
    ...book,
    sessions: [
      ...book.sessions,
      { id: 'sess-clin-a-next', clinicianId: 'clin-a', room: 'Room 1', date: NEXT_DAY, start: localToIso(NEXT_DAY, '08:30'), end: localToIso(NEXT_DAY, '12:00'), label: 'Morning' },
    ],
    slots,
    appointments: book.appointments.map((a) => ({ ...a, slotId: slotOf[a.id] ?? null })),
  };
}

/** A desk holding receptionBook() whose clock the test sets (London 09:00 on the fixture day to start with). */
export function openReceptionDesk() {
  const clock = { now: new Date(localToIso(FIXTURE_DATE, '09:00')) };
  const desk = openTestDesk({ book: receptionBook(), now: () => clock.now });
  return Object.assign(desk, { clock, at: (time: string, date = FIXTURE_DATE) => (clock.now = new Date(localToIso(date, time))) });
}
