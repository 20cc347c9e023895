/**
 * Paper everywhere (issue 16, item 8): a member writes its own outage pack from its own copy, again whenever a
 * refresh of the coordinator's reaches it, and the coordinator records each pack in the group's audit trail (the
 * member's database follows the coordinator's and nothing else).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startUpkeep } from '../../../electron/desk/upkeep';
import { stateDigest } from '../../../electron/desk/group/replica';
import type { OutagePack } from '../../../electron/desk/print';
import { TEST_CHROMIUM } from '../../support/chromium';
import { TEST_NOW } from '../../support/clock';
import { smallBook, tempDir } from '../../support/fixtures';
import { startGroup, until, type TestGroup } from '../../support/group';
import { ManualTimers } from '../../support/timers';

const now = () => new Date(TEST_NOW);
let group: TestGroup | null = null;
const stops: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  await group?.close();
  group = null;
});

describe('a member keeps its own outage pack', () => {
  it('writes one at start and again after the coordinator refreshes, each recorded by the coordinator', async () => {
    group = await startGroup(1, now);
    const [member] = group.members;
    if (!member) throw new Error('no member');
    const recorded: OutagePack[] = [];
    const upkeep = startUpkeep(member.desk, {
      pack: { folder: tempDir('standby-member-pack-'), days: 1, browserPath: TEST_CHROMIUM },
      log: () => undefined,
      timers: new ManualTimers(),
      member: {
        recordPackPrint: (pack) => {
          recorded.push(pack);
          void member.node.dispatch('recordPrint', { what: 'outage-pack', pages: pack.pages }, member.desk.context);
        },
      },
    });
    stops.push(() => upkeep.stop());
    const first = await upkeep.lastPack();
    expect(first).not.toBeNull();

    // The coordinator's refresh (a whole book loaded) reaches the member, which writes its pack again.
    group.coordinator.desk.service.loadBook(smallBook(), 'refresh', group.coordinator.desk.context);
    await until(() => recorded.length === 2, 'the second pack', 60_000);
    const second = await upkeep.lastPack();
    expect(second?.name).not.toBe(first?.name);

    const prints = () =>
      group?.coordinator.desk.service.audit.list({ kind: 'print', limit: 50 }).filter((e) => e.desk === 'Reception 2' && JSON.stringify(e.detail).includes('outage-pack')) ?? [];
    await until(() => prints().length === 2, 'both packs in the coordinator’s audit trail');
    await until(() => stateDigest(member.desk.db.raw).seq === stateDigest(group?.coordinator.desk.db.raw ?? member.desk.db.raw).seq, 'the member to hold the audit entries');
    expect(stateDigest(member.desk.db.raw)).toEqual(stateDigest(group.coordinator.desk.db.raw));
  }, 90_000);
});
