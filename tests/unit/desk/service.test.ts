import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DESK_STATUSES, canTransition, FHIR_STATUS_OF, type DeskStatus } from '../../../shared/domain';
import { contract } from '../../../shared/api';
import { openTestDesk, FIXTURE_DATE } from '../../support/fixtures';

const ctx = { user: 'ann.receptionist', desk: 'front-desk-1' };

describe('desk service: the day and search', () => {
  it('returns the day by date and by clinician, with patients, sessions and the mirror info', () => {
    const desk = openTestDesk();
    const day = desk.dispatch('getDay', { date: FIXTURE_DATE }, ctx);
    expect(day.ok).toBe(true);
    if (!day.ok) return;
    const value = contract.getDay.output.parse(day.value);
    expect(value.appointments.map((a) => a.id)).toEqual(['appt-1', 'appt-2', 'appt-5', 'appt-3', 'appt-4']);
    expect(value.clinicians.map((c) => c.id)).toEqual(['clin-a', 'clin-b']);
    expect(value.appointments[0]?.patient.familyName).toBe("O'Brien");
    expect(value.mirror).toMatchObject({ mode: 'online', source: 'test fixture' });
    const one = desk.dispatch('getDay', { date: FIXTURE_DATE, clinicianId: 'clin-b' }, ctx);
    expect(one.ok && (one.value as typeof value).appointments.map((a) => a.id)).toEqual(['appt-3', 'appt-4']);
    const empty = desk.dispatch('getDay', { date: '2026-07-21' }, ctx);
    expect(empty.ok && (empty.value as typeof value).appointments).toEqual([]);
    desk.close();
  });

  it.each([
    ['obrien', ['pat-1']],
    ["O'B", ['pat-1']],
    ['MULLER', ['pat-2']],
    ['smith', ['pat-4', 'pat-3']], // booked today first; both are, so by name: "smith" < "smithjones"
    ['smith t', ['pat-3']],
    ['02/03/1984', ['pat-1']],
    ['1950-11-30', ['pat-2']],
    ['07700900404', ['pat-4']],
    ['nobody', []],
  ])('search %s', (query, expected) => {
    const desk = openTestDesk();
    const hits = desk.dispatch('searchPatients', { query, date: FIXTURE_DATE }, ctx);
    expect(hits.ok).toBe(true);
    if (hits.ok) expect((hits.value as Array<{ patient: { id: string } }>).map((h) => h.patient.id)).toEqual(expected);
    desk.close();
  });

  it("finds by NHS number with or without spaces, and lists the day's appointments", () => {
    const desk = openTestDesk();
    const pat1 = desk.service.mirror.searchPatients({ kind: 'name', family: 'obrien', given: null }, FIXTURE_DATE, 5)[0];
    const nhs = pat1?.nhsNumber ?? '';
    for (const query of [nhs, `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`]) {
      const hits = desk.service.searchPatients(query, FIXTURE_DATE, 10);
      expect(hits.map((h) => h.patient.id)).toEqual(['pat-1']);
      expect(hits[0]?.appointmentsOnDate.map((a) => a.id)).toEqual(['appt-1']);
    }
    desk.close();
  });
});

describe('desk service: answers keep the contract', () => {
  it('every read operation answers with output its contract schema accepts', () => {
    const desk = openTestDesk();
    desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived' }, ctx);
    const calls = [
      ['getDay', { date: FIXTURE_DATE }],
      ['searchPatients', { query: 'smith', date: FIXTURE_DATE }],
      ['getMirrorStatus', {}],
      ['getJournal', {}],
    ] as const;
    for (const [name, input] of calls) {
      const result = desk.dispatch(name, input, ctx);
      expect(result.ok, name).toBe(true);
      if (result.ok) expect(contract[name].output.safeParse(result.value).success, name).toBe(true);
    }
    desk.close();
  });
});

describe('desk service: status changes', () => {
  it('changes a status in one transaction with its journal entry (who, desk, when, before)', () => {
    const desk = openTestDesk();
    const result = desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 0 }, ctx);
    expect(result).toMatchObject({ ok: true, value: { id: 'appt-1', status: 'arrived', fhirStatus: 'arrived', version: 1, arrivedAt: '2026-07-20T08:00:00.000Z' } });
    const last = desk.service.journal.list().at(-1);
    expect(last).toMatchObject({
      op: 'appointment.setStatus',
      entity: 'appointment',
      entityId: 'appt-1',
      user: ctx.user,
      desk: ctx.desk,
      at: '2026-07-20T08:00:00.000Z',
      before: { status: 'booked', version: 0 },
      after: { status: 'arrived', version: 1 },
      baseVersion: '1',
    });
    desk.close();
  });

  it('refuses a change the status machine forbids, and changes nothing', () => {
    const desk = openTestDesk();
    const before = desk.service.journal.summary().entries;
    const result = desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-4', status: 'arrived' }, ctx);
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden_transition', message: expect.stringMatching(/Cancelled is final/) } });
    expect(desk.service.mirror.appointment('appt-4')?.status).toBe('cancelled');
    expect(desk.service.journal.summary().entries).toBe(before);
    desk.close();
  });

  it('tells the second desk that the first changed the appointment, with the record as it is now', () => {
    const desk = openTestDesk();
    desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-2', status: 'arrived', expectedVersion: 0 }, { user: 'a', desk: 'desk-1' });
    const second = desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-2', status: 'dna', expectedVersion: 0 }, { user: 'b', desk: 'desk-2' });
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict', current: { status: 'arrived', version: 1 } } });
    expect(desk.service.mirror.appointment('appt-2')?.status).toBe('arrived');
    desk.close();
  });

  it('requires a reason to cancel, and keeps it', () => {
    const desk = openTestDesk();
    expect(desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-2', status: 'cancelled' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: 'reason' }] },
    });
    expect(desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-2', status: 'cancelled', reason: 'Unwell, will rebook' }, ctx)).toMatchObject({
      ok: true,
      value: { status: 'cancelled', cancelReason: 'Unwell, will rebook' },
    });
    desk.close();
  });

  it('names the field of malformed input and changes nothing', () => {
    const desk = openTestDesk();
    const entries = desk.service.journal.summary().entries;
    const cases: Array<[unknown, string]> = [
      [{ appointmentId: 'appt-1', status: 'teleported' }, 'status'],
      [{ status: 'arrived' }, 'appointmentId'],
      [{ appointmentId: 'appt-1', status: 'arrived', expectedVersion: -1 }, 'expectedVersion'],
      [{ appointmentId: 'appt-1', status: 'arrived', extra: 1 }, '(input)'],
      [null, 'appointmentId'],
      ['arrived', '(input)'],
    ];
    for (const [input, field] of cases) {
      const result = desk.dispatch('setAppointmentStatus', input, ctx);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('invalid_input');
        expect(result.error.issues?.map((i) => i.path)).toContain(field);
      }
    }
    expect(desk.dispatch('noSuchThing', {}, ctx)).toMatchObject({ ok: false, error: { code: 'unknown_operation' } });
    expect(desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-999', status: 'arrived' }, ctx)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(desk.service.journal.summary().entries).toBe(entries);
    expect(desk.service.mirror.appointment('appt-1')?.version).toBe(0);
    desk.close();
  });

  it('pushes a change event after the commit, with who did it', () => {
    const desk = openTestDesk();
    const events: unknown[] = [];
    desk.onEvent((e) => events.push(e));
    desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-3', status: 'arrived' }, ctx);
    desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-4', status: 'arrived' }, ctx); // refused: no event
    expect(events).toEqual([
      expect.objectContaining({ kind: 'appointment.changed', user: ctx.user, desk: ctx.desk, appointment: expect.objectContaining({ id: 'appt-3', status: 'arrived' }) }),
    ]);
    desk.close();
  });

  it('refuses to replace a book holding changes not yet merged back', () => {
    const desk = openTestDesk();
    desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-3', status: 'arrived' }, ctx);
    expect(() =>
      desk.service.loadBook({ ...desk.service.getDay(FIXTURE_DATE, null), practice: { id: 'p', name: 'x', odsCode: null }, slots: [], patients: [], appointments: [] }, 'x', ctx),
    ).toThrow(/not yet merged back/);
    expect(desk.service.mirror.appointment('appt-3')?.status).toBe('arrived');
    desk.close();
  });
});

describe('desk service: model-based property', () => {
  const ids = ['appt-1', 'appt-2', 'appt-3', 'appt-4', 'appt-5'] as const;
  const action = fc.record({
    appointmentId: fc.constantFrom(...ids),
    status: fc.constantFrom(...DESK_STATUSES),
    versionMode: fc.constantFrom('current', 'stale', 'none'),
    reason: fc.option(fc.constantFrom('Phoned', 'Unwell'), { nil: undefined }),
    desk: fc.constantFrom('desk-1', 'desk-2'),
    /** The person confirmed sending in while the clinician's previous patient is still with them. */
    despite: fc.boolean(),
  });

  it('no sequence of operations reaches a state the status machine forbids, and every change is journalled', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        const desk = openTestDesk();
        try {
          const model = new Map<string, { status: DeskStatus; version: number }>(ids.map((id) => [id, { status: id === 'appt-4' ? 'cancelled' : 'booked', version: 0 }]));
          let accepted = 0;
          for (const a of actions) {
            const m = model.get(a.appointmentId);
            if (!m) throw new Error('model has every id');
            const expectedVersion = a.versionMode === 'current' ? m.version : a.versionMode === 'stale' ? m.version + 1 : undefined;
            const input = {
              appointmentId: a.appointmentId,
              status: a.status,
              ...(expectedVersion === undefined ? {} : { expectedVersion }),
              ...(a.reason ? { reason: a.reason } : {}),
              ...(a.despite ? { despiteStillWithClinician: true } : {}),
            };
            const result = desk.dispatch('setAppointmentStatus', input, { user: 'u', desk: a.desk });
            const clinicianOf = (id: string) => desk.service.mirror.appointment(id)?.clinicianId;
            const sendsIn = a.status === 'sent_in' || a.status === 'quiet_sent_in';
            const someoneInRoom = [...model].some(
              ([id, other]) => id !== a.appointmentId && clinicianOf(id) === clinicianOf(a.appointmentId) && (other.status === 'sent_in' || other.status === 'quiet_sent_in'),
            );
            const shouldAccept =
              a.versionMode !== 'stale' && canTransition(m.status, a.status) && (a.status !== 'cancelled' || a.reason !== undefined) && !(sendsIn && someoneInRoom && !a.despite);
            expect(result.ok).toBe(shouldAccept);
            if (shouldAccept) {
              model.set(a.appointmentId, { status: a.status, version: m.version + 1 });
              accepted++;
            }
          }
          for (const id of ids) {
            const stored = desk.service.mirror.appointment(id);
            expect(stored).toMatchObject({ status: model.get(id)?.status, version: model.get(id)?.version });
            expect(stored?.fhirStatus).toBe(FHIR_STATUS_OF[stored?.status ?? 'booked']);
          }
          const journal = desk.service.journal.list(0, 1000).filter((e) => e.op === 'appointment.setStatus');
          expect(journal).toHaveLength(accepted);
          for (const e of journal) {
            const before = e.before as { status: DeskStatus };
            const after = e.after as { status: DeskStatus };
            expect(canTransition(before.status, after.status)).toBe(true);
          }
          expect(desk.service.journal.verify().ok).toBe(true);
        } finally {
          desk.close();
        }
      }),
      { numRuns: 60, seed: 20260720 },
    );
  });
});
