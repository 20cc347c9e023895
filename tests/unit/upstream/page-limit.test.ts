/**
 * FHIR servers that limit a search page (issue 14, item 8). A server built on HAPI FHIR allows at most 1,000
 * _include results a page; the desk used to ask for 500 appointments with two includes, so a 600-appointment day
 * could not be pulled and the person saw only "400 Bad Request". Now: pages a real server accepts, smaller pages
 * when one is refused for its size, and the server's own words in every error a person or the CLI sees.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDesk } from '../../../electron/desk/open';
import { bookToFhirResources } from '../../../electron/desk/upstream';
import { DEFAULT_PAGE_SIZE, MIN_PAGE_SIZE, pullBook, PullError } from '../../../electron/desk/upstream/fhir/client';
import { scheduledPull } from '../../../electron/desk/upstream/scheduler';
import { FhirTestServer, type FhirTestServerOptions } from '../../doubles/fhir-server';
import { bulkBook, tempDir } from '../../support/fixtures';
import { cli } from './support';

const MON = '2026-07-20';
const ctx = { user: 'scheduler', desk: 'front-desk-1' };
/** A busy practice's day: 600 appointments, 600 patients, 20 clinicians. */
const BUSY_DAY = bulkBook(600, MON);

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(options: FhirTestServerOptions) {
  const s = await FhirTestServer.start(options);
  cleanups.push(() => s.close());
  s.seed(bookToFhirResources(BUSY_DAY));
  return s;
}

/** The _count of each Appointment search request, in order. */
const appointmentCounts = (s: FhirTestServer) => s.requests.filter((r) => r.type === 'Appointment').map((r) => new URL(r.url, 'http://x').searchParams.get('_count'));

describe('a server that allows 1,000 entries a search page (matches and _include results together)', () => {
  it('gives the whole of a 600-appointment day to a pull with the default page size', async () => {
    const s = await server({ maxEntriesPerPage: 1_000 });
    const batch = await pullBook({ baseUrl: s.baseUrl }, { dates: [MON] });
    expect(batch.appointments.size).toBe(600);
    expect(batch.patients.size).toBe(600);
    expect(batch.invalid).toEqual([]);
    expect(appointmentCounts(s)).toEqual(Array.from({ length: 6 }, () => String(DEFAULT_PAGE_SIZE)));
  });

  it('pages smaller when a page is refused for its size, and goes on from the same page', async () => {
    const s = await server({ maxEntriesPerPage: 1_000 });
    // 500 appointments bring 500 patients and 17 practitioners: 1,017 entries, refused; 250 a page is fine.
    const batch = await pullBook({ baseUrl: s.baseUrl, pageSize: 500 }, { dates: [MON] });
    expect(batch.appointments.size).toBe(600);
    expect(appointmentCounts(s)).toEqual(['500', '250', '250', '250']);
    // The rest of the pull keeps the smaller size rather than being refused again.
    expect(s.requests.filter((r) => r.type === 'Schedule').map((r) => new URL(r.url, 'http://x').searchParams.get('_count'))).toEqual(['250']);
  });

  it('stops at the smallest page, saying what the server said and what was tried', async () => {
    const s = await server({ maxEntriesPerPage: 3 });
    const error = await pullBook({ baseUrl: s.baseUrl }, { dates: [MON] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PullError);
    expect(error).toMatchObject({
      kind: 'client',
      status: 400,
      message: expect.stringMatching(
        /^127\.0\.0\.1:\d+ refused the request: 400 Bad Request: This search page would return \d+ resources \(10 matches and \d+ _include results\); the maximum per page is 3\. Ask for fewer with _count\. \(refused even at 10 a page\)$/,
      ),
    });
    expect(appointmentCounts(s)).toEqual(['100', '50', '25', '12', String(MIN_PAGE_SIZE)]);
  });

  it('does not page smaller for a refusal about something else, and says what the server said', async () => {
    const s = await server({});
    s.inject({ match: (r) => r.type === 'Appointment', status: 400, diagnostics: 'HAPI-0524: Unknown search parameter "date" for resource type "Appointment"' });
    const error = await pullBook({ baseUrl: s.baseUrl }, { dates: [MON] }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'client',
      status: 400,
      message: expect.stringMatching(/refused the request: 400 Bad Request: HAPI-0524: Unknown search parameter "date"/),
    });
    expect(appointmentCounts(s)).toEqual(['100']);
  });
});

describe('the server’s own words reach the person', () => {
  it('through the CLI: pull prints the refusal with the OperationOutcome, and the desk’s status carries it', async () => {
    const s = await server({ maxEntriesPerPage: 3 });
    const dataDir = tempDir();
    const result = await cli('pull', '--fhir', s.baseUrl, '--from', MON, '--days', '1', '--data', dataDir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /the pull failed: 127\.0\.0\.1:\d+ refused the request: 400 Bad Request: This search page would return \d+ resources .* the maximum per page is 3\. Ask for fewer with _count\./,
    );
    const desk = openDesk({ dataDir, user: 'test', desk: 'test', clock: () => new Date(`${MON}T06:00:00Z`) });
    cleanups.push(() => desk.close());
    // What the status bar and the mirror banner show.
    expect(desk.service.getMirrorStatus().upstream.lastError).toMatch(/400 Bad Request: This search page would return/);
  });

  it('through the CLI: reconcile prints the server’s words when it cannot read upstream', async () => {
    const s = await server({});
    s.inject({ status: 503, diagnostics: 'Database connection pool exhausted; try again later' });
    const result = await cli('reconcile', '--fhir', s.baseUrl, '--data', tempDir());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /cannot read the clinical system: 127\.0\.0\.1:\d+ answered 503 Service Unavailable: Database connection pool exhausted; try again later; nothing was written/,
    );
  });

  it('when a search is answered with an OperationOutcome instead of a Bundle', async () => {
    const s = await server({});
    s.inject({ match: (r) => r.type === 'Appointment', status: 200, diagnostics: 'Search is disabled for Appointment on this endpoint' });
    await expect(pullBook({ baseUrl: s.baseUrl }, { dates: [MON] })).rejects.toMatchObject({
      kind: 'bad-response',
      message: 'the Appointment search did not answer with a Bundle: Search is disabled for Appointment on this endpoint',
    });
  });

  it('in the desk’s status after a scheduled pull fails (what the screen shows)', async () => {
    const s = await server({});
    s.inject({ status: 422, diagnostics: 'HAPI-2001: The practice ODS code Y99999 is not known to this server' });
    const desk = openDesk({ dataDir: tempDir(), user: 'test', desk: 'test', clock: () => new Date(`${MON}T06:00:00Z`) });
    cleanups.push(() => desk.close());
    const outcome = await scheduledPull(desk.service, ctx, { baseUrl: s.baseUrl, days: 1 })();
    expect(outcome).toMatchObject({
      kind: 'failed',
      error: { status: 422, outcome: { diagnostics: 'HAPI-2001: The practice ODS code Y99999 is not known to this server', codes: ['transient'] } },
    });
    expect(desk.service.getMirrorStatus().upstream).toMatchObject({
      lastError: expect.stringMatching(/refused the request: 422 Unprocessable Entity: HAPI-2001: The practice ODS code Y99999 is not known to this server$/),
    });
  });
});
