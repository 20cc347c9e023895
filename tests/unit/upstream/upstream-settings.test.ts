/**
 * One source of upstream settings (issue 14, item 11): the FHIR server, token, timeout and page size that a
 * process pulls with are the ones its merge-back writes with. The FHIR double here wants a bearer token, so a
 * request that goes out without Authorization is refused (401) and the test sees it.
 * (The app's desk process, with upkeep-settings.json: tests/unit/electron/desk-process.test.ts.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeskEvent } from '../../../shared/api';
import { openDesk } from '../../../electron/desk/open';
import { readUpkeepSettings, UPKEEP_SETTINGS_FILE } from '../../../electron/desk/upkeep-settings';
import { bookToFhirResources } from '../../../electron/desk/upstream';
import { pullBook } from '../../../electron/desk/upstream/fhir/client';
import { FHIR_TOKEN_ENV, upstreamSettingsOf, type UpstreamSettingsProvider } from '../../../electron/desk/upstream/settings';
import { FhirTestServer } from '../../doubles/fhir-server';
import { bulkBook, FIXTURE_DATE, smallBook, tempDir } from '../../support/fixtures';
import { cli } from './support';

const TOKEN = 'practice-token';
const NOW = new Date(`${FIXTURE_DATE}T07:00:00Z`);

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  vi.unstubAllEnvs();
});

async function tokenServer() {
  const server = await FhirTestServer.start({ bearerToken: TOKEN });
  cleanups.push(() => server.close());
  server.seed(bookToFhirResources(smallBook()));
  return server;
}

/** A desk holding the day as pulled from `server`, with appt-1 checked in during an outage. */
async function deskWithACheckIn(server: FhirTestServer, upstreamSettings?: UpstreamSettingsProvider) {
  const dataDir = tempDir();
  const desk = openDesk({ dataDir, user: 'test', desk: 'test', clock: () => NOW, ...(upstreamSettings ? { upstreamSettings } : {}) });
  cleanups.push(() => desk.close());
  const pulled = await pullBook({ baseUrl: server.baseUrl, bearerToken: TOKEN }, { dates: [FIXTURE_DATE] });
  desk.service.upstream.refresh(pulled, desk.context, { pulledFrom: server.baseUrl });
  desk.service.upstream.setMode('outage', desk.context, 'down');
  desk.service.setAppointmentStatus({ appointmentId: 'appt-1', status: 'arrived' }, desk.context);
  desk.service.upstream.setMode('online', desk.context, 'back');
  server.requests.splice(0);
  return Object.assign(desk, { dataDir });
}

/** Merge-back as the review screen starts it (the contract's startMergeApply), to its last progress event. */
async function mergeBackFromTheScreen(desk: Awaited<ReturnType<typeof deskWithACheckIn>>): Promise<DeskEvent & { kind: 'merge.progress' }> {
  const events: Array<DeskEvent & { kind: 'merge.progress' }> = [];
  desk.onEvent((e) => {
    if (e.kind === 'merge.progress') events.push(e);
  });
  expect(desk.dispatch('startMergeApply', { confirmed: true }, desk.context)).toMatchObject({ ok: true });
  await vi.waitFor(() => expect(events.some((e) => e.phase === 'finished' || e.phase === 'failed')).toBe(true), { timeout: 10_000 });
  const last = events.at(-1);
  if (!last) throw new Error('no progress');
  return last;
}

describe('upkeep-settings.json is the app’s upstream settings', () => {
  const write = (settings: unknown) => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, UPKEEP_SETTINGS_FILE), JSON.stringify(settings));
    return dataDir;
  };

  it('takes the token from the file, else from the environment, and a page size', () => {
    const env = { [FHIR_TOKEN_ENV]: 'from-env' };
    expect(readUpkeepSettings(write({ fhir: { url: 'https://gp.example/fhir', token: 'from-file', pageSize: 50 } }), env).settings.fhir).toMatchObject({
      bearerToken: 'from-file',
      pageSize: 50,
    });
    expect(readUpkeepSettings(write({ fhir: { url: 'https://gp.example/fhir' } }), env).settings.fhir).toMatchObject({ bearerToken: 'from-env' });
    expect(readUpkeepSettings(write({ fhir: { url: 'https://gp.example/fhir' } }), {}).settings.fhir).not.toHaveProperty('bearerToken');
    const { settings, problems } = readUpkeepSettings(write({ fhir: { url: 'https://gp.example/fhir', pageSize: 5 } }), env);
    expect(settings.fhir).toBeUndefined();
    expect(problems[0]).toMatch(/fhir\.pageSize: .*; not pulling from FHIR$/);
  });
});

describe('merge-back writes with the settings the desk pulls with', () => {
  it('started from the screen, it carries the token of the settings the process was given (serve --fhir, the app)', async () => {
    // Nothing in the environment: the token can only come from the settings given.
    vi.stubEnv(FHIR_TOKEN_ENV, '');
    const server = await tokenServer();
    const desk = await deskWithACheckIn(server, () => upstreamSettingsOf({ url: server.baseUrl, token: TOKEN }, {}));
    const last = await mergeBackFromTheScreen(desk);
    expect(last).toMatchObject({ phase: 'finished', message: expect.stringMatching(/^1 applied/) });
    expect(server.read('Appointment', 'appt-1')).toMatchObject({ status: 'arrived' });
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('given no settings, it goes to the server last pulled from with the environment’s token; without one it fails with the server’s words', async () => {
    const server = await tokenServer();
    const desk = await deskWithACheckIn(server);
    vi.stubEnv(FHIR_TOKEN_ENV, '');
    const refused = await mergeBackFromTheScreen(desk);
    expect(refused).toMatchObject({
      phase: 'failed',
      message: expect.stringMatching(/refused the request: 401 Unauthorized: no Authorization header: this server needs a bearer token \(check the access token\)/),
    });
    expect(server.read('Appointment', 'appt-1')).toMatchObject({ status: 'booked' });

    vi.stubEnv(FHIR_TOKEN_ENV, TOKEN);
    expect(await mergeBackFromTheScreen(desk)).toMatchObject({ phase: 'finished', message: expect.stringMatching(/^1 applied/) });
    expect(server.read('Appointment', 'appt-1')).toMatchObject({ status: 'arrived' });
  });

  it('through the CLI: pull --page-size asks for that many a page (and reconcile, below)', async () => {
    const s = await FhirTestServer.start();
    cleanups.push(() => s.close());
    s.seed(bookToFhirResources(bulkBook(600, FIXTURE_DATE)));
    const result = await cli('pull', '--fhir', s.baseUrl, '--from', FIXTURE_DATE, '--days', '1', '--page-size', '300', '--data', tempDir(), '--json');
    expect(result.code).toBe(0);
    expect(s.requests.filter((r) => r.type === 'Appointment').map((r) => new URL(r.url, 'http://x').searchParams.get('_count'))).toEqual(['300', '300']);
    expect(await cli('pull', '--fhir', s.baseUrl, '--page-size', '2', '--data', tempDir())).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--page-size must be a whole number from 10 to 1000/),
    });
  });

  it('through the CLI: reconcile takes the token from the environment, and says the server’s words without it', async () => {
    const server = await tokenServer();
    const desk = await deskWithACheckIn(server);
    desk.close();
    cleanups.splice(cleanups.length - 1, 1);
    vi.stubEnv(FHIR_TOKEN_ENV, '');
    const refused = await cli('reconcile', '--fhir', server.baseUrl, '--data', desk.dataDir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /cannot read the clinical system: 127\.0\.0\.1:\d+ refused the request: 401 Unauthorized: no Authorization header: this server needs a bearer token \(check the access token\); nothing was written/,
    );

    vi.stubEnv(FHIR_TOKEN_ENV, TOKEN);
    server.requests.splice(0);
    const done = await cli('reconcile', '--fhir', server.baseUrl, '--page-size', '20', '--data', desk.dataDir);
    expect(done).toMatchObject({ code: 0, stdout: expect.stringMatching(/Applied: 1 written/) });
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    const daySearches = server.requests.filter((r) => r.method === 'GET' && r.id === null && r.url.includes('date='));
    expect(daySearches.length).toBeGreaterThan(0);
    expect(daySearches.every((r) => new URL(r.url, 'http://x').searchParams.get('_count') === '20')).toBe(true);
  });
});
