/**
 * The demo practice: a synthetic but realistic English GP book, for trying the desk, for e2e tests and for
 * benchmarks. Pure and seeded: the same options give byte-identical output, so a test or a screenshot can name
 * an appointment and find it again. Every person here is fictional: NHS numbers are in the 999 test range and
 * phone numbers in Ofcom's drama ranges (07700 900xxx, 01632 960xxx), so nothing can reach a real patient.
 */
import type { Appointment, AppointmentType, Patient, PatientFlag, PracticeBook, Session, Slot } from '../../../shared/domain';
import { addDays, FHIR_STATUS_OF, isLocalDate, localToIso, nhsCheckDigit, PATIENT_FLAGS, weekdayOf, withNhsNumberStatus } from '../../../shared/domain';
import { assignFlags, draftPatient, MAX_AGE, patientId, SHOWCASE, type PatientDraft } from './people';
import { Rng, hashString } from './random';
import { CANCEL_REASONS, HOME_VISIT_REASONS, MIN_AGE, REASONS, TYPE_WEIGHTS } from './reasons';
import { ROTA, type ClinicianPlan } from './rota';

/** 19 July 2024: the day EMIS went down and the desks went back to paper. */
export const DEFAULT_DEMO_SEED = 20240719;
/** The CLI offers at most 14; a bit of headroom for benchmarks, none for accidents. */
export const MAX_DEMO_DAYS = 31;

export interface DemoOptions {
  /** The first day of the book, a London date (YYYY-MM-DD). Generated even when it falls at a weekend. */
  date: string;
  seed?: number;
  /** Working days from `date` on; Saturdays and Sundays after the first day are skipped. */
  days?: number;
}

interface Booking {
  plan: ClinicianPlan;
  session: Session;
  slot: Slot;
  startMin: number;
  endMin: number;
  homeVisit: boolean;
  patient: number;
  type: AppointmentType;
  reason: string | null;
  cancelReason: string | null;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const toMinutes = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
const toTime = (minutes: number): string => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;

/** The book's days: the requested date always (a weekend demo still needs a day to show), then weekdays only. */
function bookDays(date: string, days: number): string[] {
  const out = [date];
  let d = date;
  while (out.length < days) {
    d = addDays(d, 1);
    const wd = weekdayOf(d);
    if (wd !== 0 && wd !== 6) out.push(d);
  }
  return out;
}

export function generateDemoPractice(options: DemoOptions): PracticeBook {
  const { date } = options;
  const days = options.days ?? 1;
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  if (!isLocalDate(date)) throw new RangeError(`demo date must be a real date as YYYY-MM-DD, got "${date}"`);
  if (!Number.isInteger(days) || days < 1 || days > MAX_DEMO_DAYS) throw new RangeError(`demo days must be a whole number from 1 to ${MAX_DEMO_DAYS}, got ${days}`);
  if (!Number.isFinite(seed)) throw new RangeError(`demo seed must be a number, got ${seed}`);

  // Each day draws from its own stream, and days are made in order, so a day never depends on the days after
  // it: the first day of `--days 5` is the same book as `--days 1`, and a screenshot stays valid.
  const state: BookState = { seed: Math.trunc(seed), firstDate: date, drafts: [], nhsPrefixes: new Set(), sessions: [], slots: [], appointments: [], isoCache: new Map() };
  bookDays(date, days).forEach((day, k) => generateDay(state, day, k === 0));

  const patients: Patient[] = state.drafts.map((d, i) =>
    withNhsNumberStatus({
      id: patientId(i),
      nhsNumber: d.nhsNumber,
      familyName: d.familyName,
      givenName: d.givenName,
      dateOfBirth: d.dateOfBirth,
      sex: d.sex,
      phone: d.phone,
      flags: PATIENT_FLAGS.filter((f) => d.flags.has(f)),
    }),
  );
  return {
    practice: { id: 'prac-1', name: 'Riverside Medical Practice', odsCode: 'Y12345' },
    clinicians: ROTA.map((p) => ({ ...p.clinician })),
    sessions: state.sessions,
    slots: state.slots,
    patients,
    appointments: state.appointments,
  };
}

interface BookState {
  seed: number;
  firstDate: string;
  drafts: PatientDraft[];
  nhsPrefixes: Set<string>;
  sessions: Session[];
  slots: Slot[];
  appointments: Appointment[];
  isoCache: Map<string, string>;
}

function generateDay(state: BookState, day: string, isFirstDay: boolean): void {
  const rng = new Rng((state.seed ^ hashString(day)) >>> 0);
  // Intl zone arithmetic is the slow part of generating a book, and a day has few distinct times.
  const iso = (d: string, time: string): string => {
    const key = `${d}T${time}`;
    let value = state.isoCache.get(key);
    if (value === undefined) {
      value = localToIso(d, time);
      state.isoCache.set(key, value);
    }
    return value;
  };

  // 1. The rota and the day's shape: sessions, slots, and which slots are taken.
  // A weekend first day is shown with Monday's rota: the demo is for looking at a working day.
  const weekday = weekdayOf(day) === 0 || weekdayOf(day) === 6 ? 1 : weekdayOf(day);
  const dayRate = 0.82 + rng.float() * 0.08;
  const daySlots: Slot[] = [];
  const bookings: Booking[] = [];
  for (const p of ROTA) {
    for (const [half, sp] of [
      ['am', p.am],
      ['pm', p.pm],
    ] as const) {
      if (!sp || !sp.weekdays.includes(weekday)) continue;
      const session: Session = {
        id: `sess-${p.clinician.id}-${day}-${half}`,
        clinicianId: p.clinician.id,
        room: p.clinician.room,
        date: day,
        start: iso(day, sp.start),
        end: iso(day, sp.end),
        label: half === 'am' ? 'Morning' : 'Afternoon',
      };
      state.sessions.push(session);
      const sessionSlots: { slot: Slot; startMin: number; endMin: number }[] = [];
      for (let m = toMinutes(sp.start); m + sp.slotMinutes <= toMinutes(sp.end); m += sp.slotMinutes) {
        const slot: Slot = {
          id: `slot-${p.clinician.id}-${day}-${toTime(m).replace(':', '')}`,
          sessionId: session.id,
          clinicianId: p.clinician.id,
          start: iso(day, toTime(m)),
          end: iso(day, toTime(m + sp.slotMinutes)),
          status: 'free',
        };
        daySlots.push(slot);
        sessionSlots.push({ slot, startMin: m, endMin: m + sp.slotMinutes });
      }
      const rate = Math.min(0.97, Math.max(0.6, dayRate + (rng.float() - 0.5) * 0.12));
      const takenIds = new Set(
        rng
          .shuffle(sessionSlots)
          .slice(0, Math.round(sessionSlots.length * rate))
          .map((t) => t.slot.id),
      );
      const booked = sessionSlots.filter((s) => takenIds.has(s.slot.id));
      // Visits go out after morning surgery; the last booked morning slot stands for the visit.
      const visit = half === 'am' && p.clinician.role === 'gp' && rng.chance(0.5) ? booked.at(-1) : undefined;
      for (const s of booked) {
        bookings.push({
          plan: p,
          session,
          slot: s.slot,
          startMin: s.startMin,
          endMin: s.endMin,
          homeVisit: s === visit,
          patient: -1,
          type: 'face_to_face',
          reason: null,
          cancelReason: null,
        });
      }
    }
  }
  bookings.sort((a, b) => a.startMin - b.startMin || a.plan.clinician.id.localeCompare(b.plan.clinician.id));
  if (!bookings.some((b) => b.homeVisit)) {
    // Housebound patients exist every day; make sure the demo shows one.
    const lastGpMorning = bookings.filter((b) => b.plan.clinician.role === 'gp' && b.session.label === 'Morning').at(-1);
    if (lastGpMorning) lastGpMorning.homeVisit = true;
  }

  // 2. New patients for the day: more than its appointments, as on any list. The names that break naive code
  // join on the first day, so every book has them.
  const { drafts } = state;
  const earlier = drafts.length;
  const block: PatientDraft[] = [];
  for (let i = 0; i < Math.ceil(bookings.length * 1.2); i++) block.push(draftPatient(rng, state.firstDate));
  if (isFirstDay) for (const s of SHOWCASE) block.splice(rng.int(0, block.length), 0, draftPatient(rng, state.firstDate, s));
  drafts.push(...block);

  // 3. Who is booked where. Patients are taken in a shuffled order, so pat-0001 is not simply the first appointment.
  const order = rng.shuffle(block.map((_, i) => earlier + i));
  const used = new Set<number>();
  let cursor = 0;
  const takePatient = (eligible: (p: PatientDraft) => boolean): number => {
    while (cursor < order.length && used.has(order[cursor] as number)) cursor++;
    const rest = order.slice(cursor).filter((idx) => !used.has(idx));
    // The block is 1.2x the bookings, so nobody eligible being left is rare: then anyone will do.
    const idx = rest.find((i) => eligible(drafts[i] as PatientDraft)) ?? rest[0];
    if (idx === undefined) throw new Error('demo patient pool exhausted');
    used.add(idx);
    return idx;
  };
  const todays = new Map<number, Booking[]>();
  const freeAt = (idx: number, b: Booking): boolean => (todays.get(idx) ?? []).every((t) => t.plan !== b.plan && (t.endMin <= b.startMin || t.startMin >= b.endMin));
  for (const b of bookings) {
    const role = b.plan.clinician.role;
    const minAge = MIN_AGE[role];
    if (b.homeVisit) {
      b.type = 'home_visit';
      b.patient = takePatient((p) => p.age >= 70);
    } else {
      b.type = rng.weighted(TYPE_WEIGHTS[role]);
      // Some patients see two people in a day (bloods with the HCA, then the GP), and some come back on a later
      // day; never at an overlapping time.
      const draw = rng.float();
      const pool = draw < 0.05 ? [...todays.keys()] : draw < 0.08 ? Array.from({ length: earlier }, (_, i) => i) : [];
      const candidates = pool.filter((idx) => (drafts[idx] as PatientDraft).age >= minAge && freeAt(idx, b));
      b.patient = candidates.length > 0 ? rng.pick(candidates) : takePatient((p) => p.age >= minAge);
    }
    todays.set(b.patient, [...(todays.get(b.patient) ?? []), b]);
    const draft = drafts[b.patient] as PatientDraft;
    const options = (b.homeVisit ? HOME_VISIT_REASONS : REASONS[role]).filter(
      (o) => draft.age >= (o.minAge ?? 0) && draft.age <= (o.maxAge ?? MAX_AGE + 1) && (o.sex === undefined || o.sex === draft.sex) && (!o.inPerson || b.type === 'face_to_face'),
    );
    // Reception does not always record a reason; a book with one on every line would not be real.
    b.reason = options.length > 0 && rng.chance(0.7) ? rng.pick(options).text : null;
  }
  // The day has not started, but some cancellations have already come in.
  const cancelCount = Math.max(1, Math.round(bookings.length * (0.035 + rng.float() * 0.02)));
  for (const b of rng.shuffle(bookings).slice(0, cancelCount)) b.cancelReason = rng.pick(CANCEL_REASONS);

  // 4. Flags. Time-sensitive patients are what the callback list is for, so every day has some booked.
  for (const d of block) assignFlags(rng, d);
  const active = [...new Set(bookings.filter((b) => b.cancelReason === null).map((b) => b.patient))];
  const timeSensitive: readonly (readonly [PatientFlag, number])[] = [
    ['suspected_cancer', 40],
    ['anticoagulation', 50],
    ['palliative', 60],
  ];
  for (const [flag, minAge] of timeSensitive) {
    if (active.some((i) => drafts[i]?.flags.has(flag))) continue;
    // Only the day's own patients: flagging an earlier day's patient would change that day's book.
    const eligible = active.filter((i) => {
      const d = drafts[i] as PatientDraft;
      if (i < earlier) return false;
      return d.age >= minAge && !timeSensitive.some(([f]) => d.flags.has(f));
    });
    if (eligible.length > 0) (drafts[rng.pick(eligible)] as PatientDraft).flags.add(flag);
  }

  // 5. NHS numbers: unique, 999 range, valid, except what real books have: none recorded (new registrations,
  // temporary residents) and, on the first day only, a mistyped one or two. They go on the day's own
  // patients, so the desk meets them.
  for (const d of block) {
    for (;;) {
      const prefix = `999${pad(rng.int(0, 999_999), 6)}`;
      const check = nhsCheckDigit(prefix);
      if (check === null || state.nhsPrefixes.has(prefix)) continue;
      state.nhsPrefixes.add(prefix);
      d.nhsNumber = `${prefix}${check}`;
      break;
    }
  }
  const onTheDay = rng.shuffle([...new Set(bookings.map((b) => b.patient))].filter((i) => i >= earlier));
  const invalidCount = isFirstDay ? (block.length >= 100 ? 2 : 1) : 0;
  const missingCount = Math.max(1, Math.round(block.length * 0.015));
  onTheDay.slice(0, invalidCount).forEach((idx) => {
    const d = drafts[idx] as PatientDraft;
    const valid = d.nhsNumber ?? '';
    d.nhsNumber = `${valid.slice(0, 9)}${(Number(valid[9]) + rng.int(1, 9)) % 10}`;
  });
  onTheDay.slice(invalidCount, invalidCount + missingCount).forEach((idx) => {
    (drafts[idx] as PatientDraft).nhsNumber = null;
  });

  // 6. Appointments. A cancelled appointment no longer holds its slot (as upstream), so the slot is free again
  // for rebooking; its cancellation is one change since booking, hence upstream version 2.
  const pulledDay = addDays(state.firstDate, -1);
  const held = new Set(bookings.filter((b) => b.cancelReason === null).map((b) => b.slot.id));
  state.slots.push(...daySlots.map((s) => (held.has(s.id) ? { ...s, status: 'busy' as const } : s)));
  bookings.forEach((b, i) => {
    const status = b.cancelReason === null ? 'booked' : 'cancelled';
    state.appointments.push({
      id: `appt-${day}-${pad(i + 1, 4)}`,
      patientId: patientId(b.patient),
      clinicianId: b.plan.clinician.id,
      sessionId: b.session.id,
      slotId: b.slot.id,
      start: b.slot.start,
      end: b.slot.end,
      type: b.type,
      status,
      fhirStatus: FHIR_STATUS_OF[status],
      reason: b.reason,
      cancelReason: b.cancelReason,
      arrivedAt: null,
      sentInAt: null,
      seenAt: null,
      version: 0,
      upstreamVersion: status === 'booked' ? '1' : '2',
      // The mirror was pulled the evening before the first day.
      updatedAt: iso(pulledDay, toTime(rng.int(8 * 60, 18 * 60 + 29))),
    });
  });
}
