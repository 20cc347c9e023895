/**
 * `standby-desk group ...` (issue 16, item 10): the names outside checks use, on real data folders, with a real
 * coordinator's link for the join.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { GroupNode } from '../../../electron/desk/group/node';
import { openDesk } from '../../../electron/desk/open';
import { TEST_NOW } from '../../support/clock';
import { smallBook, tempDir } from '../../support/fixtures';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { log: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe('standby-desk group', () => {
  it('create, pairing-code, join, status, remove and leave, each with --json', async () => {
    process.env['STANDBY_DESK_CLOCK'] = TEST_NOW;
    closers.push(() => {
      delete process.env['STANDBY_DESK_CLOCK'];
    });
    const coordinatorDir = tempDir();
    const seed = openDesk({ dataDir: coordinatorDir });
    seed.service.loadBook(smallBook(), 'cli test', seed.context);
    seed.close();

    const created = await cli('group', 'create', '--data', coordinatorDir, '--name', 'Reception 1', '--json');
    expect(created.code).toBe(0);
    const group = JSON.parse(created.out) as { group: string; role: string; epoch: number; fingerprint: string; pairing: { code: string; expiresAt: string } };
    expect(group).toMatchObject({ group: 'Test Street Surgery', role: 'coordinator', epoch: 1 });
    expect(group.pairing.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    // Ten minutes from the pinned start (the CLI's clock runs on from it).
    expect(group.pairing.expiresAt.slice(0, 16)).toBe('2026-07-20T09:40');
    expect((await cli('group', 'create', '--data', coordinatorDir, '--name', 'Again')).code).toBe(1);

    // The coordinator's link, as `serve` runs it.
    const coordinator = openDesk({ dataDir: coordinatorDir });
    const node = await GroupNode.start({ desk: coordinator, host: '127.0.0.1', port: 0 });
    closers.push(() => coordinator.close());
    closers.push(() => node.close());
    const fresh = JSON.parse((await cli('group', 'pairing-code', '--data', coordinatorDir, '--json')).out) as { code: string };
    expect(fresh.code).not.toBe(group.pairing.code);

    const memberDir = tempDir();
    const joined = await cli('group', 'join', node.address() ?? '', '--data', memberDir, '--code', fresh.code, '--name', 'Reception 2', '--json');
    expect(joined.code, joined.err).toBe(0);
    expect(JSON.parse(joined.out)).toMatchObject({ group: 'Test Street Surgery', desk: 'Reception 2', role: 'member', epoch: 1, fingerprint: group.fingerprint });
    // The code was single use.
    expect((await cli('group', 'join', node.address() ?? '', '--data', tempDir(), '--code', fresh.code, '--name', 'Reception 3')).code).toBe(1);

    const status = JSON.parse((await cli('group', 'status', '--data', memberDir, '--json')).out) as { role: string; state: string; members: Array<{ name: string }> };
    expect(status.role).toBe('member');
    expect(status.state).toBe('not-running');
    expect(status.members.map((m) => m.name)).toEqual(['Reception 1', 'Reception 2']);

    expect((await cli('group', 'leave', '--data', coordinatorDir)).code).toBe(1);
    expect((await cli('group', 'take-over', '--data', memberDir)).code).toBe(2);
    expect((await cli('group', 'remove', 'Reception 2', '--data', coordinatorDir, '--json')).out).toBe(JSON.stringify({ removed: 'Reception 2' }));
    expect(JSON.parse((await cli('group', 'leave', '--data', memberDir, '--json')).out)).toEqual({ left: 'Test Street Surgery' });
    expect(JSON.parse((await cli('group', 'status', '--data', memberDir, '--json')).out)).toMatchObject({ role: 'standalone' });
    expect((await cli('group', 'frobnicate', '--data', memberDir)).code).toBe(2);
  }, 60_000);
});
