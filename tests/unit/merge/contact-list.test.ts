/**
 * Contact lists for batch messaging after an outage (issue 21 item 2): the columns each format documents (the headers
 * from CONTACT_LIST_COLUMNS, the one place they are spelled), the deceased and those who declined messages left out
 * and listed with the reason, a new time for each (booked, or the assistant's proposal), and each export audited.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CONTACT_LIST_COLUMNS, mobileOf } from '../../../shared/merge';
import { parseCsv as parseCsvRecords } from '../../../electron/desk/upstream/csv/parse';
import { databasePath } from '../../../electron/desk/store/connection';
import { rawDatabase } from '../../support/raw-db';
import { main } from '../../../electron/cli/main';
import { tempDir } from '../../support/fixtures';
import { MORNING_AFTER, outageDesk } from './outage-day-support';

const parseCsv = (text: string) => parseCsvRecords(text).map((r) => r.fields);

async function deskAfterOutage() {
  const rig = await outageDesk();
  onTestFinished(() => rig.close());
  const { service: s, context: ctx } = rig.desk;
  // Backlogperson1 has died since (the practice list says so, as a list import would set it); Backlogperson3 has a
  // landline only, so no text can reach them. Written underneath the desk: no pull of this double carries either.
  const db = rawDatabase(databasePath(rig.dataDir), { fileMustExist: true });
  db.prepare('UPDATE patient SET deceased = 1 WHERE id = ?').run('pat-1');
  db.prepare('UPDATE patient SET phone = ? WHERE id = ?').run('01632 960123', 'pat-3');
  db.close();
  // Backlogperson2 asked the desk not to be messaged.
  s.handlers().setMessagePreference({ patientId: 'pat-2', declinesMessages: true }, ctx);
  // One rebooked already: the list carries the booked time, the others the assistant's proposal.
  const first = s
    .handlers()
    .getBacklog({}, ctx)
    .items.find((i) => i.appointment.id === 'appt-4');
  if (!first?.proposal) throw new Error('no proposal for appt-4');
  s.handlers().acceptBacklog({ items: [{ appointmentId: 'appt-4', expectedVersion: first.appointment.version, slotId: first.proposal.slot.id }] }, ctx);
  return rig;
}

describe('the batch-message contact lists', () => {
  it('writes the SystmOne and plain shapes with their columns, leaving out the deceased, those who declined and the unreachable', async () => {
    const rig = await deskAfterOutage();
    const h = rig.desk.service.handlers();
    const ctx = rig.desk.context;

    const s1 = h.exportContactList({ format: 'accurx-systmone' }, ctx);
    const rows = parseCsv(s1.content);
    expect(rows[0]).toEqual(['NHS Number', 'Telecom Number', 'Date of Birth', 'First Name', 'Last Name']);
    expect(rows[0]).toEqual(CONTACT_LIST_COLUMNS['accurx-systmone'].map((c) => c.header));
    expect(s1.dates).toEqual(['2026-07-20']);
    expect(s1.excluded.map((e) => [e.name, e.reason])).toEqual([
      ['Alex Backlogperson1', 'recorded as deceased'],
      ['Sam Backlogperson2', 'declined messages'],
      ['Alex Backlogperson3', 'no mobile number'],
    ]);
    expect(s1.included).toBe(27);
    const names = rows.slice(1).map((r) => r[4]);
    expect(names).not.toContain('Backlogperson1');
    expect(names).not.toContain('Backlogperson2');
    const sam0 = rows.find((r) => r[4] === 'Backlogperson0');
    expect(sam0?.[1]).toBe('07700900300');
    expect(sam0?.[2]).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    for (const r of rows.slice(1)) expect(r[0]).toMatch(/^999\d{7}$/);

    const plain = parseCsv(h.exportContactList({ format: 'csv' }, ctx).content);
    expect(plain[0]).toEqual(CONTACT_LIST_COLUMNS.csv.map((c) => c.header));
    const byName = new Map(plain.slice(1).map((r) => [r[2], r]));
    expect(byName.get('Backlogperson4')?.slice(5)).toEqual(['20/07/2026 09:40 Dr Asha Patel', expect.stringMatching(/^21\/07\/2026 /) as string, 'Dr Asha Patel', 'booked']);
    expect(byName.get('Backlogperson5')?.[8]).toBe('proposed');

    // The EMIS shape needs the EMIS number, which this FHIR-fed desk never received: everyone is listed as unreachable
    // by it, rather than sent with a blank number.
    const emis = h.exportContactList({ format: 'accurx-emis' }, ctx);
    expect(parseCsv(emis.content)).toEqual([['NHS Number', 'EMIS Number']]);
    expect(new Set(emis.excluded.map((e) => e.reason))).toEqual(new Set(['recorded as deceased', 'declined messages', 'no EMIS number in the feed']));

    // Each export is audited, with counts and never the patients.
    const audits = rig.desk.service.audit.list({}).filter((e) => e.kind === 'export' && JSON.stringify(e.detail).includes('contact-list'));
    expect(audits.map((a) => a.detail)).toEqual([
      { what: 'contact-list', format: 'accurx-systmone', included: 27, excluded: 3 },
      { what: 'contact-list', format: 'csv', included: 27, excluded: 3 },
      { what: 'contact-list', format: 'accurx-emis', included: 0, excluded: 30 },
    ]);
  });

  it('reads only mobiles as textable', () => {
    expect(mobileOf('07700 900123')).toBe('07700900123');
    expect(mobileOf('+44 7700 900123')).toBe('07700900123');
    expect(mobileOf('01632 960123')).toBeNull();
    expect(mobileOf(null)).toBeNull();
  });

  it('writes the file from the command line, with the byte-order mark Excel needs', async () => {
    const rig = await deskAfterOutage();
    rig.desk.close();
    const out = tempDir('standby-contacts-');
    const file = path.join(out, 'contacts.csv');
    const pinned = process.env['STANDBY_DESK_CLOCK'];
    process.env['STANDBY_DESK_CLOCK'] = MORNING_AFTER.toISOString();
    onTestFinished(() => {
      process.env['STANDBY_DESK_CLOCK'] = pinned;
    });
    const lines: string[] = [];
    const io = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
    expect(await main(['contact-list', '--data', rig.dataDir, '--format', 'accurx-systmone', '--out', file], io)).toBe(0);
    expect(lines[0]).toBe(`Wrote 27 patient(s) to ${file} (accurx-systmone; outage days 2026-07-20).`);
    expect(lines).toContain('  Alex Backlogperson1: recorded as deceased');
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith('\ufeffNHS Number,Telecom Number,Date of Birth,First Name,Last Name')).toBe(true);
    expect(await main(['contact-list', '--data', rig.dataDir, '--format', 'mailchimp', '--out', file], io)).toBe(2);
  });
});
