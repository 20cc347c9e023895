/**
 * The practice's patients: names from the communities of an English town, a GP list's ages, and the flags a
 * few of them carry. Every person is fictional.
 */
import { addDays, ageOn, type PatientFlag } from '../../../shared/domain';
import nameGroups from './names.json';
import type { Rng } from './random';

export type Sex = 'female' | 'male';
type Era = 'old' | 'mid' | 'young';

export interface NameGroup {
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
const byEra = (spec: string | Record<Era, string>): Record<Era, readonly string[]> => {
  if (typeof spec !== 'string') return { old: names(spec.old), mid: names(spec.mid), young: names(spec.young) };
  const list = names(spec);
  return { old: list, mid: list, young: list };
};

// Apostrophes, hyphens, accents and non-Latin letters are in here on purpose: search, sorting, printing and CSV
// must all survive them, and common surnames repeat so that "Smith" finds several people.
// Apostrophes, hyphens, accents and non-Latin letters are in names.json on purpose: search, sorting, printing and
// CSV must all survive them, and common surnames repeat so that "Smith" finds several people. The first group is
// the British one. Surnames are written "Smith*10 Jones*8 Lee" (a weight after the star); given names by era where
// fashions changed, or one list for every era.
const NAME_GROUPS: readonly NameGroup[] = nameGroups.map((g) => ({
  weight: g.weight,
  interpreter: g.interpreter,
  family: families(g.family),
  given: { female: byEra(g.given.female), male: byEra(g.given.male) },
}));
const BRITISH = NAME_GROUPS[0] as NameGroup;

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
export const MAX_AGE = 95;

export interface Showcase {
  given: string;
  family: string;
  sex: Sex;
  group: NameGroup;
  ages: readonly [number, number];
}

// A fixed handful so that every seed's book has the names that break naive code (and two John Smiths, the
// wrong-patient hazard): random draws make them likely, this makes them certain.
export const SHOWCASE: readonly Showcase[] = [
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

export function groupOf(family: string): NameGroup {
  const group = NAME_GROUPS.find((g) => g.family.some(([name]) => name === family));
  if (!group) throw new Error(`no name group has ${family}`);
  return group;
}

export interface PatientDraft {
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

export const patientId = (index: number): string => `pat-${String(index + 1).padStart(4, '0')}`;

export function draftPatient(rng: Rng, onDate: string, fixed?: Showcase): PatientDraft {
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
  const phone = phoneKind < 0.78 ? `07700 900${String(rng.int(0, 999)).padStart(3, '0')}` : phoneKind < 0.9 ? `01632 960${String(rng.int(0, 999)).padStart(3, '0')}` : null;
  return { givenName, familyName, sex, dateOfBirth, age, phone, group, flags: new Set(), nhsNumber: null };
}

export function assignFlags(rng: Rng, d: PatientDraft): void {
  const { age } = d;
  if (age >= 30 && rng.chance(0.015)) d.flags.add('suspected_cancer');
  if (age >= 50 && rng.chance(0.04)) d.flags.add('anticoagulation');
  if (age >= 65 && rng.chance(0.02)) d.flags.add('palliative');
  if (rng.chance(age < 18 ? 0.03 : 0.005)) d.flags.add('safeguarding');
  if (rng.chance(d.group.interpreter)) d.flags.add('interpreter');
  if (rng.chance(age >= 70 ? 0.05 : 0.007)) d.flags.add('wheelchair');
  if (rng.chance(age >= 70 ? 0.08 : 0.005)) d.flags.add('hearing');
}
