/**
 * The rebooking assistant's review (issue 21) and contact tracking on the callback list, as the renderer runs them
 * under Node: the rows as drawn (renderToStaticMarkup), what accepting all, one row, or a changed row sends to the
 * transport double, the desk's refusals told back, a message's status recorded and shown beside the calls, and the
 * assistant's reason shown on the callback list for a patient it could not place.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BacklogView, type BacklogItem, type CallbackEntry, type FreeSlot } from '../../shared/api';
import { createDeskClient } from '../../renderer/src/api/client';
import { acceptancesOf, acceptRows, readNotPlaced, slotsTakenByOthers, type SlotChoices } from '../../renderer/src/backlog/backlog-model';
import { Report } from '../../renderer/src/backlog/BacklogDialog';
import { BacklogRows } from '../../renderer/src/backlog/BacklogRows';
import { CallbackRow, CallbackTries } from '../../renderer/src/components/CallbackView';
import { recordingOf } from '../../renderer/src/day/CallbackAttemptDialog';
import { FakeTransport } from './doubles/transport';
import { changed, dayViewOf } from './support/day';
import { TEST_DAY } from '../support/clock';
import { localToIso } from '../../shared/domain';

const day = dayViewOf();
const [first, second, third] = day.appointments;
const [gp, other] = day.clinicians;
if (!first || !second || !third || !gp || !other) throw new Error('fixture: too small a day');

function freeSlot(id: string, time: string, clinician = gp ?? day.clinicians[0]): FreeSlot {
  if (!clinician) throw new Error('fixture: no clinician');
  return {
    slot: { id, sessionId: null, clinicianId: clinician.id, start: localToIso(TEST_DAY, time), end: localToIso(TEST_DAY, time.replace(/:(\d)0$/, ':$15')), status: 'free' },
    clinician,
    room: null,
    sessionLabel: null,
  };
}

const SLOT_A = freeSlot('slot-a', '16:00', first.clinicianId === gp.id ? gp : other);
const SLOT_B = freeSlot('slot-b', '16:20', other);
const SLOT_C = freeSlot('slot-c', '16:40', gp);

/** Three on the list: the first time-sensitive with its own clinician, the second in the same role, the third not placed. */
const VIEW = BacklogView.parse({
  from: TEST_DAY,
  to: TEST_DAY,
  windowDays: 14,
  items: [
    { appointment: { ...first, status: 'cancelled' }, clinicianName: 'Dr One', timeSensitive: true, proposal: SLOT_A, sameClinician: true, reason: null },
    { appointment: { ...second, status: 'dna' }, clinicianName: 'Dr Two', timeSensitive: false, proposal: SLOT_B, sameClinician: false, reason: null },
    {
      appointment: { ...third, status: 'cancelled' },
      clinicianName: 'Dr Three',
      timeSensitive: false,
      proposal: null,
      sameClinician: false,
      reason: 'no free slot with their clinician within 14 days',
    },
  ],
});
const items: BacklogItem[] = VIEW.items;
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ');
const rows = (chosen: SlotChoices = {}) =>
  text(
    renderToStaticMarkup(<BacklogRows items={items} chosen={chosen} current={null} busy={false} onAccept={() => undefined} onChange={() => undefined} onMove={() => undefined} />),
  );

describe('the rebooking assistant’s list', () => {
  it('shows each patient, the appointment missed, the slot proposed or why none, time-sensitive marked', () => {
    const shown = rows();
    const [p1, p2, p3] = items.map((i) => i.appointment.patient);
    for (const p of [p1, p2, p3]) expect(shown).toContain(p?.familyName.toUpperCase());
    expect(shown).toContain('Time-sensitive');
    expect(shown.indexOf('Time-sensitive')).toBeLessThan(shown.indexOf(p2?.familyName.toUpperCase() ?? '?'));
    expect(shown).toContain('Dr One');
    expect(shown).toContain(`16:00 with ${SLOT_A.clinician.name} same clinician`);
    expect(shown).toContain(`16:20 with ${other.name} same role`);
    expect(shown).toContain('Not placed: no free slot with their clinician within 14 days');
    // The one roving tab stop: the first row.
    const html = renderToStaticMarkup(
      <BacklogRows items={items} chosen={{}} current={null} busy={false} onAccept={() => undefined} onChange={() => undefined} onMove={() => undefined} />,
    );
    expect(html.match(/tabindex="0"/g)).toHaveLength(1);
    expect(html.indexOf('tabindex="0"')).toBeLessThan(html.indexOf(`data-backlog-id="${second.id}"`));
  });

  it('accept all sends every row with a slot, at the version it was read, and tells who was booked and who refused', async () => {
    expect(acceptancesOf(items, {})).toEqual([
      { appointmentId: first.id, expectedVersion: first.version, slotId: 'slot-a' },
      { appointmentId: second.id, expectedVersion: second.version, slotId: 'slot-b' },
    ]);
    const transport = new FakeTransport().answer('acceptBacklog', {
      booked: [{ appointmentId: first.id, booked: { ...first, ...changed(first, { start: SLOT_A.slot.start, id: 'new-1' }) } }],
      refused: [{ appointmentId: second.id, slotId: 'slot-b', message: 'that slot was booked meanwhile' }],
    });
    const outcome = await acceptRows(createDeskClient(transport), items, {});
    expect(transport.callsOf('acceptBacklog')).toEqual([{ items: acceptancesOf(items, {}) }]);
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.report.booked).toEqual([`${first.patient.familyName.toUpperCase()}, ${first.patient.givenName}: booked ${TEST_DAY.split('-').reverse().join('/')} 16:00`]);
    expect(outcome.report.refused).toEqual([`${second.patient.familyName.toUpperCase()}, ${second.patient.givenName}: not booked: that slot was booked meanwhile`]);
    const report = text(renderToStaticMarkup(<Report report={outcome.report} />));
    expect(report).toContain('Booked (1)');
    expect(report).toContain('Refused (1)');
    expect(report).toContain('that slot was booked meanwhile');
  });

  it('accepts one row alone, with the slot a person changed it to; a row changed from none can be booked', async () => {
    const chosen: SlotChoices = { [second.id]: SLOT_C, [third.id]: freeSlot('slot-d', '17:00', gp) };
    expect(rows(chosen)).toContain(`16:40 with ${gp.name}`);
    expect(rows(chosen)).toContain('changed by you');
    expect(rows(chosen)).not.toContain('Not placed');
    const transport = new FakeTransport().answer('acceptBacklog', { booked: [], refused: [] });
    await acceptRows(createDeskClient(transport), items.slice(1, 2), chosen);
    expect(transport.callsOf('acceptBacklog')).toEqual([{ items: [{ appointmentId: second.id, expectedVersion: second.version, slotId: 'slot-c' }] }]);
    expect(acceptancesOf(items, chosen).map((a) => a.slotId)).toEqual(['slot-a', 'slot-c', 'slot-d']);
    // Changing a row's slot offers none the other rows will book (their proposals, or what they were changed to).
    const [placedFirst, placedSecond] = items;
    if (!placedFirst || !placedSecond) throw new Error('fixture: three rows');
    expect([...slotsTakenByOthers(items, {}, placedSecond)]).toEqual(['slot-a']);
    expect([...slotsTakenByOthers(items, chosen, placedFirst)]).toEqual(['slot-c', 'slot-d']);
  });

  it('says so when the whole request fails, and sends nothing when no row has a slot', async () => {
    const transport = new FakeTransport().fail('acceptBacklog', { code: 'forbidden', message: 'signed out' });
    expect(await acceptRows(createDeskClient(transport), items, {})).toEqual({ ok: false, message: 'Not booked: signed out' });
    const none = new FakeTransport();
    expect(await acceptRows(createDeskClient(none), items.slice(2), {})).toEqual({ ok: false, message: 'Nothing to book: no row has a slot.' });
    expect(none.callsOf('acceptBacklog')).toEqual([]);
  });
});

describe('contact tracking on the callback list', () => {
  it('records a message’s status through recordPatientContact and a call’s through recordCallbackAttempt', () => {
    expect(recordingOf('a1', { kind: 'message', status: 'sent' }, '  Accurx batch ')).toEqual({
      op: 'recordPatientContact',
      input: { appointmentId: 'a1', status: 'sent', note: 'Accurx batch' },
    });
    expect(recordingOf('a1', { kind: 'call', outcome: 'no_answer' }, ' ')).toEqual({ op: 'recordCallbackAttempt', input: { appointmentId: 'a1', outcome: 'no_answer' } });
  });

  it('shows each message beside the calls, in the order they happened, with who', () => {
    const at = (time: string) => localToIso(TEST_DAY, time);
    const entry: CallbackEntry = {
      appointment: { ...first, status: 'cancelled' },
      clinicianName: 'Dr One',
      alsoBooked: [],
      attempts: [{ id: 't1', appointmentId: first.id, outcome: 'no_answer', note: null, at: at('09:30'), user: 'rx.smith', desk: 'd' }],
      contacts: [{ id: 'c1', appointmentId: first.id, status: 'sent', note: null, at: at('09:14'), user: 'rx.jones', desk: 'd' }],
      done: false,
    };
    const shown = text(renderToStaticMarkup(<CallbackTries entry={entry} />));
    expect(shown).toContain('Message sent 09:14 (rx.jones)');
    expect(shown).toContain('No answer 09:30 (rx.smith)');
    expect(shown.indexOf('Message sent')).toBeLessThan(shown.indexOf('No answer 09:30'));
  });
});

describe('the assistant’s reason on the callback list', () => {
  const open = (appointment: CallbackEntry['appointment']): CallbackEntry => ({ appointment, clinicianName: 'Dr Three', alsoBooked: [], attempts: [], contacts: [], done: false });
  const row = (entry: CallbackEntry, notPlaced: string | null) =>
    renderToStaticMarkup(
      <table>
        <tbody>
          <CallbackRow entry={entry} first={false} notPlaced={notPlaced} onRecord={() => undefined} />
        </tbody>
      </table>,
    );

  it('reads the reasons from getBacklog, for the rows it could not place only', async () => {
    const transport = new FakeTransport().answer('getBacklog', VIEW);
    expect(await readNotPlaced(createDeskClient(transport))).toEqual({ [third.id]: 'no free slot with their clinician within 14 days' });
    expect(transport.callsOf('getBacklog')).toEqual([{}]);
    // The list still works when the proposals cannot be read: no reasons, no error.
    expect(await readNotPlaced(createDeskClient(new FakeTransport().fail('getBacklog', { code: 'forbidden', message: 'signed out' })))).toEqual({});
  });

  it('shows "Not placed" with the reason on that patient’s row, and nothing on the others', () => {
    const notPlaced = row(open({ ...third, status: 'cancelled' }), 'no free slot with their clinician within 14 days');
    expect(text(notPlaced)).toContain('Not placed: no free slot with their clinician within 14 days');
    expect(notPlaced).toMatch(/aria-label="[^"]*, not placed: no free slot with their clinician within 14 days"/);
    const placed = row(open({ ...first, status: 'cancelled' }), null);
    expect(text(placed)).not.toContain('Not placed');
    expect(placed).not.toContain('callback-not-placed');
  });
});
