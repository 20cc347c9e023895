/**
 * `standby-desk claim-settings` (issue 21): the minutes per task and costs per hour that price the impact report's
 * work, shown with the defaults marked, changed through setMergeSettings (so audited, and the report priced at the
 * new values), and a bad value refused with one error and nothing changed.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { openDesk } from '../../../electron/desk/open';
import { describeAuditEntry } from '../../../shared/api/audit-words';
import { DEFAULT_CLAIM_SETTINGS, type ClaimSettings } from '../../../shared/merge';
import { openTestDesk } from '../../support/fixtures';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const open = openTestDesk();
  open.close();
  dirs.push(open.dataDir);
  return open.dataDir;
}

async function run(args: string[]) {
  const lines = { out: [] as string[], err: [] as string[] };
  const code = await main(['claim-settings', ...args], { log: (l) => lines.out.push(l), error: (l) => lines.err.push(l) });
  return { code, ...lines };
}

/** What the desk holds: the settings, the impact report's, and the settings changes in the audit trail. */
function held(dir: string) {
  const desk = openDesk({ dataDir: dir });
  try {
    const changes = desk.service.audit.list({ kind: 'settings-changed' });
    return { claim: desk.service.merge.claimSettings(), reportClaim: desk.service.merge.impactView().claim, changes };
  } finally {
    desk.close();
  }
}

describe('claim-settings', () => {
  it('shows the defaults, marked, until a manager changes them', async () => {
    const dir = dataDir();
    const shown = await run(['--data', dir]);
    expect(shown.code).toBe(0);
    expect(shown.out[0]).toBe('The claim is priced at:');
    expect(shown.out).toContainEqual(expect.stringMatching(/^ {2}Rebooking an appointment +5 min, receptionist \(rebooking\) \[default\]$/));
    expect(shown.out).toContainEqual(expect.stringMatching(/^ {2}Keying one item by hand +3 min, administrator \(keyedItem\) \[default\]$/));
    expect(shown.out).toContainEqual(expect.stringMatching(/^ {2}Clinician +not given \[default\]$/));
    const json = await run(['--data', dir, '--json']);
    expect(JSON.parse(json.out[0] ?? '{}')).toEqual({ claim: DEFAULT_CLAIM_SETTINGS, defaults: DEFAULT_CLAIM_SETTINGS, changed: false });
    expect(held(dir).changes).toHaveLength(0);
  });

  it('changes minutes, staff and costs through setMergeSettings: audited, and the report priced at them', async () => {
    const dir = dataDir();
    const changed = await run(['--data', dir, '--minutes', 'rebooking=6,message=0.5', '--staff', 'keyedItem=clinician', '--cost', 'receptionist=12.50,clinician=£80']);
    expect(changed.err).toEqual([]);
    expect(changed.code).toBe(0);
    expect(changed.out[0]).toBe('Saved. The claim is now priced at:');
    expect(changed.out).toContainEqual(expect.stringMatching(/^ {2}Rebooking an appointment +6 min, receptionist \(rebooking\)$/));
    expect(changed.out).toContainEqual(expect.stringMatching(/^ {2}Receptionist +£12\.50$/));
    expect(changed.out).toContainEqual(expect.stringMatching(/^ {2}Administrator +not given \[default\]$/));
    const expected: ClaimSettings = {
      tasks: {
        ...DEFAULT_CLAIM_SETTINGS.tasks,
        rebooking: { minutes: 6, staff: 'receptionist' },
        keyedItem: { minutes: 3, staff: 'clinician' },
        message: { minutes: 0.5, staff: 'receptionist' },
      },
      costPerHour: { receptionist: 12.5, administrator: null, clinician: 80 },
    };
    const after = held(dir);
    expect(after.claim).toEqual(expected);
    expect(after.reportClaim).toEqual(expected);
    expect(after.changes).toHaveLength(1);
    expect(after.changes[0]?.detail).toMatchObject({ setting: 'merge', from: { claim: DEFAULT_CLAIM_SETTINGS }, to: { claim: expected } });
    expect(describeAuditEntry(after.changes[0] ?? { kind: 'settings-changed', detail: null })).toMatch(/^changed merge-back's settings/);

    // A cost taken away again ("none"); what is not named keeps its value.
    expect((await run(['--data', dir, '--cost', 'clinician=none'])).code).toBe(0);
    expect(held(dir).claim).toEqual({ ...expected, costPerHour: { ...expected.costPerHour, clinician: null } });
  });

  it('refuses a bad value with one error naming each, and changes nothing', async () => {
    const dir = dataDir();
    const bad = await run(['--data', dir, '--minutes', 'rebooking=5,callback=lots', '--staff', 'message=doctor', '--cost', 'receptionist=12.345']);
    expect(bad.code).toBe(2);
    expect(bad.out).toEqual([]);
    expect(bad.err).toHaveLength(1);
    const [first] = (bad.err[0] ?? '').split('\n');
    expect(first).toBe(
      'standby-desk: claim-settings: nothing changed: minutes for callback must be a number from 0 to 240, got "lots"; ' +
        'staff for message must be receptionist, administrator, clinician, got "doctor"; ' +
        'cost per hour for receptionist must be pounds from 0 to 1000 (like 12.50), or none, got "12.345"',
    );
    for (const args of [
      ['--minutes', 'rebooking'],
      ['--minutes', 'walkIn=3'],
      ['--cost', 'manager=20'],
      ['--minutes', 'rebooking=241'],
    ]) {
      const refused = await run(['--data', dir, ...args]);
      expect(refused.code, args.join(' ')).toBe(2);
    }
    const after = held(dir);
    expect(after.claim).toEqual(DEFAULT_CLAIM_SETTINGS);
    expect(after.changes).toHaveLength(0);
  });
});
