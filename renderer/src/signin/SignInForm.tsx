import { useRef, useState, type FormEvent } from 'react';
import type { SessionInfo } from '../../../shared/api';
import { DeskClientError, getDeskClient } from '../api/client';
import { forgetLastUser, lastUser, rememberLastUser } from './last-user';

function messageOf(error: unknown): string {
  if (error instanceof DeskClientError) return error.issues[0]?.message ? `${error.message}` : error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Sign-in, or the lock. The cursor starts in the username; at a desk where someone signed in before, their
 * username is filled in (remembered here, last-user.ts) and the cursor starts in the password instead, with
 * "Not you?" to clear it. Switching user starts empty: the one remembered is usually the one being replaced.
 */
export function SignInForm(props: {
  lockedAs: { username: string; displayName: string } | null;
  onSignedIn: (session: SessionInfo) => void;
  onSwitchUser: () => void;
  onCancelSwitch: (() => void) | null;
  /** Fill in the last user at this desk (false while switching user). */
  offerLastUser?: boolean;
}) {
  const [remembered, setRemembered] = useState(() => (props.lockedAs === null && props.offerLastUser !== false ? lastUser() : null));
  const [username, setUsername] = useState(props.lockedAs?.username ?? remembered ?? '');
  const usernameBox = useRef<HTMLInputElement>(null);
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await getDeskClient().send('signIn', { username: props.lockedAs?.username ?? username, secret });
      setSecret('');
      rememberLastUser(session.user);
      props.onSignedIn(session);
    } catch (e) {
      setSecret('');
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="main signin">
      <form className="signin-form" onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
        <h1 id="signin-title">{props.lockedAs ? 'The desk is locked' : 'Sign in to Standby Desk'}</h1>
        {props.lockedAs ? (
          <p>
            Locked for <strong>{props.lockedAs.displayName}</strong>. Enter your password or PIN to carry on.
          </p>
        ) : (
          <p>
            <label htmlFor="signin-username">Username</label>
            <input
              ref={usernameBox}
              id="signin-username"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              required
              autoFocus={remembered === null}
            />
            {remembered !== null ? (
              <button
                type="button"
                className="signin-not-you"
                data-testid="signin-not-you"
                onClick={() => {
                  forgetLastUser();
                  setRemembered(null);
                  setUsername('');
                  usernameBox.current?.focus();
                }}
              >
                Not you?
              </button>
            ) : null}
          </p>
        )}
        <p>
          <label htmlFor="signin-secret">Password or PIN</label>
          <input
            id="signin-secret"
            name="secret"
            type="password"
            autoComplete="current-password"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            required
            autoFocus={props.lockedAs !== null || remembered !== null}
          />
        </p>
        <ErrorLine error={error} />
        <p>
          <button type="submit" className="button" disabled={busy}>
            {props.lockedAs ? 'Unlock' : 'Sign in'}
          </button>{' '}
          {props.lockedAs ? (
            <button type="button" className="button" onClick={props.onSwitchUser}>
              Someone else
            </button>
          ) : null}
          {props.onCancelSwitch ? (
            <button type="button" className="button" onClick={props.onCancelSwitch}>
              Cancel
            </button>
          ) : null}
        </p>
      </form>
    </main>
  );
}

/** What went wrong with the last attempt, read out at once; nothing when nothing did. */
function ErrorLine({ error }: { error: string | null }) {
  return error ? (
    <p className="signin-error" role="alert">
      {error}
    </p>
  ) : null;
}
