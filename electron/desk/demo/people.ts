/**
 * The practice's patients: names from the communities of an English town, a GP list's ages, and the flags a
 * few of them carry. Every person is fictional.
 */
import { addDays, ageOn, type PatientFlag } from '../../../shared/domain';
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
