/**
 * A small hand-built practice book for store and service tests: small enough to reason about, with the
 * awkward cases on purpose (an apostrophe, an accent, a missing NHS number, a cancelled appointment).
 * Synthetic patients only; NHS numbers in the 999 range with valid check digits.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localToIso, nhsCheckDigit, type Appointment, type Patient, type PracticeBook } from '../../shared/domain';
import { openDesk, type OpenDesk } from '../../electron/desk/open';
import { testAppointment, testPatient } from './builders';

export const FIXTURE_DATE = '2026-07-20';

export function testNhsNumber(n: number): string {
  for (let k = n; ; k++) {
    const nine = `999${String(k).padStart(6, '0')}`;
    const check = nhsCheckDigit(nine);
    if (check !== null) return nine + String(check);
  }
}

export function smallBook(date = FIXTURE_DATE): PracticeBook {
  const raw: Array<Omit<Patient, 'nhsNumberStatus'>> = [
    {
      id: 'pat-1',
      familyName: "O'Brien",
      givenName: 'Siobhán',
      dateOfBirth: '1984-03-02',
      sex: 'female',
      phone: '07700 900101',
      flags: ['suspected_cancer'],
      nhsNumber: testNhsNumber(1),
    },
    { id: 'pat-2', familyName: 'Müller', givenName: 'Zoë', dateOfBirth: '1950-11-30', sex: 'female', phone: '01632 960202', flags: [], nhsNumber: testNhsNumber(20) },
    { id: 'pat-3', familyName: 'Smith-Jones', givenName: 'Tom', dateOfBirth: '2019-06-15', sex: 'male', phone: null, flags: [], nhsNumber: null },
    {
      id: 'pat-4',
      familyName: 'Smith',
      givenName: 'Anne',
      dateOfBirth: '1971-01-09',
      sex: 'female',
      phone: '07700 900404',
      flags: ['anticoagulation'],
      nhsNumber: testNhsNumber(300),
    },
  ];
  const patients: Patient[] = raw.map((p) => testPatient(p));
  const appt = (id: string, patientId: string, clinicianId: string, time: string, status: Appointment['status'] = 'booked'): Appointment =>
    testAppointment({
      id,
      patientId,
      clinicianId,
      sessionId: `sess-${clinicianId}`,
      start: localToIso(date, time),
      end: localToIso(
        date,
        time.replace(/:(\d\d)$/, (_m, mm: string) => `:${String(Number(mm) + 10).padStart(2, '0')}`),
      ),
      status,
      cancelReason: status === 'cancelled' ? 'Patient phoned to cancel' : null,
    });
  return {
    practice: { id: 'prac-1', name: 'Test Street Surgery', odsCode: 'Y99999' },
    clinicians: [
      { id: 'clin-a', name: 'Dr Asha Patel', role: 'gp', room: 'Room 1' },
      { id: 'clin-b', name: 'Nurse Ben Okafor', role: 'nurse', room: 'Treatment room' },
    ],
    sessions: [
      { id: 'sess-clin-a', clinicianId: 'clin-a', room: 'Room 1', date, start: localToIso(date, '08:30'), end: localToIso(date, '12:00'), label: 'Morning' },
      { id: 'sess-clin-b', clinicianId: 'clin-b', room: 'Treatment room', date, start: localToIso(date, '08:30'), end: localToIso(date, '12:00'), label: 'Morning' },
    ],
    slots: [],
    patients,
    appointments: [
      appt('appt-1', 'pat-1', 'clin-a', '08:30'),
      appt('appt-2', 'pat-2', 'clin-a', '08:40'),
      appt('appt-3', 'pat-3', 'clin-b', '08:30'),
      appt('appt-4', 'pat-4', 'clin-b', '08:45', 'cancelled'),
      appt('appt-5', 'pat-4', 'clin-a', '09:00'),
    ],
  };
}

export function tempDir(prefix = 'standby-desk-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A desk on a fresh data folder holding smallBook(), with a clock the test controls. */
/** A cheap scrypt for tests: sign-in is exercised thousands of times; the production cost is in auth/secrets.ts. */
export const TEST_SCRYPT_COST = { N: 2 ** 10, r: 8, p: 1 } as const;

export function openTestDesk(options: { book?: PracticeBook; now?: () => Date; idleLockMinutes?: number } = {}): OpenDesk & { dataDir: string } {
  const dataDir = tempDir();
  const desk = openDesk({
    dataDir,
    user: 'test-user',
    desk: 'test-desk',
    clock: options.now ?? (() => new Date('2026-07-20T08:00:00Z')),
    scryptCost: { ...TEST_SCRYPT_COST },
    ...(options.idleLockMinutes === undefined ? {} : { idleLockMinutes: options.idleLockMinutes }),
  });
  desk.service.loadBook(options.book ?? smallBook(), 'test fixture', desk.context);
  return Object.assign(desk, { dataDir });
}

/** A plain book of n booked appointments (one clinician per 30), for benchmarks that need volume, not realism. */
export function bulkBook(n: number, date = FIXTURE_DATE): PracticeBook {
  const book = smallBook(date);
  const clinicians = Array.from({ length: Math.ceil(n / 30) }, (_v, i) => ({ id: `clin-${i}`, name: `Dr Bench ${i}`, role: 'gp' as const, room: `Room ${i}` }));
  const patients: Patient[] = Array.from({ length: n }, (_v, i) =>
    testPatient({ id: `pat-${i}`, familyName: `Bench${i}`, givenName: 'Pat', dateOfBirth: '1980-01-01', nhsNumber: testNhsNumber(i * 7) }),
  );
  const appointments: Appointment[] = patients.map((p, i) => {
    const minutes = 8 * 60 + (i % 30) * 10;
    const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    return {
      ...(book.appointments[0] as Appointment),
      id: `appt-${i}`,
      patientId: p.id,
      clinicianId: `clin-${Math.floor(i / 30)}`,
      sessionId: null,
      start: localToIso(date, time),
      end: localToIso(date, time),
    };
  });
  return { practice: book.practice, clinicians, sessions: [], slots: [], patients, appointments };
}

export interface TestAccounts {
  manager: { username: string; secret: string };
  receptionist: { username: string; secret: string };
}

/**
 * Accounts for a desk opened in-process (not by `serve --demo`): a manager and a receptionist with fixed test
 * PINs, so a test can sign in to it over HTTP (signInCookie) or in a browser (newDeskContext).
 */
export function addTestAccounts(desk: Pick<OpenDesk, 'service' | 'context'>): TestAccounts {
  const manager = { username: 'test.manager', secret: '482916' };
  const receptionist = { username: 'test.reception', secret: '615273' };
  desk.service.auth.addUser({ username: manager.username, displayName: 'Test Manager', role: 'manager', secret: { kind: 'pin', value: manager.secret } }, desk.context);
  desk.service.auth.addUser(
    { username: receptionist.username, displayName: 'Test Reception', role: 'receptionist', secret: { kind: 'pin', value: receptionist.secret } },
    desk.context,
  );
  return { manager, receptionist };
}
