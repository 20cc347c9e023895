/**
 * `standby-desk find` searches as the desk does, over the day's book and the practice list (registered patients
 * with no appointment), those booked on the date first; `status` counts the registered apart from the booked.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { testPatient } from '../../support/builders';
import { FIXTURE_DATE, openTestDesk, smallBook, testNhsNumber } from '../../support/fixtures';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function cli() {
  const lines = { out: [] as string[], err: [] as string[] };
  return { lines, out: { log: (l: string) => lines.out.push(l), error: (l: string) => lines.err.push(l) } };
}

/** The small book plus two registered patients with no appointment: one shares a booked patient's surname. */
function deskWithPracticeList(): string {
  const book = smallBook();
  book.patients.push(
    testPatient({ id: 'pat-list-1', familyName: 'Smith', givenName: 'Aaron', dateOfBirth: '1988-03-04', nhsNumber: testNhsNumber(901), phone: '07700 900911' }),
    testPatient({ id: 'pat-list-2', familyName: 'Quayle', givenName: 'Morwenna', dateOfBirth: '1944-12-25', nhsNumber: testNhsNumber(902) }),
  );
  const open = openTestDesk({ book });
  open.close();
  dirs.push(open.dataDir);
  return open.dataDir;
}

describe('find and status over the practice list', () => {
  const dataDir = deskWithPracticeList();

  it('finds a registered patient with no appointment by surname, DOB and NHS number, the booked first', async () => {
    const bySurname = cli();
    expect(await main(['find', 'smith', '--date', FIXTURE_DATE, '--data', dataDir], bySurname.out)).toBe(0);
    // Anne Smith (09:00) and Tom Smith-Jones are booked that day; Aaron Smith is only on the list, so he comes
    // last although his name sorts first.
    expect(bySurname.lines.out).toHaveLength(3);
    expect(bySurname.lines.out[0]).toMatch(/^SMITH, Anne .* 09:00 Dr Asha Patel \(Booked\)/);
    expect(bySurname.lines.out[1]).toMatch(/^SMITH-JONES, Tom /);
    expect(bySurname.lines.out[2]).toMatch(/^SMITH, Aaron {2}born 04\/03\/1988 {2}NHS \d{3} \d{3} \d{4} {2}07700 900911 {2}not booked on 20\/07\/2026$/);

    for (const query of ['25/12/44', '25121944', testNhsNumber(902)]) {
      const run = cli();
      expect(await main(['find', query, '--date', FIXTURE_DATE, '--data', dataDir, '--json'], run.out), query).toBe(0);
      const result = JSON.parse(run.lines.out[0] ?? '{}') as { hits: Array<{ patient: { id: string; nhsNumber: string }; appointmentsOnDate: unknown[] }> };
      expect(
        result.hits.map((h) => h.patient.id),
        query,
      ).toEqual(['pat-list-2']);
      expect(result.hits[0]?.patient.nhsNumber).toBe(testNhsNumber(902));
      expect(result.hits[0]?.appointmentsOnDate).toEqual([]);
    }

    // Unquoted words are one query, as typed at the desk; nothing found says what can be typed.
    const spaced = cli();
    expect(await main(['find', 'o', 'brien', '--date', FIXTURE_DATE, '--data', dataDir], spaced.out)).toBe(0);
    expect(spaced.lines.out[0]).toMatch(/^O'BRIEN, Siobhán/);
    const none = cli();
    expect(await main(['find', 'zzyzx', '--data', dataDir], none.out)).toBe(0);
    expect(none.lines.out.join('\n')).toMatch(/No patient matches "zzyzx"\. Type a surname .*date of birth/);
    const usage = cli();
    expect(await main(['find', '--data', dataDir], usage.out)).toBe(2);
    expect(usage.lines.err.join('\n')).toMatch(/find needs at least one word to search for/);
  });

  it('status counts the registered patients apart from the booked ones', async () => {
    const run = cli();
    expect(await main(['status', '--json', '--data', dataDir], run.out)).toBe(0);
    const status = JSON.parse(run.lines.out[0] ?? '{}') as { patients: number; bookedPatients: number; registeredNotBooked: number };
    // smallBook: four patients, all booked (one twice); plus the two on the list alone.
    expect(status).toMatchObject({ patients: 6, bookedPatients: 4, registeredNotBooked: 2 });
    const text = cli();
    expect(await main(['status', '--data', dataDir], text.out)).toBe(0);
    expect(text.lines.out.join('\n')).toContain('6 patients (4 booked, 2 on the practice list with no appointment)');
  });
});
