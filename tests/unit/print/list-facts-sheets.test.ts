/**
 * The practice list's facts on paper (issue 19): a temporary resident the list names is marked TR as one the desk
 * registered is (one notion, Patient.temporaryResident), a patient it records as deceased is marked DECEASED, and the
 * consultation record, which has room for the patient's details, prints the address. Read from the sheets' HTML.
 */
import { describe, expect, it } from 'vitest';
import { localToIso, type PracticeBook } from '../../../shared/domain';
import { consultationRecordsSheet } from '../../../shared/sheets';
import { sheetDocument, sheetInputOf } from '../../../electron/desk/print';
import { smallBook } from '../../support/fixtures';
import { dayOf } from './support';

const DATE = '2026-07-20';

/** Zoë Müller is on the list as a temporary resident with an address; Anne Smith is recorded as deceased. */
function listedBook(): PracticeBook {
  const book = smallBook(DATE);
  return {
    ...book,
    patients: book.patients.map((p) =>
      p.id === 'pat-2' ? { ...p, temporaryResident: true as const, address: '14 Mill Lane, Testbury, ZZ99 3AB' } : p.id === 'pat-4' ? { ...p, deceased: true as const } : p,
    ),
  };
}

const input = sheetInputOf(dayOf(listedBook(), DATE, { asOf: localToIso(DATE, '08:40') }), new Date(localToIso(DATE, '08:45')));

describe('the list’s facts on the sheets', () => {
  it('a list temporary resident is marked TR on every sheet the name is printed on, and a deceased patient DECEASED', () => {
    for (const kind of ['clinician-list', 'master-list', 'consultation-records'] as const) {
      const html = sheetDocument(kind, input).html;
      expect(html, kind).toMatch(/MÜLLER, Zoë<span class="mark" title="Temporary resident">TR<\/span>/);
      expect(html, kind).toMatch(/SMITH, Anne<span class="mark" title="Recorded as deceased on the practice list">DECEASED<\/span>/);
      // Nobody else is marked.
      expect(html.match(/class="mark"/g)?.length, kind).toBe(
        (html.match(/<div class="name">MÜLLER, Zoë/g)?.length ?? 0) + (html.match(/<div class="name">SMITH, Anne/g)?.length ?? 0),
      );
    }
  });

  it('the consultation record prints the address, and says the list records a death', () => {
    const html = sheetDocument('consultation-records', input).html;
    const record = (ref: string) => html.split('<section class="record"').find((s) => s.includes(`data-appointment="${ref}"`)) ?? '';
    const printed = new Set(consultationRecordsSheet(input).records.map((r) => r.reference));
    const recordsOf = (patientId: string) => input.appointments.filter((a) => a.patientId === patientId && printed.has(a.id)).map((a) => a.id);
    const mullers = recordsOf('pat-2');
    expect(mullers.length).toBeGreaterThan(0);
    for (const id of mullers) {
      expect(record(id)).toContain('<tr><td class="k">Address</td><td>14 Mill Lane, Testbury, ZZ99 3AB</td></tr>');
      expect(record(id)).toContain('<b>Temporary resident</b>');
    }
    const smiths = recordsOf('pat-4');
    expect(smiths.length).toBeGreaterThan(0);
    for (const id of smiths) expect(record(id)).toContain('Recorded as deceased: check who this is');
    const others = input.appointments.filter((a) => a.patientId !== 'pat-2' && printed.has(a.id)).map((a) => a.id);
    expect(others.length).toBeGreaterThan(0);
    for (const id of others) expect(record(id)).not.toContain('<td class="k">Address</td>');
  });
});
