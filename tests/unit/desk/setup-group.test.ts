/**
 * The set-up's desk group (issue 20 item 1): through the set-up operations alone, a fresh data folder starts a group
 * (and gets a pairing code), and a second fresh data folder joins it with that code and then holds the
 * coordinator's accounts and day. A wrong code, or a coordinator that cannot be reached, stores nothing. Each desk
 * runs its group link from the start, as `serve` and the app do, and it takes up the new role by itself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { GroupSetupProgress, PracticeSettings, Result } from '../../../shared/api';
import { createGroup } from '../../../electron/desk/group/admin';
import { GroupNode } from '../../../electron/desk/group/node';
import { GroupStore } from '../../../electron/desk/group/store';
import { stateDigest } from '../../../electron/desk/group/replica';
import { openDesk, type OpenDesk } from '../../../electron/desk/open';
import type { RequestContext } from '../../../electron/desk/dispatch';
import { TEST_DAY, TEST_NOW } from '../../support/clock';
import { smallBook, TEST_SCRYPT_COST, tempDir } from '../../support/fixtures';
import { signInAt, until } from '../../support/group';

const MANAGER = { username: 'pm.jones', displayName: 'Pat Jones', secret: { kind: 'password' as const, value: 'correct horse battery' } };
const SETTINGS: PracticeSettings = { practice: { name: 'Riverside Medical Practice', odsCode: 'Y12345' }, book: { kind: 'none' }, pack: null, backup: null };

interface Running {
  desk: OpenDesk;
  node: GroupNode;
}
const running: Running[] = [];

afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.node.close();
    r.desk.close();
  }
});

/** A desk on a new, empty data folder with its group link running on loopback (standalone until set up). */
async function freshDesk(): Promise<Running> {
  const desk = openDesk({ dataDir: tempDir(), user: 'test', desk: 'test-desk', clock: () => new Date(TEST_NOW), scryptCost: { ...TEST_SCRYPT_COST } });
  const node = await GroupNode.start({ desk, host: '127.0.0.1', port: 0 });
  const r = { desk, node };
  running.push(r);
  return r;
}

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value as T;
}

/** Follows the set-up's group until it is no longer under way (as the screen polls). */
async function settled(r: Running, ctx: RequestContext): Promise<GroupSetupProgress> {
  let progress: GroupSetupProgress = { state: 'none' };
  await until(
    () => {
      const result = r.desk.dispatch('getGroupSetup', {}, ctx);
      progress = value<GroupSetupProgress>(result);
      return progress.state !== 'running';
    },
    'the set-up group to finish',
    30_000,
  );
  return progress;
}

const browser = (sessionId: string): RequestContext => ({ user: 'browser', desk: 'browser', sessionId });

describe('the desk group in the first-run set-up', () => {
  it('starts a group here with the accounts, and a new data folder joins it with the code and holds its accounts and day', async () => {
    const first = await freshDesk();
    const setUp = browser('first-pc');
    value(await first.node.dispatch('completeSetup', { settings: SETTINGS, manager: MANAGER, startGroup: { deskName: 'Reception 1' } }, setUp));
    const started = await settled(first, setUp);
    if (started.state !== 'started') throw new Error(`not started: ${JSON.stringify(started)}`);
    expect(started).toMatchObject({ groupName: 'Riverside Medical Practice', deskName: 'Reception 1' });
    expect(started.pairing.code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    // The link already running beside the desk takes up the coordinator's part at its next heartbeat.
    await until(() => first.node.address() !== null, 'the coordinator to listen');
    const listening = value<GroupSetupProgress>(first.desk.dispatch('getGroupSetup', {}, setUp));
    expect(listening).toMatchObject({ state: 'started', listening: first.node.address() });
    expect(first.node.status()).toMatchObject({ role: 'coordinator', thisDesk: 'Reception 1' });
    first.desk.service.loadBook(smallBook(TEST_DAY), 'refresh', first.desk.context);
    const address = first.node.address() ?? '';

    const second = await freshDesk();
    const nobody = browser('second-pc');
    const nothingStored = () => {
      expect(new GroupStore(second.desk.db).config()).toBeNull();
      expect(second.desk.service.auth.accountCount()).toBe(0);
      expect(second.desk.service.journal.lastSeq()).toBe(0);
    };

    // Unreachable, then a wrong code: refused, said plainly, and nothing kept.
    value(await second.node.dispatch('joinGroupInSetup', { address: '127.0.0.1:1', code: started.pairing.code, deskName: 'Reception 2' }, nobody));
    const unreachable = await settled(second, nobody);
    expect(unreachable).toMatchObject({ state: 'failed', action: 'join' });
    expect(unreachable.state === 'failed' && unreachable.message).toMatch(/could not reach a desk at 127\.0\.0\.1:1.*Nothing was stored\.$/);
    nothingStored();
    const wrongCode = started.pairing.code.startsWith('A') ? 'BBBB-BBBB' : 'AAAA-AAAA';
    value(await second.node.dispatch('joinGroupInSetup', { address, code: wrongCode, deskName: 'Reception 2' }, nobody));
    const refused = await settled(second, nobody);
    expect(refused).toMatchObject({ state: 'failed', action: 'join' });
    expect(refused.state === 'failed' && refused.message).toMatch(/^That pairing code is not right .* Nothing was stored\.$/);
    nothingStored();

    // The right code: the coordinator's accounts and day are here, and its link follows from then on.
    const running = value<GroupSetupProgress>(await second.node.dispatch('joinGroupInSetup', { address, code: started.pairing.code, deskName: 'Reception 2' }, nobody));
    expect(running).toEqual({ state: 'running', action: 'join' });
    const joined = await settled(second, nobody);
    expect(joined).toMatchObject({ state: 'joined', groupName: 'Riverside Medical Practice', deskName: 'Reception 2', coordinator: address });
    expect(second.desk.service.auth.listUsers().map((u) => u.username)).toEqual(['pm.jones']);
    expect(second.desk.service.practiceSettings.read()?.practice.name).toBe('Riverside Medical Practice');
    expect(second.desk.service.getDay(TEST_DAY, null).appointments.length).toBe(first.desk.service.getDay(TEST_DAY, null).appointments.length);
    expect(second.desk.service.getDay(TEST_DAY, null).appointments.length).toBeGreaterThan(0);
    await until(() => second.node.status().state === 'connected', 'the member to follow');
    expect(stateDigest(second.desk.db.raw).seq).toBe(stateDigest(first.desk.db.raw).seq);
    // The manager signs in at the new PC with the coordinator's account.
    await signInAt(second.node, { username: MANAGER.username, secret: MANAGER.secret.value });

    // Set up now: neither set-up is offered again.
    expect(await second.node.dispatch('joinGroupInSetup', { address, code: started.pairing.code, deskName: 'Reception 3' }, browser('later'))).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await second.node.dispatch('completeSetup', { settings: SETTINGS, manager: { ...MANAGER, username: 'intruder' } }, browser('later'))).toMatchObject({ ok: false });
  }, 60_000);

  it('refuses to start a group in a set-up whose data folder is in one already, before saving anything', async () => {
    const r = await freshDesk();
    await createGroup(r.desk, { deskName: 'Office' }, r.desk.context);
    const result = r.desk.dispatch('completeSetup', { settings: SETTINGS, manager: MANAGER, startGroup: { deskName: 'Reception 1' } }, browser('first'));
    expect(result).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(r.desk.service.auth.accountCount()).toBe(0);
  });
});
