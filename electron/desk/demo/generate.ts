/**
 * The demo practice: a synthetic but realistic English GP book, for trying the desk, for e2e tests and for
 * benchmarks. Pure and seeded: the same options give byte-identical output, so a test or a screenshot can name
 * an appointment and find it again. Every person here is fictional: NHS numbers are in the 999 test range and
 * phone numbers in Ofcom's drama ranges (07700 900xxx, 01632 960xxx), so nothing can reach a real patient.
 */
import type {
  Appointment,
  AppointmentType,
  Clinician,
  ClinicianRole,
  Patient,
  PatientFlag,
  PracticeBook,
  Session,
  Slot,
} from '../../../shared/domain';
import { addDays, ageOn, FHIR_STATUS_OF, isLocalDate, localToIso, nhsCheckDigit, PATIENT_FLAGS, weekdayOf, withNhsNumberStatus } from '../../../shared/domain';

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

// ---------------------------------------------------------------------------------------------------------------
// Seeded randomness. Math.random would make every run a different book, and the tests could not name anything.

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a; mixes the date into the seed so that two dates with one seed are not the same day relabelled. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** Inclusive at both ends. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    const last = items[items.length - 1];
    if (last === undefined) throw new Error('weighted pick from an empty list');
    return last[0];
  }
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const a = out[i] as T;
      out[i] = out[j] as T;
      out[j] = a;
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The practice and its rota.

interface SessionPlan {
  start: string;
  end: string;
  slotMinutes: number;
  /** 1 = Monday ... 5 = Friday. */
  weekdays: readonly number[];
}

interface ClinicianPlan {
  clinician: Clinician;
  am: SessionPlan | null;
  pm: SessionPlan | null;
}

const EVERY_WEEKDAY = [1, 2, 3, 4, 5] as const;

// Part-timers and days off make each weekday's book a different size (Monday the busiest, as at any practice),
// while every weekday stays between about 200 and 240 slots.
const ROTA: readonly ClinicianPlan[] = [
  plan('clin-01', 'Dr Helen Carter', 'gp', 'Room 1', ['08:00', '11:30', 10, EVERY_WEEKDAY], ['14:30', '18:00', 10, EVERY_WEEKDAY]),
  plan('clin-02', 'Dr Rajesh Patel', 'gp', 'Room 2', ['08:30', '12:00', 10, EVERY_WEEKDAY], ['14:30', '18:00', 10, [1, 2, 3, 5]]),
  plan('clin-03', 'Dr Aoife Brennan', 'gp', 'Room 3', ['08:30', '12:00', 15, [1, 2, 4, 5]], ['14:00', '17:30', 15, [1, 2, 4, 5]]),
  plan('clin-04', 'Dr Michael Okafor', 'gp', 'Room 4', ['08:30', '12:00', 15, [1, 3, 4, 5]], ['15:00', '18:00', 15, [1, 3, 4, 5]]),
  plan('clin-05', 'Claire Bennett', 'nurse', 'Treatment room', ['08:30', '12:00', 15, EVERY_WEEKDAY], ['14:00', '17:20', 20, [1, 2, 3, 4]]),
  plan('clin-06', 'Fatima Hussain', 'nurse', 'Nurse room 2', ['08:30', '12:30', 20, [2, 3, 4]], ['14:00', '17:00', 20, [2, 3, 4]]),
  plan('clin-07', 'Jade Wilson', 'hca', 'Phlebotomy room', ['08:00', '11:30', 10, EVERY_WEEKDAY], ['14:00', '16:30', 15, EVERY_WEEKDAY]),
  plan('clin-08', 'Oluwaseun Adeyemi', 'pharmacist', 'Room 5', ['09:00', '12:00', 20, [1, 2, 4]], ['14:00', '16:00', 20, [1, 2, 4]]),
  plan('clin-09', 'Rhys Morgan', 'physio', 'Room 6', ['08:30', '12:30', 20, [2, 5]], null),
  plan('clin-10', 'Danielle Hughes', 'paramedic', 'Room 7', ['08:30', '12:30', 15, [1, 3, 5]], ['14:00', '17:00', 15, [1, 3, 5]]),
];

function plan(
  id: string,
  name: string,
  role: ClinicianRole,
  room: string,
  am: readonly [string, string, number, readonly number[]] | null,
  pm: readonly [string, string, number, readonly number[]] | null,
): ClinicianPlan {
  const session = (s: typeof am): SessionPlan | null => (s ? { start: s[0], end: s[1], slotMinutes: s[2], weekdays: s[3] } : null);
  return { clinician: { id, name, role, room }, am: session(am), pm: session(pm) };
}

// ---------------------------------------------------------------------------------------------------------------
// People.

type Sex = 'female' | 'male';
type Era = 'old' | 'mid' | 'young';

interface NameGroup {
  weight: number;
  /** Chance a patient of this group needs an interpreter. */
  interpreter: number;
  family: readonly (readonly [string, number])[];
  given: Record<Sex, Record<Era, readonly string[]>>;
}

/** "Smith*10 Jones*8 Lee" -> weighted list; names never contain spaces here, so a space separates them. */
const families = (spec: string): (readonly [string, number])[] =>
  spec
    .trim()
    .split(/\s+/)
    .map((entry) => {
      const [name, weight] = entry.split('*');
      return [name ?? entry, weight === undefined ? 1 : Number(weight)] as const;
    });
const names = (spec: string): string[] => spec.trim().split(/\s+/);
const anyEra = (list: readonly string[]): Record<Era, readonly string[]> => ({ old: list, mid: list, young: list });

// Apostrophes, hyphens, accents and non-Latin letters are in here on purpose: search, sorting, printing and CSV
// must all survive them, and common surnames repeat so that "Smith" finds several people.
const BRITISH: NameGroup = {
  weight: 60,
  interpreter: 0,
  family: families(`
    Smith*10 Jones*8 Williams*6 Taylor*6 Brown*6 Davies*5 Evans*4 Wilson*4 Thomas*4 Johnson*4 Roberts*4 Robinson*3
    Thompson*3 Wright*3 Walker*3 White*3 Edwards*3 Hughes*3 Green*3 Hall*3 Lewis*3 Harris*3 Clarke*3 Jackson*3 Wood*3
    Turner*2 Martin*2 Cooper*2 Hill*2 Ward*2 Morris*2 Moore*2 Clark*2 King*2 Baker*2 Harrison*2 Morgan*2 Allen*2
    Scott*2 Phillips*2 Watson*2 Parker*2 Price*2 Bennett*2 Young*2 Griffiths*2 Mitchell*2 Cook*2 Carter*2 Bailey*2
    Bell*2 Shaw*2 Richards*2 McDonald*2 Campbell*2 Lloyd Pritchard MacLeod Fraser Stewart Smith-Jones Ashworth-Clarke
    Hughes-Morgan Fox-Taylor
  `),
  given: {
    female: {
      old: names('Margaret Patricia Jean Sheila Doreen Joan Barbara Maureen Brenda Elsie Irene Valerie Pauline Christine Susan Linda'),
      mid: names('Sarah Karen Claire Emma Rachel Nicola Lisa Joanne Helen Laura Rebecca Gemma Kelly Amy Louise Jennifer Victoria'),
      young: names('Olivia Amelia Isla Ava Mia Grace Lily Freya Emily Poppy Evie Ella Zoë Chloé Sophie Ruby Isabelle Chloe'),
    },
    male: {
      old: names('John David Michael Peter Robert Brian Kenneth Alan Derek Raymond Geoffrey Keith Colin Terence Roy Dennis'),
      mid: names('Paul Mark Andrew Stephen Christopher Richard Darren Lee Gareth Matthew Daniel James Craig Jason Neil Simon David'),
      young: names('Oliver George Harry Noah Jack Leo Arthur Oscar Charlie Freddie Alfie Theo Archie Jacob Henry Thomas Rhys Dylan'),
    },
  },
};

const NAME_GROUPS: readonly NameGroup[] = [
  BRITISH,
  {
    weight: 6,
    interpreter: 0,
    family: families("O'Brien*3 O'Neill*3 O'Connor*3 O'Sullivan*2 Murphy*4 Kelly*4 Byrne*2 Walsh*3 Ryan*2 Doyle*2 McCarthy*2 Gallagher*2"),
    given: {
      female: anyEra(names('Siobhán Aoife Niamh Mairéad Róisín Ciara Orla Sinéad Bridget Mary Caoimhe')),
      male: anyEra(names('Ciarán Seán Pádraig Conor Liam Declan Eoin Niall Cian Patrick Éamon')),
    },
  },
  {
    weight: 13,
    interpreter: 0.04,
    family: families("Patel*6 Khan*5 Ahmed*4 Ali*4 Hussain*4 Begum*3 Singh*4 Kaur*3 Shah*3 Sharma*2 Chowdhury*2 Rahman*2 Iqbal*2 Mistry*2 Gupta Desai D'Souza*2 Fernandes"),
    given: {
      female: anyEra(names('Priya Anjali Aisha Fatima Ayesha Zainab Sana Nusrat Harpreet Gurpreet Simran Deepa Meera Shabana Rukhsana Amira')),
      male: anyEra(names('Mohammed Muhammad Ahmed Imran Arjun Rohan Raj Sanjay Vikram Harjit Gurdeep Amir Bilal Yusuf Zain Kiran Anil')),
    },
  },
  {
    weight: 8,
    interpreter: 0.15,
    family: families('Nowak*3 Wójcik*2 Kaczmarek Mazur Krawczyk Zając Wróbel Popescu*2 Ionescu Popa Dumitru Horvat Novák'),
    given: {
      female: anyEra(names('Agnieszka Katarzyna Małgorzata Joanna Anna Magdalena Ewa Ioana Elena Andreea Maria Zuzana')),
      male: anyEra(names('Łukasz Piotr Tomasz Krzysztof Paweł Jakub Michał Andrei Mihai Ion Bogdan Marek Jan')),
    },
  },
  {
    weight: 6,
    interpreter: 0.03,
    family: families('Okafor Adeyemi Mensah Osei Boateng Ogunleye Adebayo Nwosu Asante Eze Owusu Okonkwo'),
    given: {
      female: anyEra(names('Chiamaka Amara Adaeze Folake Abena Ama Grace Blessing Funmilayo Ngozi Esi')),
      male: anyEra(names('Chinedu Kwame Oluwaseun Emeka Kofi Tunde Samuel Kwabena Obinna Yaw Daniel')),
    },
  },
  {
    weight: 4,
    interpreter: 0.08,
    family: families('Müller Schmidt Rossi Ferreira Silva Santos Gonçalves García Martínez López Lefèvre Dubois Bianchi Costa Jansen'),
    given: {
      female: anyEra(names('Renée Chloé Zoë Hélène Inês María Sofía Giulia Léa Anaïs Lena Ana')),
      male: anyEra(names('José François João Luis Marco Matteo Jürgen Lukas Pierre Andrés Tiago André')),
    },
  },
  {
    weight: 3,
    interpreter: 0.12,
    family: families('Chen*2 Wang*2 Li Zhang Liu Nguyen*2 Tran Wong Lam Kim Park'),
    given: {
      female: anyEra(names('Mei Xin Ying Linh Hoa Ji-woo Yan Hui')),
      male: anyEra(names('Wei Jun Hao Minh Duc Jian Tuan Min-jun')),
    },
  },
];

/** A GP list's shape, roughly: [min age, max age, weight]. */
const AGE_BANDS: readonly (readonly [readonly [number, number], number])[] = [
  [[0, 0], 3],
  [[1, 4], 4],
  [[5, 17], 12],
  [[18, 39], 25],
  [[40, 64], 32],
  [[65, 79], 17],
  [[80, 95], 7],
];
const MAX_AGE = 95;

interface Showcase {
  given: string;
  family: string;
  sex: Sex;
  group: NameGroup;
  ages: readonly [number, number];
}

// A fixed handful so that every seed's book has the names that break naive code (and two John Smiths, the
// wrong-patient hazard): random draws make them likely, this makes them certain.
const SHOWCASE: readonly Showcase[] = [
  { given: 'Siobhán', family: "O'Brien", sex: 'female', group: groupOf("O'Brien"), ages: [30, 60] },
  { given: 'Anil', family: "D'Souza", sex: 'male', group: groupOf("D'Souza"), ages: [40, 75] },
  { given: 'Zoë', family: 'Smith-Jones', sex: 'female', group: BRITISH, ages: [5, 30] },
  { given: 'Chloé', family: 'Ashworth-Clarke', sex: 'female', group: BRITISH, ages: [18, 45] },
  { given: 'Łukasz', family: 'Nowak', sex: 'male', group: groupOf('Nowak'), ages: [25, 50] },
  { given: 'José', family: 'Ferreira', sex: 'male', group: groupOf('Ferreira'), ages: [30, 70] },
  { given: 'Renée', family: 'Müller', sex: 'female', group: groupOf('Müller'), ages: [60, 90] },
  { given: 'John', family: 'Smith', sex: 'male', group: BRITISH, ages: [66, 80] },
  { given: 'John', family: 'Smith', sex: 'male', group: BRITISH, ages: [35, 50] },
];

function groupOf(family: string): NameGroup {
  const group = NAME_GROUPS.find((g) => g.family.some(([name]) => name === family));
  if (!group) throw new Error(`no name group has ${family}`);
  return group;
}

// ---------------------------------------------------------------------------------------------------------------
// What the appointments are for.

interface ReasonOption {
  text: string;
  minAge?: number;
  maxAge?: number;
  sex?: Sex;
  /** Needs the patient in the room; not offered for telephone or video appointments. */
  inPerson?: boolean;
}

const r = (text: string, extra: Omit<ReasonOption, 'text'> = {}): ReasonOption => ({ text, ...extra });

const REASONS: Record<ClinicianRole, readonly ReasonOption[]> = {
  gp: [
    r('6-8 week baby check', { maxAge: 0, inPerson: true }),
    r('Feeding concerns', { maxAge: 0 }),
    r('Fever', { maxAge: 15 }),
    r('Rash', { maxAge: 15 }),
    r('Ear pain', { maxAge: 15 }),
    r('Cough', { maxAge: 15 }),
    r('Tummy ache', { minAge: 2, maxAge: 12 }),
    r('Medication review', { minAge: 18 }),
    r('Back pain', { minAge: 16 }),
    r('Results discussion', { minAge: 16 }),
    r('Follow-up'),
    r('Fit note', { minAge: 18, maxAge: 67 }),
    r('Mental health review', { minAge: 14 }),
    r('Headaches', { minAge: 8 }),
    r('Knee pain', { minAge: 16 }),
    r('Contraception', { minAge: 16, maxAge: 50, sex: 'female' }),
    r('Blood pressure review', { minAge: 30 }),
    r('Dizziness', { minAge: 30 }),
    r('Sore throat', { minAge: 5 }),
    r('Abdominal pain', { minAge: 13 }),
    r('Tiredness', { minAge: 16 }),
    r('Mole check', { minAge: 16, inPerson: true }),
    r('Chest infection', { minAge: 16 }),
  ],
  nurse: [
    r('Childhood immunisations', { maxAge: 5, inPerson: true }),
    r('Asthma review', { minAge: 5 }),
    r('Diabetes review', { minAge: 25 }),
    r('COPD review', { minAge: 45 }),
    r('Cervical screening', { minAge: 25, maxAge: 64, sex: 'female', inPerson: true }),
    r('Dressing change', { inPerson: true }),
    r('Wound check', { inPerson: true }),
    r('Travel vaccinations', { minAge: 1, maxAge: 75, inPerson: true }),
    r('B12 injection', { minAge: 30, inPerson: true }),
    r('Contraceptive injection', { minAge: 16, maxAge: 45, sex: 'female', inPerson: true }),
    r('Blood pressure review', { minAge: 30 }),
  ],
  hca: [
    r('Blood test', { inPerson: true }),
    r('Blood test', { inPerson: true }),
    r('Blood pressure check', { minAge: 18, inPerson: true }),
    r('ECG', { minAge: 30, inPerson: true }),
    r('NHS Health Check', { minAge: 40, maxAge: 74, inPerson: true }),
    r('Weight and BMI check', { inPerson: true }),
  ],
  pharmacist: [
    r('Medication review'),
    r('Structured medication review', { minAge: 60 }),
    r('Inhaler review'),
    r('Repeat prescription query'),
    r('Statin review', { minAge: 40 }),
    r('Blood pressure review', { minAge: 30 }),
    r('HRT review', { minAge: 45, maxAge: 65, sex: 'female' }),
  ],
  physio: [r('Back pain'), r('Knee pain'), r('Shoulder pain'), r('Neck pain'), r('Ankle sprain'), r('Hip pain'), r('Tennis elbow')],
  paramedic: [
    r('Chest infection'),
    r('Urinary symptoms', { minAge: 16 }),
    r('Minor injury', { inPerson: true }),
    r('Sore throat'),
    r('Earache'),
    r('Rash'),
  ],
  physician_associate: [r('Follow-up'), r('Cough'), r('Back pain')],
  other: [r('Follow-up')],
};

const HOME_VISIT_REASONS: readonly ReasonOption[] = [
  r('Housebound review'),
  r('Chest infection'),
  r('Fall at home'),
  r('Confusion'),
  r('Medication review'),
];

const TYPE_WEIGHTS: Record<ClinicianRole, readonly (readonly [AppointmentType, number])[]> = {
  gp: [['face_to_face', 62], ['telephone', 33], ['video', 5]],
  nurse: [['face_to_face', 92], ['telephone', 8]],
  hca: [['face_to_face', 1]],
  pharmacist: [['telephone', 55], ['face_to_face', 40], ['video', 5]],
  physio: [['face_to_face', 75], ['telephone', 20], ['video', 5]],
  paramedic: [['face_to_face', 70], ['telephone', 30]],
  physician_associate: [['face_to_face', 70], ['telephone', 30]],
  other: [['face_to_face', 1]],
};

/** Roles that do not see young children in this practice (bloods, medicines, MSK). */
const MIN_AGE: Record<ClinicianRole, number> = {
  gp: 0,
  nurse: 0,
  hca: 16,
  pharmacist: 16,
  physio: 16,
  paramedic: 1,
  physician_associate: 16,
  other: 0,
};

const CANCEL_REASONS = [
  'Patient cancelled: feeling better',
  'Patient cancelled: work commitments',
  'Patient cancelled by text reply',
  'Patient cancelled: childcare',
  'Patient in hospital',
  'Booked in error',
  'Duplicate booking',
  'Clinician unavailable',
] as const;

// ---------------------------------------------------------------------------------------------------------------
// Generation.

interface PatientDraft {
  givenName: string;
  familyName: string;
  sex: Sex;
  dateOfBirth: string;
  age: number;
  phone: string | null;
  group: NameGroup;
  flags: Set<PatientFlag>;
  nhsNumber: string | null;
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
    for (const [half, sp] of [['am', p.am], ['pm', p.pm]] as const) {
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
      const takenIds = new Set(rng.shuffle(sessionSlots).slice(0, Math.round(sessionSlots.length * rate)).map((t) => t.slot.id));
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
  const freeAt = (idx: number, b: Booking): boolean =>
    (todays.get(idx) ?? []).every((t) => t.plan !== b.plan && (t.endMin <= b.startMin || t.startMin >= b.endMin));
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
      (o) =>
        draft.age >= (o.minAge ?? 0) &&
        draft.age <= (o.maxAge ?? MAX_AGE + 1) &&
        (o.sex === undefined || o.sex === draft.sex) &&
        (!o.inPerson || b.type === 'face_to_face'),
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

const patientId = (index: number): string => `pat-${pad(index + 1, 4)}`;

function draftPatient(rng: Rng, onDate: string, fixed?: Showcase): PatientDraft {
  const [minAge, maxAge] = fixed ? fixed.ages : rng.weighted(AGE_BANDS);
  const targetAge = rng.int(minAge, maxAge);
  // Babies are at least a week old: nobody books a newborn before the birth is registered.
  let dateOfBirth = addDays(onDate, -(Math.floor(targetAge * 365.25) + rng.int(targetAge === 0 ? 7 : 0, 364)));
  while (ageOn(dateOfBirth, onDate) > Math.min(maxAge, MAX_AGE)) dateOfBirth = addDays(dateOfBirth, 7);
  const age = ageOn(dateOfBirth, onDate);
  const birthYear = Number(dateOfBirth.slice(0, 4));
  const era: Era = birthYear < 1965 ? 'old' : birthYear < 2000 ? 'mid' : 'young';
  const group = fixed ? fixed.group : rng.weighted(NAME_GROUPS.map((g) => [g, g.weight] as const));
  const sex: Sex = fixed ? fixed.sex : rng.chance(0.5) ? 'female' : 'male';
  const givenName = fixed ? fixed.given : rng.pick(group.given[sex][era]);
  // Marriage and mixed families: some people carry a British surname with a given name from elsewhere.
  const familyName = fixed ? fixed.family : rng.weighted(group !== BRITISH && rng.chance(0.1) ? BRITISH.family : group.family);
  const phoneKind = rng.float();
  const phone = phoneKind < 0.78 ? `07700 900${pad(rng.int(0, 999), 3)}` : phoneKind < 0.9 ? `01632 960${pad(rng.int(0, 999), 3)}` : null;
  return { givenName, familyName, sex, dateOfBirth, age, phone, group, flags: new Set(), nhsNumber: null };
}

function assignFlags(rng: Rng, d: PatientDraft): void {
  const { age } = d;
  if (age >= 30 && rng.chance(0.015)) d.flags.add('suspected_cancer');
  if (age >= 50 && rng.chance(0.04)) d.flags.add('anticoagulation');
  if (age >= 65 && rng.chance(0.02)) d.flags.add('palliative');
  if (rng.chance(age < 18 ? 0.03 : 0.005)) d.flags.add('safeguarding');
  if (rng.chance(d.group.interpreter)) d.flags.add('interpreter');
  if (rng.chance(age >= 70 ? 0.05 : 0.007)) d.flags.add('wheelchair');
  if (rng.chance(age >= 70 ? 0.08 : 0.005)) d.flags.add('hearing');
}
