/**
 * First-run set-up and the practice's settings (issue 20 items 1 and 2): the FHIR token kept only in the encrypted
 * database, the settings files' values winning and said to, every change audited without the token, set-up
 * refused once an account exists, and a pack folder checked but never made.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PracticeSettings } from '../../../shared/api';
import { BACKUP_SETTINGS_FILE } from '../../../electron/desk/backup/settings';
import { openDesk, type OpenDesk } from '../../../electron/desk/open';
import { readUpkeepSettings, UPKEEP_SETTINGS_FILE } from '../../../electron/desk/upkeep-settings';
import { TEST_SCRYPT_COST, tempDir } from '../../support/fixtures';
import { TEST_DAY, TEST_NOW } from '../../support/clock';
import { bookToFhirResources } from '../../../electron/desk/upstream';
import { FhirTestServer } from '../../doubles/fhir-server';
import { smallBook } from '../../support/fixtures';
import { cli } from '../upstream/support';

const TOKEN = 'unit-secret-token-4b1d';
const MANAGER = { username: 'pm.jones', displayName: 'Pat Jones', secret: { kind: 'password' as const, value: 'correct horse battery' } };

const opened: OpenDesk[] = [];
afterEach(() => {
  for (const d of opened.splice(0)) d.close();
});

function deskOn(dataDir: string): OpenDesk {
  const desk = openDesk({ dataDir, user: 'test', desk: 'test-desk', clock: () => new Date(TEST_NOW), scryptCost: { ...TEST_SCRYPT_COST } });
  opened.push(desk);
  return desk;
}

function settings(overrides: Partial<PracticeSettings> = {}): PracticeSettings {
  return {
    practice: { name: 'Riverside Medical Practice', odsCode: 'Y12345' },
    book: { kind: 'fhir', url: 'https://gp-system.example/fhir/R4', everyMinutes: 5 },
    pack: null,
    backup: null,
    ...overrides,
  };
}

/** As a browser on this PC sends it: a session id the desk has not seen (nobody signed in). */
const anonymous = { user: 'browser', desk: 'browser', sessionId: 'not-signed-in' };

function ok<T>(result: { ok: boolean; value?: unknown; error?: unknown }): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value as T;
}

describe('first-run set-up', () => {
  it('keeps the FHIR token in no file of the data folder in the clear', () => {
    const dataDir = tempDir();
    const desk = deskOn(dataDir);
    ok(desk.dispatch('completeSetup', { settings: settings(), fhirToken: TOKEN, manager: MANAGER }, { ...anonymous, sessionId: 'setting-up' }));
    expect(desk.service.practiceSettings.fhirToken()).toBe(TOKEN);
    expect(readUpkeepSettings(dataDir, {}, desk.service.practiceSettings.upkeepParts()).settings.fhir?.bearerToken).toBe(TOKEN);
    // Some files hold it only while the desk is open (the WAL): look both before and after closing.
    const grep = () => {
      const files = fs.readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      expect(files.length).toBeGreaterThan(0);
      return files.filter((f) => fs.readFileSync(path.join(f.parentPath, f.name)).includes(TOKEN)).map((f) => f.name);
    };
    expect(grep()).toEqual([]);
    opened.splice(0).forEach((d) => d.close());
    expect(grep()).toEqual([]);
    // ...and the token is there to be read with the key: it was kept, not lost.
    expect(deskOn(dataDir).service.practiceSettings.fhirToken()).toBe(TOKEN);
  });

  it('is refused once an account exists, and its checks are a manager’s from then on', () => {
    const desk = deskOn(tempDir());
    ok(desk.dispatch('checkFolder', { dir: tempDir(), purpose: 'pack' }, anonymous));
    ok(desk.dispatch('completeSetup', { settings: settings(), manager: MANAGER }, { ...anonymous, sessionId: 'first' }));
    const again = desk.dispatch('completeSetup', { settings: settings(), manager: { ...MANAGER, username: 'intruder' } }, { ...anonymous, sessionId: 'second' });
    expect(again).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(desk.service.auth.listUsers().map((u) => u.username)).toEqual(['pm.jones']);
    expect(desk.dispatch('checkFolder', { dir: tempDir(), purpose: 'pack' }, anonymous)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(desk.dispatch('testFhirConnection', { url: 'http://127.0.0.1:9/fhir' }, anonymous)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // The manager set-up signed in may still check.
    expect(desk.dispatch('checkFolder', { dir: tempDir(), purpose: 'pack' }, { ...anonymous, sessionId: 'first' })).toMatchObject({ ok: true });
  });

  it('makes a receptionist too when asked, and signs the manager in', () => {
    const desk = deskOn(tempDir());
    const session = ok<{ user: string; role: string }>(
      desk.dispatch(
        'completeSetup',
        { settings: settings(), manager: MANAGER, receptionist: { username: 'rx.khan', displayName: 'Sam Khan', secret: { kind: 'pin', value: '246810' } } },
        { ...anonymous, sessionId: 'first' },
      ),
    );
    expect(session).toMatchObject({ user: 'pm.jones', role: 'manager' });
    expect(desk.service.auth.listUsers().map((u) => [u.username, u.role])).toEqual([
      ['pm.jones', 'manager'],
      ['rx.khan', 'receptionist'],
    ]);
  });
});

describe('the pack folder check', () => {
  it('says a missing folder is not there and never creates it, and set-up refuses it', () => {
    const desk = deskOn(tempDir());
    const missing = path.join(tempDir(), 'USB-stick-not-plugged-in');
    const check = ok<{ exists: boolean; writable: boolean; message: string }>(desk.dispatch('checkFolder', { dir: missing, purpose: 'pack' }, anonymous));
    expect(check).toMatchObject({ exists: false, writable: false });
    expect(check.message).toContain('never creates it');
    const refused = desk.dispatch('completeSetup', { settings: settings({ pack: { dir: missing, days: 2 } }), manager: MANAGER }, { ...anonymous, sessionId: 's' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(fs.existsSync(missing)).toBe(false);
    expect(desk.service.auth.accountCount()).toBe(0);
  });

  it('writes and removes a probe in a folder that is there, leaving it as it was', () => {
    const desk = deskOn(tempDir());
    const folder = tempDir();
    expect(ok(desk.dispatch('checkFolder', { dir: folder, purpose: 'pack' }, anonymous))).toMatchObject({ exists: true, writable: true, message: `${folder} can be written` });
    expect(fs.readdirSync(folder)).toEqual([]);
  });
});

describe('the settings screen', () => {
  it('reports the settings files’ values as theirs, winning over those saved on screen', () => {
    const dataDir = tempDir();
    const desk = deskOn(dataDir);
    const pack = tempDir();
    const savedPack = tempDir();
    fs.writeFileSync(path.join(dataDir, UPKEEP_SETTINGS_FILE), JSON.stringify({ fhir: { url: 'https://it-deployed.example/fhir', everyMinutes: 10 }, pack: { dir: pack } }));
    fs.writeFileSync(path.join(dataDir, BACKUP_SETTINGS_FILE), JSON.stringify({ everyMinutes: 30 }));
    ok(
      desk.dispatch(
        'completeSetup',
        { settings: settings({ pack: { dir: savedPack, days: 2 }, backup: { dir: tempDir(), everyMinutes: 15 } }), fhirToken: TOKEN, manager: MANAGER },
        { ...anonymous, sessionId: 's' },
      ),
    );
    const view = ok<{ inForce: Array<{ field: string; value: string | null; source: string; file: string | null }>; tokenKept: boolean }>(
      desk.dispatch('getSettings', {}, desk.context),
    );
    const field = (name: string) => view.inForce.find((f) => f.field === name);
    expect(field('fhir.url')).toEqual({ field: 'fhir.url', value: 'https://it-deployed.example/fhir', source: 'file', file: UPKEEP_SETTINGS_FILE });
    expect(field('fhir.everyMinutes')).toMatchObject({ value: '10', source: 'file' });
    expect(field('pack.dir')).toMatchObject({ value: pack, source: 'file', file: UPKEEP_SETTINGS_FILE });
    // The file says nothing of the pack's days or the token: those saved on screen are in force.
    expect(field('pack.days')).toMatchObject({ value: '2', source: 'screen', file: null });
    expect(field('fhir.token')).toMatchObject({ value: 'a token is kept', source: 'screen' });
    expect(field('backup.everyMinutes')).toMatchObject({ value: '30', source: 'file', file: BACKUP_SETTINGS_FILE });
    expect(field('backup.dir')).toMatchObject({ source: 'screen' });
    expect(view.tokenKept).toBe(true);
    expect(JSON.stringify(view)).not.toContain(TOKEN);
    // What upkeep runs with is the same: the file's over the saved.
    const inForce = readUpkeepSettings(dataDir, {}, desk.service.practiceSettings.upkeepParts()).settings;
    expect(inForce).toMatchObject({ fhir: { baseUrl: 'https://it-deployed.example/fhir', everyMs: 600_000, bearerToken: TOKEN }, pack: { folder: pack, days: 2 } });
  });

  it('audits every change by field, never the token, and tells upkeep to start again', () => {
    const dataDir = tempDir();
    const desk = deskOn(dataDir);
    ok(desk.dispatch('completeSetup', { settings: settings(), fhirToken: TOKEN, manager: MANAGER }, { ...anonymous, sessionId: 'pm' }));
    let restarts = 0;
    desk.service.practiceSettings.onChange(() => restarts++);
    const replaced = 'a-new-token-9911';
    ok(
      desk.dispatch(
        'saveSettings',
        { settings: settings({ book: { kind: 'fhir', url: 'https://other.example/fhir', everyMinutes: 2 } }), fhirToken: replaced },
        { ...anonymous, sessionId: 'pm' },
      ),
    );
    ok(desk.dispatch('saveSettings', { settings: settings({ book: { kind: 'none' } }), fhirToken: null }, { ...anonymous, sessionId: 'pm' }));
    expect(restarts).toBe(2);
    const changes = desk.service.audit.list({ kind: 'settings-changed' });
    expect(changes.map((e) => [e.user, e.detail])).toEqual([
      ['pm.jones', { setting: 'practice', changed: ['practice.name', 'practice.odsCode', 'book', 'fhir.url', 'fhir.everyMinutes'], token: 'replaced', firstRun: true }],
      ['pm.jones', { setting: 'practice', changed: ['fhir.url', 'fhir.everyMinutes'], token: 'replaced' }],
      ['pm.jones', { setting: 'practice', changed: ['book', 'fhir.url', 'fhir.everyMinutes'], token: 'removed' }],
    ]);
    expect(JSON.stringify(desk.service.audit.list({}))).not.toMatch(new RegExp(`${TOKEN}|${replaced}`));
    expect(desk.service.practiceSettings.fhirToken()).toBeNull();
    // A receptionist may not change them.
    ok(desk.dispatch('addUser', { username: 'rx.khan', displayName: 'Sam', role: 'receptionist', secret: { kind: 'pin', value: '246810' } }, desk.context));
    ok(desk.dispatch('signIn', { username: 'rx.khan', secret: '246810' }, { ...anonymous, sessionId: 'rx' }));
    expect(desk.dispatch('saveSettings', { settings: settings() }, { ...anonymous, sessionId: 'rx' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('standby-desk pull without --fhir', () => {
  it('pulls from the server the settings name, with the token kept in the database', async () => {
    const server = await FhirTestServer.start({ bearerToken: TOKEN });
    try {
      server.seed(bookToFhirResources(smallBook(TEST_DAY)));
      const dataDir = tempDir();
      const desk = deskOn(dataDir);
      ok(
        desk.dispatch(
          'completeSetup',
          { settings: settings({ book: { kind: 'fhir', url: server.baseUrl, everyMinutes: 5 } }), fhirToken: TOKEN, manager: MANAGER },
          { ...anonymous, sessionId: 's' },
        ),
      );
      opened.splice(0).forEach((d) => d.close());
      const pulled = await cli('pull', '--data', dataDir, '--from', TEST_DAY, '--days', '1', '--json');
      expect(pulled.stderr).toBe('');
      expect(pulled.code).toBe(0);
      expect(server.requests.length).toBeGreaterThan(0);
      expect(server.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
      expect(deskOn(dataDir).service.getDay(TEST_DAY, null).appointments).toHaveLength(smallBook(TEST_DAY).appointments.length);
    } finally {
      await server.close();
    }
  });

  it('says what is missing when no server is set', async () => {
    const pulled = await cli('pull', '--data', tempDir());
    expect(pulled.code).toBe(2);
    expect(pulled.stderr).toMatch(/pull needs --fhir URL/);
  });
});
