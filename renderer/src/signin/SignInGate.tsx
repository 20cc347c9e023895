/**
 * Nothing of the desk renders until someone is signed in and the screen is unlocked: the desk's components
 * (and their data and event stream) are unmounted while locked, so a locked screen holds no patient data.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { SessionInfo } from '../../../shared/api';
import { getDeskClient } from '../api/client';
import { AdminPanel } from './AdminPanel';
import { ReadinessAlert } from '../readiness/ReadinessPanel';
import { DrillBand } from '../drill/DrillBand';
import { ACTIVITY_EVENTS, createIdleTimer } from './idle';
import { SignInForm } from './SignInForm';
import { SetupWizard } from '../setup/SetupWizard';
import './signin.css';

/** How often the gate re-reads the session: the desk may have locked it (idle elsewhere, a reset by a manager). */
const SESSION_POLL_MS = 30_000;

/**
 * forClinician: what a clinician signed in here sees instead of the children (the desk shows a clinician their
 * room: the backend would refuse them the desk's operations anyway).
 */
export function SignInGate({ children, forClinician }: { children: ReactNode; forClinician?: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [switching, setSwitching] = useState(false);
  const [admin, setAdmin] = useState(false);

  const refresh = useCallback(async () => {
    try {
      setSession(await getDeskClient().send('getSession', {}));
      setProblem(null);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }, []);

  useEffect(() => {
    void refresh();
    const poll = setInterval(() => void refresh(), SESSION_POLL_MS);
    return () => clearInterval(poll);
  }, [refresh]);

  const active = session !== null && session.signedIn && !session.locked && !switching;

  const lock = useCallback(async () => {
    try {
      setSession(await getDeskClient().send('lock', {}));
    } catch {
      await refresh();
    }
  }, [refresh]);

  useEffect(() => {
    if (!active || session === null) return;
    const timer = createIdleTimer(session.idleLockMinutes * 60_000, () => void lock());
    const onActivity = () => timer.activity();
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, onActivity, { passive: true });
    return () => {
      timer.stop();
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity);
    };
  }, [active, session, lock]);

  const signedIn = (next: SessionInfo) => {
    setSwitching(false);
    setSession(next);
  };

  if (session === null) {
    return (
      <main className="main signin" aria-busy="true">
        <p className="placeholder" role="status">
          {problem ?? 'Checking who is signed in…'}
        </p>
      </main>
    );
  }
  if (session.setupNeeded) return <SetupWizard onDone={signedIn} onJoined={() => void refresh()} />;
  if (!active) {
    const lockedAs = session.locked && !switching ? session : null;
    return (
      <SignInForm
        lockedAs={lockedAs === null ? null : { username: lockedAs.user, displayName: lockedAs.displayName ?? lockedAs.user }}
        onSignedIn={signedIn}
        offerLastUser={!switching}
        onSwitchUser={() => setSwitching(true)}
        onCancelSwitch={session.signedIn && !session.locked ? () => setSwitching(false) : null}
      />
    );
  }
  return (
    <>
      <DrillBand />
      <div className="session-bar" role="region" aria-label="Who is signed in">
        <span>
          Signed in: <strong data-testid="signed-in-user">{session.displayName ?? session.user}</strong>
          {session.role === 'manager' ? ' (practice manager)' : ''}
        </span>
        <button type="button" className="button" onClick={() => setSwitching(true)}>
          Switch user
        </button>
        <button type="button" className="button" onClick={() => void lock()}>
          Lock screen
        </button>
        {session.role === 'manager' ? <MergeLink /> : null}
        {session.role === 'manager' ? (
          <button type="button" className="button" aria-expanded={admin} onClick={() => setAdmin((v) => !v)}>
            Users and audit
          </button>
        ) : null}
        <button
          type="button"
          className="button"
          onClick={() =>
            void getDeskClient()
              .send('signOut', {})
              .then(setSession, () => refresh())
          }
        >
          Sign out
        </button>
      </div>
      {/* A manager signing in is told at once when the practice would not cope with an outage tomorrow (issue 20). */}
      {session.role === 'manager' && !admin ? <ReadinessAlert onOpen={() => setAdmin(true)} /> : null}
      {admin && session.role === 'manager' ? <AdminPanel onSettingsChanged={() => void refresh()} /> : null}
      {session.role === 'clinician' && forClinician !== undefined ? forClinician : children}
    </>
  );
}

/** Managers move between the desk and the merge-back review (?view=merge) from the session bar. */
function MergeLink() {
  const onMerge = new URLSearchParams(window.location.search).get('view') === 'merge';
  return (
    <a className="button" href={onMerge ? './' : '?view=merge'} data-testid={onMerge ? 'to-desk' : 'to-merge'}>
      {onMerge ? 'Back to the desk' : 'Merge back'}
    </a>
  );
}
