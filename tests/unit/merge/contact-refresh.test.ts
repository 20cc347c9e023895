/**
 * A phone number changed at the desk during an outage survives the pulls that follow until merge-back has it
 * keyed in (issue: a refresh never overwrites a record with unreconciled local changes), while upstream's
 * other changes to the patient still come through; once keyed, upstream's record rules again.
 */
import { describe, expect, it } from 'vitest';
import { readUpstreamForMerge } from '../../../electron/desk/merge/apply';
import { DAY, mergeRigs, pull } from './support';

const rigs = mergeRigs();

describe('a desk contact change and the refresh', () => {
  it('keeps the desk phone over upstream until keyed, takes upstream’s other changes, then follows upstream', async () => {
    const rig = await rigs.rig();
    const { desk, server } = rig;
    const s = desk.service;
    const ctx = desk.context;
    s.records.updateContact({ patientId: 'pat-6', phone: '07700 900999' }, ctx);

    // Upstream changes the patient meanwhile (a new surname, its own old phone still on file).
    server.update('Patient', 'pat-6', (r) => ({ ...r, name: [{ family: 'Renamed', given: ['Sam'] }] }));
    await pull(desk, server);
    expect(s.mirror.patient('pat-6')).toMatchObject({ familyName: 'Renamed', phone: '07700 900999' });
    // Found by the new number too.
    expect(s.searchPatients('07700 900999', DAY, 10).map((h) => h.patient.id)).toContain('pat-6');

    // Keyed into the clinical system by hand and ticked off: the change is settled.
    await readUpstreamForMerge(s.merge, { baseUrl: server.baseUrl });
    const item = s.merge.plan().items.find((i) => i.entryIds.length > 0 && i.class === 'manual' && i.patientId === 'pat-6');
    if (!item) throw new Error('no worklist item for the contact change');
    s.merge.tick({ itemKey: item.key, state: 'keyed' }, ctx);
    server.update('Patient', 'pat-6', (r) => ({ ...r, telecom: [{ system: 'phone', value: '01632 960123' }] }));
    await pull(desk, server);
    expect(s.mirror.patient('pat-6')).toMatchObject({ familyName: 'Renamed', phone: '01632 960123' });
  });
});
