/**
 * The manager's Rooms and displays screen, its plain parts: a new waiting area's id (it goes in the display's
 * address), the desk's refusals placed beside their fields, and how the users list names a clinician's link.
 */
import { describe, expect, it } from 'vitest';
import { AreaId } from '../../shared/api';
import { linkLabel } from '../../renderer/src/signin/ClinicianLink';
import { areaIdFrom, issuesByField } from '../../renderer/src/signin/RoomSettingsPanel';

describe('areaIdFrom', () => {
  it('makes an id the desk accepts from any name, and a new one when it is taken', () => {
    expect(areaIdFrom('Ground floor', new Set())).toBe('ground-floor');
    expect(areaIdFrom('Upstairs', new Set(['upstairs']))).toBe('upstairs-2');
    expect(areaIdFrom('Upstairs', new Set(['upstairs', 'upstairs-2']))).toBe('upstairs-3');
    expect(areaIdFrom('  ***  ', new Set())).toBe('area');
    for (const name of ['Ground floor', "Children's corner (ENT) – 2nd floor", 'Ünïcode wäiting', 'A'.repeat(80), '!!!']) {
      expect(AreaId.safeParse(areaIdFrom(name, new Set(['area']))).success, name).toBe(true);
    }
  });
});

describe('issuesByField', () => {
  it('puts each refusal beside its field, two on one field together', () => {
    const byField = issuesByField([
      { path: 'display.rate', message: 'Too big: expected number to be <=2' },
      { path: 'areas.1.rooms', message: 'Room 2 is already in upstairs' },
      { path: 'areas.1.rooms', message: 'Room 3 is already in upstairs' },
    ]);
    expect(byField.get('display.rate')).toBe('Too big: expected number to be <=2');
    expect(byField.get('areas.1.rooms')).toBe('Room 2 is already in upstairs; Room 3 is already in upstairs');
    expect(byField.has('display.voice')).toBe(false);
  });
});

describe('linkLabel', () => {
  const clinicians = [{ id: 'clin-01', name: 'Dr Helen Carter', room: 'Room 1' }];
  it('names the linked clinician, says when a clinician is not linked, and keeps an id today\u2019s book lacks', () => {
    expect(linkLabel({ role: 'clinician', clinicianId: 'clin-01' }, clinicians)).toBe('Dr Helen Carter');
    expect(linkLabel({ role: 'clinician', clinicianId: null }, clinicians)).toBe('not linked');
    expect(linkLabel({ role: 'receptionist', clinicianId: null }, clinicians)).toBe('');
    expect(linkLabel({ role: 'clinician', clinicianId: 'clin-99' }, clinicians)).toBe("clin-99 (not in today's book)");
  });
});
