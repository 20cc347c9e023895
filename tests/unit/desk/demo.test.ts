import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_SEED, generateDemoPractice } from '../../../electron/desk/demo/generate';
import {
  addDays,
  ageOn,
  checkNhsNumber,
  dayBoundsUtc,
  FHIR_STATUS_OF,
  foldName,
  localDateOf,
  localTimeOf,
  PracticeBook,
  TIME_SENSITIVE_FLAGS,
  weekdayOf,
  type Appointment,
} from '../../../shared/domain';

const SUMMER = '2026-07-20'; // a Monday in BST
const WINTER = '2026-01-15'; // a Thursday in GMT
const DATES = [SUMMER, WINTER, '2026-07-23', '2026-07-24', '2026-03-30', '2026-10-26', '2026-12-09'];
const SEEDS = [undefined, 1, 2, 3, 42, 987654];

const fresh = (date: string, seed?: number, days?: number): PracticeBook =>
  generateDemoPractice({ date, ...(seed === undefined ? {} : { seed }), ...(days === undefined ? {} : { days }) });
// Many checks look at the same few books; generate each once. The determinism test calls `fresh` instead.
const books = new Map<string, PracticeBook>();
const gen = (date: string, seed?: number, days?: number): PracticeBook => {
  const key = `${date}|${seed}|${days}`;
  let book = books.get(key);
  if (!book) {
    book = fresh(date, seed, days);
    books.set(key, book);
  }
  return book;
};

const summer = gen(SUMMER);
const onDay = (book: PracticeBook, date: string): Appointment[] => {
  // dayBoundsUtc rather than localDateOf per row: same answer (all instants are ...Z), without Intl per row.
  const { start, end } = dayBoundsUtc(date);
  return book.appointments.filter((a) => a.start >= start && a.start < end);
};
const minutes = (iso: string): number => {
  const [h, m] = localTimeOf(iso).split(':').map(Number) as [number, number];
  return h * 60 + m;
};

/** Everything that must hold of any generated book; returns what does not, so a failure says where. */
function integrityProblems(book: PracticeBook): string[] {
  const problems: string[] = [];
  const byId = <T extends { id: string }>(items: readonly T[], kind: string): Map<string, T> => {
    const map = new Map(items.map((i) => [i.id, i]));
    if (map.size !== items.length) problems.push(`duplicate ${kind} ids`);
    return map;
  };
  const clinicians = byId(book.clinicians, 'clinician');
  const sessions = byId(book.sessions, 'session');
  const slots = byId(book.slots, 'slot');
  const patients = byId(book.patients, 'patient');
  byId(book.appointments, 'appointment');

  for (const s of book.sessions) {
    if (!clinicians.has(s.clinicianId)) problems.push(`${s.id}: unknown clinician`);
    if (localDateOf(s.start) !== s.date || localDateOf(s.end) !== s.date) problems.push(`${s.id}: not on its London date`);
    if (s.start >= s.end) problems.push(`${s.id}: ends before it starts`);
  }
  const slotHolders = new Map<string, string[]>();
  for (const slot of book.slots) {
    const session = slot.sessionId === null ? undefined : sessions.get(slot.sessionId);
    if (!session) problems.push(`${slot.id}: unknown session`);
    else if (slot.start < session.start || slot.end > session.end || session.clinicianId !== slot.clinicianId) problems.push(`${slot.id}: outside its session`);
    slotHolders.set(slot.id, []);
  }
  for (const a of book.appointments) {
    if (!patients.has(a.patientId)) problems.push(`${a.id}: unknown patient ${a.patientId}`);
    if (!clinicians.has(a.clinicianId)) problems.push(`${a.id}: unknown clinician ${a.clinicianId}`);
    const session = a.sessionId === null ? undefined : sessions.get(a.sessionId);
    const slot = a.slotId === null ? undefined : slots.get(a.slotId);
    if (!session) problems.push(`${a.id}: unknown session ${a.sessionId}`);
    if (!slot) problems.push(`${a.id}: unknown slot ${a.slotId}`);
    if (session && (a.start < session.start || a.end > session.end || session.clinicianId !== a.clinicianId)) problems.push(`${a.id}: outside its session`);
    if (slot && (slot.start !== a.start || slot.end !== a.end || slot.clinicianId !== a.clinicianId || slot.sessionId !== a.sessionId)) {
      problems.push(`${a.id}: does not match its slot`);
    }
    if (a.slotId !== null) slotHolders.get(a.slotId)?.push(a.id);
    if (a.fhirStatus !== FHIR_STATUS_OF[a.status]) problems.push(`${a.id}: fhirStatus ${a.fhirStatus} for ${a.status}`);
    if (slot) {
      // A booked appointment holds its slot; a cancelled one has released it for rebooking.
      const expected = a.status === 'cancelled' ? 'free' : 'busy';
      if (slot.status !== expected) problems.push(`${a.id}: slot is ${slot.status}, expected ${expected}`);
    }
  }
  for (const [slotId, holders] of slotHolders) {
    if (holders.length > 1) problems.push(`${slotId}: shared by ${holders.join(', ')}`);
    const slot = slots.get(slotId);
    if (holders.length === 0 && slot?.status !== 'free') problems.push(`${slotId}: empty but ${slot?.status}`);
  }
  // One person cannot be in two rooms at once.
  const byPatient = new Map<string, Appointment[]>();
  for (const a of book.appointments) if (a.status !== 'cancelled') byPatient.set(a.patientId, [...(byPatient.get(a.patientId) ?? []), a]);
  for (const [patientId, list] of byPatient) {
    const sorted = list.toSorted((x, y) => x.start.localeCompare(y.start));
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1] as Appointment;
      const cur = sorted[i] as Appointment;
      if (cur.start < prev.end) problems.push(`${patientId}: ${prev.id} and ${cur.id} overlap`);
    }
  }
  return problems;
}

describe('demo practice: shape and validity', () => {
  it('validates against the PracticeBook schema, which keeps every field', () => {
    for (const date of DATES) {
      const book = gen(date, 7);
      expect(PracticeBook.parse(book)).toEqual(book);
    }
    expect(PracticeBook.parse(summer)).toEqual(summer);
  });

  it('is deterministic: the same options give byte-identical output', () => {
    const again = fresh(SUMMER);
    expect(again).not.toBe(summer);
    expect(again).toEqual(summer);
    expect(JSON.stringify(generateDemoPractice({ date: SUMMER, seed: DEFAULT_DEMO_SEED }))).toBe(JSON.stringify(summer));
    expect(JSON.stringify(fresh(WINTER, 5, 3))).toBe(JSON.stringify(fresh(WINTER, 5, 3)));
  });

  it('differs with a different seed, and with a different date', () => {
    const other = fresh(SUMMER, 1);
    expect(other).not.toEqual(summer);
    expect(other.patients.map((p) => p.familyName)).not.toEqual(summer.patients.map((p) => p.familyName));
    // Same weekday a week later: same rota, different book.
    const nextWeek = fresh('2026-07-27');
    expect(nextWeek.appointments.map((a) => a.patientId)).not.toEqual(summer.appointments.map((a) => a.patientId));
  });

  it.each(DATES)('has 150-300 appointments on %s for every seed', (date) => {
    for (const seed of SEEDS) {
      const n = onDay(gen(date, seed), date).length;
      expect(n, `seed ${seed}`).toBeGreaterThanOrEqual(150);
      expect(n, `seed ${seed}`).toBeLessThanOrEqual(300);
    }
  });

  it('keeps every reference sound: patients, clinicians, sessions, slots; no shared slot; inside sessions', () => {
    for (const date of DATES) expect(integrityProblems(gen(date)), date).toEqual([]);
    expect(integrityProblems(gen(SUMMER, 3, 10))).toEqual([]);
  });

  it('property: any seed and weekday in 2020-2035 gives a sound book of a realistic size', () => {
    const weekday = fc
      .integer({ min: 0, max: 16 * 366 })
      .map((n) => addDays('2020-01-01', n))
      .filter((d) => weekdayOf(d) !== 0 && weekdayOf(d) !== 6);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), weekday, (seed, date) => {
        const book = fresh(date, seed);
        expect(PracticeBook.safeParse(book).success).toBe(true);
        expect(integrityProblems(book)).toEqual([]);
        const n = onDay(book, date).length;
        expect(n).toBeGreaterThanOrEqual(150);
        expect(n).toBeLessThanOrEqual(300);
      }),
      { numRuns: 25 },
    );
  });

  it('uses readable, stable ids', () => {
    expect(summer.practice).toEqual({ id: 'prac-1', name: 'Riverside Medical Practice', odsCode: 'Y12345' });
    for (const c of summer.clinicians) expect(c.id).toMatch(/^clin-\d{2}$/);
    for (const s of summer.sessions) expect(s.id).toMatch(/^sess-clin-\d{2}-2026-07-20-(am|pm)$/);
    for (const s of summer.slots) expect(s.id).toMatch(/^slot-clin-\d{2}-2026-07-20-\d{4}$/);
    for (const p of summer.patients) expect(p.id).toMatch(/^pat-\d{4}$/);
    for (const a of summer.appointments) expect(a.id).toMatch(/^appt-2026-07-20-\d{4}$/);
    expect(summer.appointments[0]?.id).toBe('appt-2026-07-20-0001');
  });
});

describe('demo practice: the integrity checker itself', () => {
  // The checks above are only as good as integrityProblems; make sure it sees what it claims to.
  it('notices a double-booked slot, an appointment outside its session and a dangling patient', () => {
    const [a, b] = summer.appointments;
    if (!a || !b) throw new Error('no appointments');
    const doubleBooked = { ...summer, appointments: [a, { ...b, slotId: a.slotId, start: a.start, end: a.end, clinicianId: a.clinicianId, sessionId: a.sessionId }] };
    expect(integrityProblems(doubleBooked).join('\n')).toMatch(/shared by/);
    const late = { ...summer, appointments: [{ ...a, start: '2026-07-20T20:00:00.000Z', end: '2026-07-20T20:10:00.000Z' }] };
    expect(integrityProblems(late).join('\n')).toMatch(/outside its session/);
    const dangling = { ...summer, appointments: [{ ...a, patientId: 'pat-none' }] };
    expect(integrityProblems(dangling).join('\n')).toMatch(/unknown patient/);
  });
});

describe('demo practice: the clinical day', () => {
  it('has 6-10 clinicians across roles, each with a room', () => {
    expect(summer.clinicians.length).toBeGreaterThanOrEqual(6);
    expect(summer.clinicians.length).toBeLessThanOrEqual(10);
    const roles = summer.clinicians.map((c) => c.role);
    expect(roles.filter((r) => r === 'gp').length).toBeGreaterThanOrEqual(3);
    for (const role of ['nurse', 'hca', 'pharmacist'] as const) expect(roles).toContain(role);
    for (const c of summer.clinicians) expect(c.room).toBeTruthy();
  });

  it('has morning and afternoon sessions in surgery hours, not every clinician both', () => {
    for (const s of summer.sessions) {
      if (s.label === 'Morning') {
        expect(minutes(s.start)).toBeGreaterThanOrEqual(8 * 60);
        expect(minutes(s.end)).toBeLessThanOrEqual(12 * 60 + 30);
      } else {
        expect(s.label).toBe('Afternoon');
        expect(minutes(s.start)).toBeGreaterThanOrEqual(14 * 60);
        expect(minutes(s.end)).toBeLessThanOrEqual(18 * 60);
      }
      expect(s.date).toBe(SUMMER);
    }
    const halves = (id: string) => summer.sessions.filter((s) => s.clinicianId === id).length;
    expect(summer.clinicians.some((c) => halves(c.id) === 2)).toBe(true);
    expect(summer.clinicians.some((c) => halves(c.id) < 2)).toBe(true);
  });

  it("slots run back to back at the role's usual length, with some left free", () => {
    const usual: Record<string, number[]> = { gp: [10, 15], nurse: [15, 20], hca: [10, 15], pharmacist: [20], physio: [20, 30], paramedic: [10, 15] };
    const roleOf = new Map(summer.clinicians.map((c) => [c.id, c.role]));
    for (const session of summer.sessions) {
      const slots = summer.slots.filter((s) => s.sessionId === session.id).toSorted((a, b) => a.start.localeCompare(b.start));
      expect(slots[0]?.start).toBe(session.start);
      expect(slots.at(-1)?.end).toBe(session.end);
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i];
        if (!slot) continue;
        const length = (Date.parse(slot.end) - Date.parse(slot.start)) / 60000;
        expect(usual[roleOf.get(slot.clinicianId) ?? '']).toContain(length);
        if (i > 0) expect(slot.start).toBe(slots[i - 1]?.end);
      }
    }
    const free = summer.slots.filter((s) => s.status === 'free').length;
    expect(free).toBeGreaterThan(10);
    expect(free / summer.slots.length).toBeLessThan(0.35);
  });

  it('is a day not yet started: booked, plus 3-6% already cancelled with a reason', () => {
    for (const date of DATES) {
      for (const seed of [undefined, 1, 2]) {
        const appts = onDay(gen(date, seed), date);
        const cancelled = appts.filter((a) => a.status === 'cancelled');
        expect(appts.every((a) => a.status === 'booked' || a.status === 'cancelled')).toBe(true);
        expect(cancelled.length / appts.length).toBeGreaterThanOrEqual(0.03);
        expect(cancelled.length / appts.length).toBeLessThanOrEqual(0.06);
        for (const a of cancelled) expect(a.cancelReason).toBeTruthy();
        for (const a of appts.filter((x) => x.status === 'booked')) expect(a.cancelReason).toBeNull();
      }
    }
  });

  it('carries the upstream bookkeeping of a fresh pull', () => {
    for (const a of summer.appointments) {
      expect(a.fhirStatus).toBe(FHIR_STATUS_OF[a.status]);
      expect(a.version).toBe(0);
      expect(a.upstreamVersion).toMatch(/^\d+$/);
      expect(localDateOf(a.updatedAt)).toBe(addDays(SUMMER, -1));
      expect([a.arrivedAt, a.sentInAt, a.seenAt]).toEqual([null, null, null]);
    }
  });

  it('mixes appointment types: mostly face to face, a good share by telephone, home visits by GPs only', () => {
    const count = (type: string) => summer.appointments.filter((a) => a.type === type).length;
    const n = summer.appointments.length;
    expect(count('face_to_face') / n).toBeGreaterThan(0.5);
    expect(count('telephone') / n).toBeGreaterThan(0.1);
    expect(count('home_visit')).toBeGreaterThanOrEqual(1);
    expect(count('home_visit')).toBeLessThanOrEqual(6);
    const gps = new Set(summer.clinicians.filter((c) => c.role === 'gp').map((c) => c.id));
    for (const seed of SEEDS) {
      for (const a of gen(SUMMER, seed).appointments.filter((x) => x.type === 'home_visit')) expect(gps.has(a.clinicianId)).toBe(true);
    }
    const reasons = summer.appointments.map((a) => a.reason);
    expect(reasons).toContain(null);
    expect(reasons).toContain('Blood test');
    for (const r of reasons) if (r !== null) expect(r.length).toBeLessThanOrEqual(60);
  });

  it('shows July in BST and January in GMT: 08:30 at the desk', () => {
    const summerEarly = summer.appointments.find((a) => localTimeOf(a.start) === '08:30');
    expect(summerEarly?.start).toBe('2026-07-20T07:30:00.000Z');
    expect(summer.sessions.find((s) => s.id === 'sess-clin-02-2026-07-20-am')?.start).toBe('2026-07-20T07:30:00.000Z');
    const winter = gen(WINTER);
    expect(winter.appointments.find((a) => localTimeOf(a.start) === '08:30')?.start).toBe('2026-01-15T08:30:00.000Z');
  });
});

describe('demo practice: patients', () => {
  const patientsById = new Map(summer.patients.map((p) => [p.id, p]));

  it('has more patients than appointments, and some patients with two clinicians in a day', () => {
    expect(summer.patients.length).toBeGreaterThan(summer.appointments.length);
    const clinicians = new Map<string, Set<string>>();
    for (const a of summer.appointments) clinicians.set(a.patientId, (clinicians.get(a.patientId) ?? new Set()).add(a.clinicianId));
    expect([...clinicians.values()].some((set) => set.size >= 2)).toBe(true);
  });

  it('gives NHS numbers in the 999 range, all valid but a deliberate few missing or mistyped', () => {
    for (const seed of SEEDS) {
      const book = gen(SUMMER, seed);
      const present = book.patients.filter((p) => p.nhsNumber !== null);
      for (const p of book.patients) {
        // The status is computed from the number, never made up.
        expect(p.nhsNumberStatus).toBe(checkNhsNumber(p.nhsNumber).status);
        if (p.nhsNumber !== null) expect(p.nhsNumber).toMatch(/^999\d{7}$/);
      }
      expect(new Set(present.map((p) => p.nhsNumber)).size).toBe(present.length);
      const invalid = book.patients.filter((p) => p.nhsNumberStatus === 'invalid');
      const missing = book.patients.filter((p) => p.nhsNumberStatus === 'missing');
      expect(invalid.length).toBeGreaterThanOrEqual(1);
      expect(invalid.length).toBeLessThanOrEqual(2);
      expect(missing.length).toBeGreaterThanOrEqual(1);
      expect(missing.length / book.patients.length).toBeLessThanOrEqual(0.02);
      // The deliberate mistakes are on the day's book, where the desk will meet them.
      const bookedToday = new Set(onDay(book, SUMMER).map((a) => a.patientId));
      for (const p of [...invalid, ...missing]) expect(bookedToday.has(p.id)).toBe(true);
    }
  });

  it('has names that break naive code: apostrophes, hyphens, accents, and common surnames repeated', () => {
    for (const seed of SEEDS) {
      const book = gen(SUMMER, seed);
      const full = book.patients.map((p) => `${p.givenName} ${p.familyName}`);
      expect(full.some((n) => n.includes("'"))).toBe(true);
      expect(book.patients.some((p) => p.familyName.includes('-'))).toBe(true);
      expect(full.some((n) => /[^\p{ASCII}]/u.test(n))).toBe(true);
      for (const name of ["O'Brien", "D'Souza", 'Smith-Jones', 'Ashworth-Clarke', 'Müller']) {
        expect(book.patients.map((p) => p.familyName)).toContain(name);
      }
      for (const name of ['Zoë', 'Chloé', 'José', 'Siobhán', 'Łukasz', 'Renée']) expect(book.patients.map((p) => p.givenName)).toContain(name);
      const families = new Map<string, number>();
      for (const p of book.patients) families.set(foldName(p.familyName), (families.get(foldName(p.familyName)) ?? 0) + 1);
      expect(Math.max(...families.values())).toBeGreaterThanOrEqual(3);
      // Two patients with the same name: the wrong-patient hazard the desk must guard against.
      expect(book.patients.filter((p) => p.givenName === 'John' && p.familyName === 'Smith').length).toBeGreaterThanOrEqual(2);
    }
  });

  it('ranges from babies to 95-year-olds, every date of birth before the day', () => {
    const ages = summer.patients.map((p) => ageOn(p.dateOfBirth ?? '', SUMMER));
    expect(Math.min(...ages)).toBe(0);
    expect(Math.max(...ages)).toBeGreaterThanOrEqual(85);
    expect(Math.max(...ages)).toBeLessThanOrEqual(95);
    for (const p of summer.patients) expect(p.dateOfBirth !== null && p.dateOfBirth < SUMMER).toBe(true);
    // Roles that do not see small children are not booked with them.
    const roleOf = new Map(summer.clinicians.map((c) => [c.id, c.role]));
    for (const a of summer.appointments) {
      const role = roleOf.get(a.clinicianId);
      const age = ageOn(patientsById.get(a.patientId)?.dateOfBirth ?? '', SUMMER);
      if (role === 'hca' || role === 'pharmacist' || role === 'physio') expect(age, a.id).toBeGreaterThanOrEqual(16);
      if (a.type === 'home_visit') expect(age, a.id).toBeGreaterThanOrEqual(70);
    }
  });

  it("uses only Ofcom's drama phone ranges", () => {
    for (const p of summer.patients) if (p.phone !== null) expect(p.phone).toMatch(/^(07700 900\d{3}|01632 960\d{3})$/);
    expect(summer.patients.some((p) => p.phone === null)).toBe(true);
    expect(summer.patients.some((p) => p.phone?.startsWith('01632'))).toBe(true);
  });

  it('flags a few patients as time-sensitive, with some of them booked today, and a few with other needs', () => {
    for (const seed of SEEDS) {
      const book = gen(SUMMER, seed);
      const timeSensitive = book.patients.filter((p) => p.flags.some((f) => TIME_SENSITIVE_FLAGS.includes(f)));
      expect(timeSensitive.length / book.patients.length).toBeGreaterThanOrEqual(0.01);
      expect(timeSensitive.length / book.patients.length).toBeLessThanOrEqual(0.08);
      const bookedToday = new Set(
        onDay(book, SUMMER)
          .filter((a) => a.status === 'booked')
          .map((a) => a.patientId),
      );
      for (const flag of TIME_SENSITIVE_FLAGS) {
        expect(
          book.patients.some((p) => bookedToday.has(p.id) && p.flags.includes(flag)),
          `${seed} ${flag}`,
        ).toBe(true);
      }
      const other = book.patients.filter((p) => p.flags.some((f) => !TIME_SENSITIVE_FLAGS.includes(f)));
      expect(other.length).toBeGreaterThan(0);
      expect(other.length / book.patients.length).toBeLessThan(0.15);
    }
  });
});

describe('demo practice: several days', () => {
  it('defaults to one day', () => {
    expect(new Set(summer.appointments.map((a) => localDateOf(a.start)))).toEqual(new Set([SUMMER]));
  });

  it('adds the following working days, skipping the weekend, each a similar book', () => {
    const friday = '2026-07-24';
    const book = gen(friday, undefined, 4);
    const dates = [...new Set(book.sessions.map((s) => s.date))];
    expect(dates).toEqual(['2026-07-24', '2026-07-27', '2026-07-28', '2026-07-29']);
    for (const date of dates) {
      const n = onDay(book, date).length;
      expect(n, date).toBeGreaterThanOrEqual(150);
      expect(n, date).toBeLessThanOrEqual(300);
      expect(onDay(book, date).every((a) => a.id.startsWith(`appt-${date}-`))).toBe(true);
    }
    expect(integrityProblems(book)).toEqual([]);
    // The first day of a longer book is not the same day as a one-day book would be; it must still be sound.
    expect(book.patients.length).toBeGreaterThan(book.appointments.length);
  });

  it('makes the first day the same book whatever the number of days, so a screenshot or test stays valid', () => {
    const longer = gen(SUMMER, undefined, 5);
    const firstDay = (book: PracticeBook) => {
      const appointments = onDay(book, SUMMER);
      const ids = new Set(appointments.map((a) => a.patientId));
      return {
        appointments,
        sessions: book.sessions.filter((s) => s.date === SUMMER),
        slots: book.slots.filter((s) => s.id.includes(`-${SUMMER}-`)),
        patients: book.patients.filter((p) => ids.has(p.id)),
      };
    };
    expect(firstDay(longer)).toEqual(firstDay(summer));
    // Later days bring their own patients, and bring some earlier ones back.
    const firstDayPatients = new Set(onDay(summer, SUMMER).map((a) => a.patientId));
    const later = longer.appointments.filter((a) => localDateOf(a.start) !== SUMMER);
    expect(later.some((a) => firstDayPatients.has(a.patientId))).toBe(true);
    expect(later.some((a) => !firstDayPatients.has(a.patientId))).toBe(true);
  });

  it('generates the requested day even at a weekend, so a demo always has a book to show', () => {
    const saturday = '2026-07-25';
    expect(onDay(gen(saturday), saturday).length).toBeGreaterThanOrEqual(150);
    expect([...new Set(gen(saturday, undefined, 2).sessions.map((s) => s.date))]).toEqual([saturday, '2026-07-27']);
  });

  it('refuses options that are not a real date or a sensible number of days', () => {
    expect(() => generateDemoPractice({ date: '2026-02-30' })).toThrow(RangeError);
    expect(() => generateDemoPractice({ date: '20/07/2026' })).toThrow(RangeError);
    expect(() => generateDemoPractice({ date: SUMMER, days: 0 })).toThrow(RangeError);
    expect(() => generateDemoPractice({ date: SUMMER, days: 1.5 })).toThrow(RangeError);
    expect(() => generateDemoPractice({ date: SUMMER, days: 1000 })).toThrow(RangeError);
    expect(() => generateDemoPractice({ date: SUMMER, seed: Number.NaN })).toThrow(RangeError);
  });
});
