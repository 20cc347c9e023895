/**
 * The practice list's marks where the desk shows a patient (issue 19): "Deceased" and "TR" in words, and the address,
 * on the appointment row and in the walk-in's find; a deceased patient found for a walk-in is not offered as one.
 * Rendered without a page.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AppointmentRow, PatientHit } from '../../shared/api';
import type { Patient } from '../../shared/domain';
import { AppointmentRowView } from '../../renderer/src/components/AppointmentRow';
import { FindPatient } from '../../renderer/src/dialogs/WalkInFind';
import { dayViewOf, rowOf } from './support/day';
import { TEST_DAY } from '../support/clock';

const day = dayViewOf();
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

function rowHtml(patient: Partial<Patient>, compact = false): string {
  const base = rowOf(day, 'appt-1');
  const row: AppointmentRow = { ...base, patient: { ...base.patient, ...patient } };
  return renderToStaticMarkup(<AppointmentRowView row={row} date={TEST_DAY} compact={compact} first pending={null} hasError={false} isCurrent={false} hasCurrent={false} />);
}

function findHtml(patients: Patient[]): string {
  const found: PatientHit[] = patients.map((patient) => ({ patient, appointmentsOnDate: [] }));
  return renderToStaticMarkup(
    <FindPatient
      find="x"
      onFind={() => undefined}
      onKeyDown={() => undefined}
      found={found}
      foundFor="x"
      problem={null}
      active={0}
      chosenId={null}
      today={TEST_DAY}
      dayToday={null}
      clinicianName={() => ''}
      onChoose={() => undefined}
      onNewPatient={() => undefined}
    />,
  );
}

describe('the list’s marks on screen', () => {
  it('the appointment row says Deceased, TR and the address, in both layouts', () => {
    for (const compact of [false, true]) {
      const html = rowHtml({ deceased: true, temporaryResident: true, address: '14 Mill Lane, Testbury, ZZ99 3AB' }, compact);
      expect(html).toContain('data-testid="mark-deceased"');
      expect(text(html)).toContain(' Deceased ');
      expect(html).toMatch(/<abbr[^>]*title="Temporary resident"[^>]*>TR<\/abbr>/);
      expect(text(html)).toContain('14 Mill Lane, Testbury, ZZ99 3AB');
    }
  });

  it('a patient the list says nothing more of has no marks and no address line', () => {
    const html = rowHtml({});
    expect(html).not.toContain('mark-deceased');
    expect(html).not.toContain('mark-tr');
    expect(html).not.toContain('patient-address');
  });

  it('the walk-in find marks each patient, and a deceased one is not offered as a walk-in', () => {
    const [first, second] = day.appointments.map((a) => rowOf(day, a.id).patient);
    if (!first || !second) throw new Error('the fixture day has fewer than two patients');
    const html = findHtml([
      { ...first, deceased: true },
      { ...second, temporaryResident: true, address: '2 Quay Street, Testbury, ZZ99 3AE' },
    ]);
    const hits = html.split('<li ').filter((li) => li.includes('data-testid="walk-in-hit"'));
    expect(hits).toHaveLength(2);
    expect(hits[0]).toContain('aria-disabled="true"');
    expect(text(hits[0] ?? '')).toContain('Deceased');
    expect(text(hits[0] ?? '')).toContain('Recorded as deceased on the practice list: not a walk-in');
    expect(hits[1]).not.toContain('aria-disabled');
    expect(text(hits[1] ?? '')).toContain(' TR ');
    expect(text(hits[1] ?? '')).toContain('2 Quay Street, Testbury, ZZ99 3AE');
    expect(text(hits[1] ?? '')).not.toContain('Deceased');
  });
});
