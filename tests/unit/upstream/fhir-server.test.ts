import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FhirTestServer, type FhirJson } from '../../doubles/fhir-server';

const servers: FhirTestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
async function start(options?: Parameters<typeof FhirTestServer.start>[0]) {
  const s = await FhirTestServer.start(options);
  servers.push(s);
  return s;
}
const json = async (res: Response) =>
  (await res.json()) as Record<string, unknown> & { entry?: Array<{ resource: FhirJson; search?: { mode: string } }>; link?: Array<{ relation: string; url: string }> };

const patient = (id: string, nhs: string): FhirJson => ({
  resourceType: 'Patient',
  id,
  identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhs }],
  name: [{ family: `Family${id}` }],
});
const appointment = (id: string, start: string, patientId: string): FhirJson => ({
  resourceType: 'Appointment',
  id,
  status: 'booked',
  start,
  end: start.replace(':00:00', ':10:00'),
  participant: [{ actor: { reference: `Patient/${patientId}` } }, { actor: { reference: 'Practitioner/dr-1' } }],
});

describe('the FHIR test double', () => {
  it('says in its header that it is a test double', () => {
    const text = fs.readFileSync(path.resolve(__dirname, '../../doubles/fhir-server.ts'), 'utf8');
    expect(text.slice(0, 200)).toMatch(/^\/\*\*\n \* TEST DOUBLE\./);
  });

  it('listens on the loopback address only, on a free port', async () => {
    const s = await start();
    expect(s.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/fhir$/);
    expect((await fetch(`${s.baseUrl}/metadata`)).status).toBe(200);
  });

  it('keeps versions: meta.versionId and ETag W/"n"', async () => {
    const s = await start();
    s.seed([patient('p1', '9990000018')]);
    const first = await fetch(`${s.baseUrl}/Patient/p1`);
    expect(first.headers.get('etag')).toBe('W/"1"');
    expect(await json(first)).toMatchObject({ meta: { versionId: '1' } });
    s.update('Patient', 'p1', (r) => ({ ...r, gender: 'female' }));
    const second = await fetch(`${s.baseUrl}/Patient/p1`);
    expect(second.headers.get('etag')).toBe('W/"2"');
    expect((await fetch(`${s.baseUrl}/Patient/nope`)).status).toBe(404);
  });

  it('pages searches with absolute next links, and includes what the matches refer to', async () => {
    const s = await start();
    s.seed([{ resourceType: 'Practitioner', id: 'dr-1', name: [{ text: 'Dr One' }] }]);
    s.seed(Array.from({ length: 5 }, (_v, i) => patient(`p${i}`, '9990000018')));
    s.seed(Array.from({ length: 5 }, (_v, i) => appointment(`a${i}`, `2026-07-20T0${i + 1}:00:00Z`, `p${i}`)));
    const url = `${s.baseUrl}/Appointment?date=ge2026-07-20T00:00:00Z&date=lt2026-07-21T00:00:00Z&_include=Appointment:patient&_include=Appointment:practitioner&_count=2`;
    const seen: string[] = [];
    let next: string | undefined = url;
    let pages = 0;
    while (next) {
      const page = await json(await fetch(next));
      pages++;
      expect(page).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 5 });
      const matches = page.entry?.filter((e) => e.search?.mode === 'match').map((e) => e.resource.id) ?? [];
      const included = page.entry?.filter((e) => e.search?.mode === 'include').map((e) => `${e.resource.resourceType}/${e.resource.id}`) ?? [];
      expect(included).toEqual(expect.arrayContaining(['Practitioner/dr-1', ...matches.map((m) => `Patient/p${m?.slice(1)}`)]));
      seen.push(...matches.map(String));
      next = page.link?.find((l) => l.relation === 'next')?.url;
      if (next) expect(next).toMatch(new RegExp(`^${s.baseUrl}/Appointment\\?`));
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    const none = await json(await fetch(`${s.baseUrl}/Appointment?date=ge2026-07-21T00:00:00Z`));
    expect(none.entry).toEqual([]);
    expect((await fetch(`${s.baseUrl}/Appointment?colour=blue`)).status).toBe(400);
  });

  it('honours If-Match on PUT: 412 when the version moved on', async () => {
    const s = await start();
    s.seed([patient('p1', '9990000018')]);
    const put = (ifMatch: string) =>
      fetch(`${s.baseUrl}/Patient/p1`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/fhir+json', 'If-Match': ifMatch },
        body: JSON.stringify({ ...patient('p1', '9990000018'), gender: 'male' }),
      });
    const ok = await put('W/"1"');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe('W/"2"');
    const stale = await put('W/"1"');
    expect(stale.status).toBe(412);
    expect(await json(stale)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'conflict' }] });
    expect(s.read('Patient', 'p1')?.meta?.versionId).toBe('2');
  });

  it('honours If-None-Exist on POST: a replayed create returns the existing resource', async () => {
    const s = await start();
    const post = () =>
      fetch(`${s.baseUrl}/Patient`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/fhir+json', 'If-None-Exist': 'identifier=https://fhir.nhs.uk/Id/nhs-number|9990000018' },
        body: JSON.stringify({ resourceType: 'Patient', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000018' }] }),
      });
    const created = await post();
    expect(created.status).toBe(201);
    const id = (await json(created)).id;
    const replay = await post();
    expect(replay.status).toBe(200);
    expect((await json(replay)).id).toBe(id);
    expect(s.all('Patient')).toHaveLength(1);
  });

  it('fails, slows, hangs and goes away on demand', async () => {
    const s = await start();
    s.seed([patient('p1', '9990000018')]);
    const remove = s.inject({ status: 503, times: 1 });
    expect((await fetch(`${s.baseUrl}/Patient/p1`)).status).toBe(503);
    expect((await fetch(`${s.baseUrl}/Patient/p1`)).status).toBe(200);
    remove();
    s.inject({ match: (r) => r.method === 'PUT', status: 422 });
    expect((await fetch(`${s.baseUrl}/Patient/p1`, { method: 'PUT', body: JSON.stringify(patient('p1', '9990000018')) })).status).toBe(422);
    s.clearFaults();
    // Slow, told by what a client sees rather than by a stopwatch: a timeout shorter than the delay gives up,
    // a longer one gets the answer.
    s.inject({ delayMs: 300, times: 2 });
    await expect(fetch(`${s.baseUrl}/metadata`, { signal: AbortSignal.timeout(30) })).rejects.toThrow();
    expect((await fetch(`${s.baseUrl}/metadata`, { signal: AbortSignal.timeout(30_000) })).status).toBe(200);
    // Applied, then no answer: the client times out not knowing the write happened.
    s.inject({ match: (r) => r.method === 'PUT', afterCommit: true, hang: true, times: 1 });
    await expect(
      fetch(`${s.baseUrl}/Patient/p1`, { method: 'PUT', body: JSON.stringify({ ...patient('p1', '9990000018'), gender: 'other' }), signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    expect(s.read('Patient', 'p1')).toMatchObject({ gender: 'other', meta: { versionId: '2' } });
    await s.goDown();
    await expect(fetch(`${s.baseUrl}/metadata`)).rejects.toThrow();
    await s.comeBack();
    expect((await fetch(`${s.baseUrl}/metadata`)).status).toBe(200);
  });

  it('bounds what it reads and holds', async () => {
    const s = await start({ maxBodyBytes: 1000, maxResources: 2 });
    const big = await fetch(`${s.baseUrl}/Patient/p1`, { method: 'PUT', body: JSON.stringify({ ...patient('p1', '9990000018'), note: 'x'.repeat(2000) }) }).catch(() => null);
    expect(big === null || big.status === 413).toBe(true);
    s.seed([patient('p1', '9990000018'), patient('p2', '9990000018')]);
    expect(() => s.seed([patient('p3', '9990000018')])).toThrow(/at most 2/);
  });

  it('refuses every request without the bearer token it was given, with an OperationOutcome', async () => {
    const s = await start({ bearerToken: 'practice-token' });
    s.seed([patient('p1', '9990000018')]);
    const none = await fetch(`${s.baseUrl}/Patient/p1`);
    expect(none.status).toBe(401);
    expect(await json(none)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'login', diagnostics: expect.stringMatching(/no Authorization header/) }] });
    const wrong = await fetch(`${s.baseUrl}/metadata`, { headers: { Authorization: 'Bearer guessed' } });
    expect(wrong.status).toBe(401);
    expect(await json(wrong)).toMatchObject({ issue: [{ diagnostics: expect.stringMatching(/not valid/) }] });
    const put = await fetch(`${s.baseUrl}/Patient/p1`, { method: 'PUT', body: JSON.stringify({ ...patient('p1', '9990000018'), gender: 'other' }) });
    expect(put.status).toBe(401);
    expect(s.read('Patient', 'p1')).toMatchObject({ meta: { versionId: '1' } });
    expect((await fetch(`${s.baseUrl}/Patient/p1`, { headers: { Authorization: 'Bearer practice-token' } })).status).toBe(200);
  });

  it('refuses a search page whose matches and _include results pass its limit, naming the limit, as HAPI does', async () => {
    const s = await start({ maxEntriesPerPage: 5 });
    s.seed([{ resourceType: 'Practitioner', id: 'dr-1', name: [{ text: 'Dr One' }] }]);
    s.seed(Array.from({ length: 4 }, (_v, i) => patient(`p${i}`, '9990000018')));
    s.seed(Array.from({ length: 4 }, (_v, i) => appointment(`a${i}`, `2026-07-20T0${i + 1}:00:00Z`, `p${i}`)));
    const search = (count: number, include = '&_include=Appointment:patient&_include=Appointment:practitioner') =>
      fetch(`${s.baseUrl}/Appointment?date=ge2026-07-20T00:00:00Z${include}&_count=${count}`);
    // 3 matches + 3 patients + 1 practitioner = 7 > 5.
    const refused = await search(3);
    expect(refused.status).toBe(400);
    expect(await json(refused)).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'error', diagnostics: 'This search page would return 7 resources (3 matches and 4 _include results); the maximum per page is 5. Ask for fewer with _count.' },
      ],
    });
    // 2 + 2 + 1 = 5: answered; and without includes, 4 matches are fine.
    expect((await search(2)).status).toBe(200);
    expect((await search(4, '')).status).toBe(200);
  });
});
