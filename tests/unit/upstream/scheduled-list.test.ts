/**
 * The scheduled FHIR pull reads the practice list too, but not every five minutes (issue 19): the first pull with the
 * practice's ODS code reads it, the next ones within listEveryHours (default 24) read the book only, and one after
 * that reads it again. Without an ODS code, or with listEveryHours 0, it never does. Against the FHIR test double.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDesk } from '../../../electron/desk/open';
import { bookToFhirResources } from '../../../electron/desk/upstream';
import { DEFAULT_LIST_EVERY_HOURS, practiceListDue, scheduledPull, type ScheduledPullSettings } from '../../../electron/desk/upstream/scheduler';
import { FhirTestServer, type FhirJson } from '../../doubles/fhir-server';
import { EXTRACT_DAY, EXTRACT_ODS, extractDayBook } from '../../fixtures/feeds/extracts';
import { tempDir, testNhsNumber } from '../../support/fixtures';

const ctx = { user: 'scheduler', desk: 'front-desk-1' };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The day's book and three registered patients with no appointment, each patient's GP the practice. */
async function serverWithList() {
  const server = await FhirTestServer.start();
  cleanups.push(() => server.close());
  const registered = (r: FhirJson): FhirJson => (r.resourceType === 'Patient' ? { ...r, generalPractitioner: [{ reference: `Organization/${EXTRACT_ODS}` }] } : r);
  const listOnly = [1, 2, 3].map((i) => ({
    resourceType: 'Patient',
    id: `LIST-${i}`,
    meta: { versionId: '1' },
    identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: testNhsNumber(6000 + i * 11) }],
    name: [{ use: 'official', family: `Registered${i}`, given: ['Pat'] }],
    gender: 'female',
    birthDate: '1970-01-01',
    generalPractitioner: [{ reference: `Organization/${EXTRACT_ODS}` }],
  }));
  server.seed([...bookToFhirResources(extractDayBook()).map((r) => registered(r as FhirJson)), ...listOnly]);
  return server;
}

function deskAt(start: Date) {
  const clock = { now: start };
  const d = openDesk({ dataDir: tempDir(), user: 'test', desk: 'test', clock: () => clock.now });
  cleanups.push(() => d.close());
  return Object.assign(d, { clock });
}

const listReads = (server: FhirTestServer) => server.requests.filter((r) => r.url.includes('/Patient?') && r.url.includes('general-practitioner')).length;
const minutes = (n: number) => n * 60_000;

describe('the scheduled pull and the practice list', () => {
  it('reads the list on the first pull, not on the next ones that day, and again once it is a day old', async () => {
    const server = await serverWithList();
    const d = deskAt(new Date(`${EXTRACT_DAY}T08:30:00Z`));
    const tick = scheduledPull(d.service, ctx, { baseUrl: server.baseUrl, odsCode: EXTRACT_ODS, days: 1 });
    expect(await tick()).toMatchObject({ kind: 'refreshed' });
    expect(listReads(server)).toBe(1);
    expect(d.service.mirror.patient('LIST-2')).toMatchObject({ familyName: 'Registered2' });
    const firstListAt = d.service.upstream.listPulledAt();
    expect(firstListAt).toBe(d.clock.now.toISOString());

    // Five minutes on, and the rest of the day: the book only; the registered patients stay.
    for (const later of [5, 10, 60 * 8]) {
      d.clock.now = new Date(Date.parse(`${EXTRACT_DAY}T08:30:00Z`) + minutes(later));
      expect(await tick()).toMatchObject({ kind: 'refreshed' });
    }
    expect(listReads(server)).toBe(1);
    expect(d.service.upstream.listPulledAt()).toBe(firstListAt);
    expect(d.service.mirror.patient('LIST-2')).not.toBeNull();

    // A day after the last list read: the list again.
    d.clock.now = new Date(Date.parse(`${EXTRACT_DAY}T08:30:00Z`) + minutes(60 * DEFAULT_LIST_EVERY_HOURS));
    expect(await tick()).toMatchObject({ kind: 'refreshed' });
    expect(listReads(server)).toBe(2);
    expect(d.service.upstream.listPulledAt()).toBe(d.clock.now.toISOString());
  });

  it('never reads it without the practice’s ODS code, nor with listEveryHours 0', async () => {
    const server = await serverWithList();
    for (const settings of [
      { baseUrl: server.baseUrl, days: 1 },
      { baseUrl: server.baseUrl, odsCode: EXTRACT_ODS, days: 1, listEveryHours: 0 },
    ] satisfies ScheduledPullSettings[]) {
      const d = deskAt(new Date(`${EXTRACT_DAY}T08:30:00Z`));
      expect(await scheduledPull(d.service, ctx, settings)()).toMatchObject({ kind: 'refreshed' });
      expect(d.service.mirror.patient('LIST-2')).toBeNull();
      expect(d.service.upstream.listPulledAt()).toBeNull();
    }
    expect(listReads(server)).toBe(0);
  });

  it('counts hours from the last list read, and a last read in the future (the clock put back) as due', () => {
    const now = new Date('2026-07-21T09:00:00Z');
    const settings = { baseUrl: 'https://gp.example/fhir', odsCode: EXTRACT_ODS, listEveryHours: 6 };
    expect(practiceListDue(settings, null, now)).toBe(true);
    expect(practiceListDue(settings, '2026-07-21T03:30:00Z', now)).toBe(false);
    expect(practiceListDue(settings, '2026-07-21T03:00:00Z', now)).toBe(true);
    expect(practiceListDue(settings, '2026-07-22T03:00:00Z', now)).toBe(true);
  });
});
