/** What the set-up and the settings screen share: the FHIR test, the folder check and an account's boxes. */
import { useEffect, useState } from 'react';
import type { FhirConnectionTest, FolderCheck, WatchFeed } from '../../../shared/api';
import { DeskClientError, getDeskClient } from '../api/client';

export function messageOf(error: unknown): string {
  if (error instanceof DeskClientError && error.issues.length) return error.issues.map((i) => i.message).join('; ');
  return error instanceof Error ? error.message : String(error);
}

/** What a watched folder is given, as a manager names it (set-up's radio group, the settings screen's list). */
export const WATCH_FEED_LABEL: Record<WatchFeed, string> = {
  export: "Report exports or Vision's appointments backup (CSV)",
  'emis-extract': 'EMIS extract (zip)',
  'systmone-extract': 'SystmOne extract (zip)',
};

const POLL_MS = 400;

/** "Test connection": reads today's book from the server (keeping nothing) and says what it found. */
export function FhirTest({ url, token, odsCode }: { url: string; token: string; odsCode: string }) {
  const [testId, setTestId] = useState<string | null>(null);
  const [result, setResult] = useState<FhirConnectionTest | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (testId === null) return;
    let stop = false;
    const look = async () => {
      try {
        const answer = await getDeskClient().send('getFhirConnectionTest', { testId });
        if (stop) return;
        setResult(answer);
        if (answer.state === 'running') setTimeout(() => void look(), POLL_MS);
      } catch (e) {
        if (!stop) setError(messageOf(e));
      }
    };
    void look();
    return () => {
      stop = true;
    };
  }, [testId]);

  const test = async () => {
    setError(null);
    setResult({ state: 'running' });
    try {
      const ods = odsCode.trim().toUpperCase();
      const started = await getDeskClient().send('testFhirConnection', {
        url: url.trim(),
        ...(token.trim() === '' ? {} : { token: token.trim() }),
        ...(/^[A-Z0-9]{3,10}$/.test(ods) ? { odsCode: ods } : {}),
      });
      setTestId(started.testId);
    } catch (e) {
      setResult(null);
      setError(messageOf(e));
    }
  };

  return (
    <div className="setup-check-row">
      <button type="button" className="button" onClick={() => void test()} data-testid="fhir-test">
        Test connection
      </button>
      <p
        role="status"
        data-testid="fhir-test-result"
        data-state={error ? 'failed' : (result?.state ?? 'none')}
        className={error || result?.state === 'failed' ? 'setup-bad' : 'setup-good'}
      >
        {error ?? describeTest(result)}
      </p>
    </div>
  );
}

function describeTest(result: FhirConnectionTest | null): string {
  if (result === null) return '';
  switch (result.state) {
    case 'running':
      return 'Asking the server for today’s book…';
    case 'failed':
      return `Not connected: ${result.message}`;
    case 'found': {
      const practice = result.practice ? `${result.practice.name}${result.practice.odsCode ? ` (${result.practice.odsCode})` : ''}` : 'no practice named';
      return `Connected. Found ${practice}: ${result.clinicians} clinician${result.clinicians === 1 ? '' : 's'} and ${result.appointmentsToday} appointment${result.appointmentsToday === 1 ? '' : 's'} today.`;
    }
  }
}

/** "Check folder": is it there, can it be written. Never creates it. */
export function FolderCheckButton({ dir, purpose }: { dir: string; purpose: 'pack' | 'backup' | 'watch' }) {
  const [check, setCheck] = useState<FolderCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setError(null);
    setCheck(null);
    try {
      setCheck(await getDeskClient().send('checkFolder', { dir, purpose }));
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const good = check !== null && check.exists && (purpose === 'watch' || check.writable);
  return (
    <div className="setup-check-row">
      <button type="button" className="button" onClick={() => void run()} disabled={dir.trim() === ''} data-testid={`check-${purpose}`}>
        Check folder
      </button>
      <p role="status" data-testid={`check-${purpose}-result`} className={good ? 'setup-good' : 'setup-bad'}>
        {error ?? check?.message ?? ''}
      </p>
    </div>
  );
}

export interface AccountDraft {
  username: string;
  displayName: string;
  kind: 'password' | 'pin';
  secret: string;
}

export function emptyAccount(kind: 'password' | 'pin' = 'password'): AccountDraft {
  return { username: '', displayName: '', kind, secret: '' };
}

export function AccountFields(props: { legend: string; idPrefix: string; value: AccountDraft; onChange: (next: AccountDraft) => void; autoFocus?: boolean }) {
  const { value, onChange, idPrefix } = props;
  const set = (patch: Partial<AccountDraft>) => onChange({ ...value, ...patch });
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      <label htmlFor={`${idPrefix}-username`}>Username</label>
      <input id={`${idPrefix}-username`} autoFocus={props.autoFocus} autoComplete="off" value={value.username} onChange={(e) => set({ username: e.target.value })} required />
      <label htmlFor={`${idPrefix}-name`}>Full name</label>
      <input id={`${idPrefix}-name`} value={value.displayName} onChange={(e) => set({ displayName: e.target.value })} required />
      <label htmlFor={`${idPrefix}-kind`}>Signs in with</label>
      <select id={`${idPrefix}-kind`} value={value.kind} onChange={(e) => set({ kind: e.target.value === 'pin' ? 'pin' : 'password' })}>
        <option value="password">a password (10 or more characters)</option>
        <option value="pin">a PIN (6 to 8 digits)</option>
      </select>
      <label htmlFor={`${idPrefix}-secret`}>{value.kind === 'pin' ? 'PIN' : 'Password'}</label>
      <input id={`${idPrefix}-secret`} type="password" autoComplete="new-password" value={value.secret} onChange={(e) => set({ secret: e.target.value })} required />
    </fieldset>
  );
}
