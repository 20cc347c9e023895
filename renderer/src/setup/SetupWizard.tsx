/**
 * First run (issue 20 item 1): from an empty data folder to a working desk, one question at a time, all by
 * keyboard: each step is a form whose first box has the cursor, Enter goes on, and Back goes back. Nothing is
 * saved until the last step, which saves the settings, creates the first manager (and a receptionist, if given)
 * and signs the manager in (completeSetup), and starts the desk group here if that was chosen.
 *
 * The desk group comes first: a desk that joins the practice's group takes everything else from the coordinator,
 * so it is paired there and then (joinGroupInSetup) and goes to sign-in, with no other question asked.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import type { BookSource, GroupSetupProgress, PracticeSettings, SessionInfo, WatchFeed } from '../../../shared/api';
import { DeskClientError, getDeskClient } from '../api/client';
import { rememberLastUser } from '../signin/last-user';
import { AccountFields, emptyAccount, FhirTest, FolderCheckButton, messageOf, type AccountDraft } from './setup-parts';
import { emptyGroupDraft, GroupChoice, GroupJoined, GroupStarted, groupSetupSettled, type GroupDraft } from './GroupStep';
import { SetupMappingOffer, setupOffersMapping, WatchStep } from './WatchStep';
import './setup.css';

const STEPS = ['The desk group', 'The practice', 'Where the book comes from', 'The outage pack', 'Backups', 'The first accounts'] as const;

/** What came of the group chosen: the wizard then shows it instead of the steps. */
type Outcome =
  | { kind: 'started'; session: SessionInfo; progress: GroupSetupProgress }
  | { kind: 'joined'; progress: Extract<GroupSetupProgress, { state: 'joined' }> }
  /** Set up, with a folder given CSV exports: the mapping screen is offered before the desk. */
  | { kind: 'mapping'; session: SessionInfo };

export function SetupWizard({ onDone, onJoined }: { onDone: (session: SessionInfo) => void; onJoined: () => void }) {
  const [step, setStep] = useState(0);
  const [group, setGroup] = useState<GroupDraft>(emptyGroupDraft());
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [name, setName] = useState('');
  const [ods, setOds] = useState('');
  const [bookKind, setBookKind] = useState<BookSource['kind']>('fhir');
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [everyMinutes, setEveryMinutes] = useState('5');
  const [watchDir, setWatchDir] = useState('');
  const [watchFeed, setWatchFeed] = useState<WatchFeed>('export');
  const [packDir, setPackDir] = useState('');
  const [packDays, setPackDays] = useState<1 | 2>(2);
  const [backupDir, setBackupDir] = useState('');
  const [manager, setManager] = useState<AccountDraft>(emptyAccount());
  const [addReceptionist, setAddReceptionist] = useState(false);
  const [receptionist, setReceptionist] = useState<AccountDraft>(emptyAccount('pin'));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const settings = (): PracticeSettings => ({
    practice: { name, odsCode: ods },
    book:
      bookKind === 'fhir' ? { kind: 'fhir', url, everyMinutes: Number(everyMinutes) } : bookKind === 'watch' ? { kind: 'watch', dir: watchDir, feed: watchFeed } : { kind: 'none' },
    pack: packDir.trim() === '' ? null : { dir: packDir, days: packDays },
    backup: backupDir.trim() === '' ? null : { dir: backupDir, everyMinutes: 15 },
  });

  const next = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (step === 0 && group.kind === 'join') void join();
    else setStep((s) => Math.min(s + 1, STEPS.length - 1));
  };

  const join = async () => {
    setBusy(true);
    try {
      await getDeskClient().send('joinGroupInSetup', { address: group.address, code: group.code, deskName: group.deskName });
      const progress = await groupSetupSettled();
      if (progress.state === 'joined') setOutcome({ kind: 'joined', progress });
      else setError(progress.state === 'failed' ? progress.message : 'The desk could not join the group.');
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const back = () => {
    setError(null);
    setStep((s) => Math.max(0, s - 1));
  };

  const afterSetup = (session: SessionInfo) => (setupOffersMapping(settings().book) ? setOutcome({ kind: 'mapping', session }) : onDone(session));

  const finish = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const account = (a: AccountDraft) => ({ username: a.username, displayName: a.displayName, secret: { kind: a.kind, value: a.secret } });
      const session = await getDeskClient().send('completeSetup', {
        settings: settings(),
        ...(bookKind === 'fhir' && token.trim() !== '' ? { fhirToken: token } : {}),
        manager: account(manager),
        ...(addReceptionist ? { receptionist: account(receptionist) } : {}),
        ...(group.kind === 'start' ? { startGroup: { deskName: group.deskName } } : {}),
      });
      rememberLastUser(session.user);
      if (group.kind === 'start') setOutcome({ kind: 'started', session, progress: await groupSetupSettled().catch((e: unknown) => failedStart(e)) });
      else afterSetup(session);
    } catch (e) {
      setError(e instanceof DeskClientError && e.issues.length ? e.issues.map((i) => `${i.path}: ${i.message}`).join('; ') : messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const body: Record<number, ReactNode> = {
    0: <GroupChoice value={group} onChange={setGroup} />,
    1: (
      <>
        <p>Standby Desk keeps a copy of the practice&apos;s appointment book, so reception can carry on if the clinical system goes down.</p>
        <label htmlFor="setup-practice-name">Practice name</label>
        <input id="setup-practice-name" autoFocus value={name} onChange={(e) => setName(e.target.value)} required />
        <label htmlFor="setup-ods">ODS code (for example A12345)</label>
        <input id="setup-ods" value={ods} onChange={(e) => setOds(e.target.value.toUpperCase())} required pattern="[A-Za-z0-9]{3,10}" />
      </>
    ),
    2: (
      <>
        <fieldset>
          <legend>The book comes from</legend>
          <label>
            <input type="radio" name="book" autoFocus={bookKind === 'fhir'} checked={bookKind === 'fhir'} onChange={() => setBookKind('fhir')} /> the clinical system&apos;s FHIR
            server
          </label>
          <label>
            <input type="radio" name="book" autoFocus={bookKind === 'watch'} checked={bookKind === 'watch'} onChange={() => setBookKind('watch')} /> a watched folder: exports or
            extracts the clinical system writes into it
          </label>
          <label>
            <input type="radio" name="book" autoFocus={bookKind === 'none'} checked={bookKind === 'none'} onChange={() => setBookKind('none')} /> neither yet (import files by hand)
          </label>
        </fieldset>
        {bookKind === 'fhir' ? (
          <>
            <label htmlFor="setup-fhir-url">FHIR server address</label>
            <input id="setup-fhir-url" value={url} onChange={(e) => setUrl(e.target.value)} required placeholder="https://gp-system.example/fhir/R4" />
            <label htmlFor="setup-fhir-token">Access token (leave empty if the server needs none; kept encrypted in the desk&apos;s database)</label>
            <input id="setup-fhir-token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />
            <label htmlFor="setup-fhir-every">Pull every (minutes)</label>
            <input id="setup-fhir-every" type="number" min={1} max={60} value={everyMinutes} onChange={(e) => setEveryMinutes(e.target.value)} required />
            <FhirTest url={url} token={token} odsCode={ods} />
          </>
        ) : null}
        {bookKind === 'watch' ? <WatchStep feed={watchFeed} onFeed={setWatchFeed} dir={watchDir} onDir={setWatchDir} /> : null}
      </>
    ),
    3: (
      <>
        <p>
          After every refresh the desk writes the day as PDFs to a second place, so another PC can print it if this one fails too. Use a share or a USB stick that is plugged in
          now: Standby Desk never creates the folder.
        </p>
        <label htmlFor="setup-pack-dir">Outage pack folder (leave empty for none yet)</label>
        <input id="setup-pack-dir" autoFocus value={packDir} onChange={(e) => setPackDir(e.target.value)} />
        <FolderCheckButton dir={packDir} purpose="pack" />
        <label htmlFor="setup-pack-days">Days in the pack</label>
        <select id="setup-pack-days" value={packDays} onChange={(e) => setPackDays(e.target.value === '1' ? 1 : 2)}>
          <option value={2}>today and the next working day</option>
          <option value={1}>today only</option>
        </select>
      </>
    ),
    4: (
      <>
        <p>Backups of the desk&apos;s database are taken every 15 minutes. Put them on a second disk or a share: a backup on this disk is lost with it.</p>
        <label htmlFor="setup-backup-dir">Backup folder (leave empty for the data folder&apos;s own, on this disk)</label>
        <input id="setup-backup-dir" autoFocus value={backupDir} onChange={(e) => setBackupDir(e.target.value)} />
        <FolderCheckButton dir={backupDir} purpose="backup" />
      </>
    ),
    5: (
      <>
        <AccountFields legend="The practice manager (sets up and changes everything)" idPrefix="setup-manager" value={manager} onChange={setManager} autoFocus />
        <label className="setup-check">
          <input type="checkbox" checked={addReceptionist} onChange={(e) => setAddReceptionist(e.target.checked)} /> also add a receptionist now
        </label>
        {addReceptionist ? <AccountFields legend="A receptionist" idPrefix="setup-receptionist" value={receptionist} onChange={setReceptionist} /> : null}
      </>
    ),
  };

  const last = step === STEPS.length - 1;
  if (outcome?.kind === 'joined') return <GroupJoined joined={outcome.progress} onSignIn={onJoined} />;
  if (outcome?.kind === 'started') return <GroupStarted first={outcome.progress} onContinue={() => afterSetup(outcome.session)} />;
  if (outcome?.kind === 'mapping') return <SetupMappingOffer onDone={() => onDone(outcome.session)} />;
  return (
    <main className="main signin">
      {/* A new form per step, so the step's first box (autoFocus) gets the cursor. */}
      <form key={step} className="signin-form setup-form" onSubmit={(e) => void (last ? finish(e) : next(e))} aria-labelledby="setup-title" data-testid={`setup-step-${step + 1}`}>
        <h1 id="setup-title">Set up Standby Desk</h1>
        <p className="setup-progress">
          Step {step + 1} of {STEPS.length}: <strong>{STEPS[step]}</strong>
        </p>
        {body[step]}
        {error ? (
          <p className="signin-error" role="alert">
            {error}
          </p>
        ) : null}
        <p className="setup-buttons">
          {step > 0 ? (
            <button type="button" className="button" onClick={back}>
              Back
            </button>
          ) : null}
          <button type="submit" className="button button-primary" disabled={busy} data-testid="setup-next">
            {last ? 'Finish set-up and sign in' : step === 0 && group.kind === 'join' ? (busy ? 'Joining…' : 'Join the group') : 'Next'}
          </button>
        </p>
      </form>
    </main>
  );
}

function failedStart(error: unknown): GroupSetupProgress {
  return { state: 'failed', action: 'start', message: `Standby Desk is set up, but how the desk group went could not be read (${messageOf(error)}): see the Desk group screen.` };
}
