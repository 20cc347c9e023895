/**
 * The set-up's desk group (issue 20 item 1): this desk alone, a group started here (once the set-up's accounts
 * exist: completeSetup's startGroup), or the practice's group joined (joinGroupInSetup), and what came of it. A
 * joining desk takes the practice, its settings, the accounts and the day from the coordinator, so the wizard asks
 * it nothing else and goes to sign-in (electron/desk/setup-group.ts says why nothing of this PC's own is asked).
 */
import { useEffect, useState } from 'react';
import type { GroupSetupProgress, GroupStatus } from '../../../shared/api';
import { getDeskClient } from '../api/client';
import { useUiStore } from '../state/ui-store';

export interface GroupDraft {
  kind: 'alone' | 'start' | 'join';
  deskName: string;
  address: string;
  code: string;
}

export const emptyGroupDraft = (): GroupDraft => ({ kind: 'alone', deskName: '', address: '', code: '' });

const POLL_MS = 400;

/** Asks how the set-up's group is getting on until it is no longer under way. */
export async function groupSetupSettled(): Promise<GroupSetupProgress> {
  for (;;) {
    const progress = await getDeskClient().send('getGroupSetup', {});
    if (progress.state !== 'running') return progress;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export function GroupChoice({ value, onChange }: { value: GroupDraft; onChange: (next: GroupDraft) => void }) {
  const set = (patch: Partial<GroupDraft>) => onChange({ ...value, ...patch });
  const radio = (kind: GroupDraft['kind'], label: string) => (
    <label>
      <input type="radio" name="group" autoFocus={value.kind === kind} checked={value.kind === kind} onChange={() => set({ kind })} /> {label}
    </label>
  );
  return (
    <>
      <p>
        Two PCs in a desk group each hold every change, so reception carries on if one of them fails. One PC coordinates; each other PC joins it with the pairing code the
        coordinator shows.
      </p>
      <fieldset>
        <legend>This desk</legend>
        {radio('alone', 'This desk alone (for now)')}
        {radio('start', 'Start a desk group here (this PC coordinates)')}
        {radio('join', "Join the practice's desk group")}
      </fieldset>
      {value.kind === 'join' ? (
        <>
          <label htmlFor="setup-group-address">The coordinator&apos;s address (HOST:PORT, as its set-up or group screen shows, for example 192.168.1.20:4781)</label>
          <input id="setup-group-address" value={value.address} onChange={(e) => set({ address: e.target.value })} required />
          <label htmlFor="setup-group-code">Pairing code shown at the coordinator</label>
          <input id="setup-group-code" autoComplete="off" value={value.code} onChange={(e) => set({ code: e.target.value.toUpperCase() })} required />
        </>
      ) : null}
      {value.kind === 'alone' ? null : (
        <>
          <label htmlFor="setup-desk-name">This desk&apos;s name in the group (for example {value.kind === 'start' ? 'Reception 1' : 'Reception 2'})</label>
          <input id="setup-desk-name" value={value.deskName} onChange={(e) => set({ deskName: e.target.value })} required maxLength={40} />
        </>
      )}
      <p className="setup-note">
        {value.kind === 'join'
          ? 'A joining desk takes the practice, its settings, the accounts and the day from the coordinator: nothing else is asked here, and you sign in with your account from there.'
          : value.kind === 'start'
            ? 'The group is made when the set-up finishes; the next screen shows the pairing code the second PC joins with.'
            : 'A group can be made later with standby-desk group create.'}
      </p>
    </>
  );
}

/** After the set-up: the group started here and the code the second PC joins with. */
export function GroupStarted({ first, onContinue }: { first: GroupSetupProgress; onContinue: () => void }) {
  const [progress, setProgress] = useState(first);
  // Where the group listens is known once the desk's group link has started it (about a second later).
  useEffect(() => {
    if (progress.state !== 'started' || progress.listening !== null) return;
    const timer = setTimeout(() => {
      getDeskClient()
        .send('getGroupSetup', {})
        .then(setProgress, () => undefined);
    }, 1000);
    return () => clearTimeout(timer);
  }, [progress]);
  return (
    <main className="main signin">
      <section className="signin-form setup-form" aria-labelledby="setup-group-title" data-testid="setup-group-outcome">
        <h1 id="setup-group-title">{progress.state === 'started' ? `Desk group started: ${progress.groupName}` : 'Standby Desk is set up'}</h1>
        {progress.state === 'started' ? (
          <>
            <p>
              This PC, <strong>{progress.deskName}</strong>, coordinates the group. On the second PC, choose &quot;Join the practice&apos;s desk group&quot; in its set-up and
              enter:
            </p>
            <p className="setup-progress">
              Pairing code: <strong data-testid="setup-pairing-code">{progress.pairing.code}</strong> (single use; until {progress.pairing.expiresAt.slice(11, 16)} UTC)
            </p>
            <p data-testid="setup-group-listening">
              {progress.listening === null
                ? 'The group link is starting…'
                : `The group listens on ${progress.listening}: give the second PC this PC's network address with that port.`}
            </p>
            <p className="setup-note">A new code can be shown later on the Desk group screen.</p>
          </>
        ) : (
          <p className="signin-error" role="alert">
            {progress.state === 'failed' ? progress.message : 'The desk group was not started.'}
          </p>
        )}
        <p className="setup-buttons">
          <button type="button" className="button button-primary" autoFocus onClick={onContinue} data-testid="setup-group-continue">
            Go to the desk
          </button>
        </p>
      </section>
    </main>
  );
}

/** After a join: this desk now holds the coordinator's practice, accounts and day. */
export function GroupJoined({ joined, onSignIn }: { joined: Extract<GroupSetupProgress, { state: 'joined' }>; onSignIn: () => void }) {
  return (
    <main className="main signin">
      <section className="signin-form setup-form" aria-labelledby="setup-joined-title" data-testid="setup-group-joined">
        <h1 id="setup-joined-title">Joined the desk group: {joined.groupName}</h1>
        <p>
          This desk, <strong>{joined.deskName}</strong>, now holds the practice, its accounts and the day from the coordinator at {joined.coordinator}, and follows it from now on.
          Sign in with your account from the coordinator.
        </p>
        <p className="setup-buttons">
          <button type="button" className="button button-primary" autoFocus onClick={onSignIn} data-testid="setup-joined-sign-in">
            Sign in
          </button>
        </p>
      </section>
    </main>
  );
}

/** The settings screen's line on the desk group, with the way to its own screen (members, pairing codes, take-over). */
export function GroupSummary() {
  const [status, setStatus] = useState<GroupStatus | null>(null);
  useEffect(() => {
    getDeskClient()
      .send('getGroupStatus', {})
      .then(setStatus, () => undefined);
  }, []);
  if (status === null) return null;
  return (
    <>
      <h3>The desk group</h3>
      <p data-testid="settings-group">
        {status.role === 'standalone'
          ? 'This desk works alone: a group is started here with standby-desk group create.'
          : `This desk, ${status.thisDesk ?? ''}, is the ${status.role} of ${status.groupName ?? 'a group'} (${status.members.length} desk${status.members.length === 1 ? '' : 's'}).`}{' '}
        <button type="button" className="button" onClick={() => useUiStore.getState().open({ kind: 'group' })}>
          Open the desk group screen
        </button>
      </p>
    </>
  );
}
