import { useEffect, useLayoutEffect, useRef, useState, type ReactElement } from 'react';
import type { GroupMemberView, GroupReview, GroupStatus, PairingCode } from '../../../shared/api';
import { localTimeOf } from '../../../shared/domain';
import { Modal } from '../components/Modal';
import { saveFile } from '../signin/AdminPanel';
import { getDeskClient } from '../api/client';
import { useUiStore } from '../state/ui-store';
import { groupedFingerprint, groupSummary, roleLabel } from './group-summary';
import { reviewReadWanted, useGroupStore, type GroupAction, type GroupReviewAction } from './group-store';
import { focusAfterDecision, reviewSection } from './GroupReview';
import { carryOnStep, rejoinStep, takeOverStep, type QuestionProps } from './GroupQuestions';

/**
 * The step of the screen that asks before acting: which desk to remove, whether to take over, to carry on alone
 * or to rejoin, or whether to make a desk's change over the group's (a conflict in the review).
 */
export type GroupStep = { kind: 'remove'; name: string } | { kind: 'take-over' } | { kind: 'carry-on' } | { kind: 'rejoin' } | { kind: 'apply-conflict'; seq: number } | null;

export interface GroupScreenActions {
  createPairingCode(): void;
  removeMember(name: string): void;
  takeOver(): void;
  carryOnAlone(): void;
  rejoinGroup(): void;
  resolveReviewItem(seq: number, action: GroupReviewAction): void;
  exportCertificate(): void;
}

export interface GroupScreenProps {
  status: GroupStatus | null;
  readProblem: string | null;
  /**
   * Pairing, removal, take-over and the certificate are a practice manager's (the desk refuses anyone else too);
   * null while the session is still being read.
   */
  isManager: boolean | null;
  pairing: PairingCode | null;
  busy: GroupAction | null;
  actionError: string | null;
  done: string | null;
  /** What this desk did while cut off (read for a manager only); null until read. */
  review: GroupReview | null;
  reviewProblem: string | null;
  step: GroupStep;
  onStep(step: GroupStep): void;
  actions: GroupScreenActions;
}

/**
 * The manager's group screen (N): the group, this desk's place in it, its members, and the actions, each by
 * keyboard (Tab to a button, Enter), the ones that cannot be undone asked first. Escape steps back out of a
 * question, then closes. The desk checks everything again: this screen only keeps people from asking in vain.
 */
export function GroupDialog() {
  const close = useUiStore((s) => s.close);
  const isManager = useIsManager();
  const group = useGroupStore();
  const [step, setStep] = useState<GroupStep>(null);
  const body = useRef<HTMLDivElement>(null);

  // A question opening or closing moves the keyboard to its first control: nobody is left on <body>. A
  // question about a review item gives the keyboard back to the review, where the person was.
  const stepKind = step?.kind ?? null;
  const firstRender = useRef(true);
  const lastStep = useRef<GroupStep>(null);
  useLayoutEffect(() => {
    const was = lastStep.current;
    lastStep.current = step;
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const root = body.current;
    if (root === null) return;
    if (step === null && was?.kind === 'apply-conflict') return focusAfterDecision(root, was.seq);
    root.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    // Only a change of question (or of the session's role) moves the keyboard, not a new status every 5 s.
  }, [stepKind, isManager]);

  // A decision takes its buttons away with it: the keyboard goes on to the next item instead of <body>.
  const decided = useRef<number | null>(null);
  useLayoutEffect(() => {
    const seq = decided.current;
    const root = body.current;
    if (seq === null || root === null || group.busy !== null) return;
    decided.current = null;
    const active = document.activeElement;
    if (active !== null && active !== document.body && root.contains(active)) return;
    focusAfterDecision(root, seq);
  }, [group.review, group.busy]);

  // The review is read when the screen opens for a manager, and again when its count moves (a rejoin, say).
  const reviewOpen = group.status?.reviewOpen ?? 0;
  useEffect(() => {
    const { review, refreshReview } = useGroupStore.getState();
    if (reviewReadWanted(isManager, review, reviewOpen)) void refreshReview();
  }, [isManager, reviewOpen]);

  const onClose = () => {
    if (step !== null) return setStep(null);
    group.clearScreen();
    close();
  };
  const actions: GroupScreenActions = {
    createPairingCode: () => void group.createPairingCode(),
    removeMember: (name) => void group.removeMember(name).then(() => setStep(null)),
    takeOver: () => void group.takeOver().then(() => setStep(null)),
    carryOnAlone: () => void group.carryOnAlone().then(() => setStep(null)),
    rejoinGroup: () => void group.rejoinGroup().then(() => setStep(null)),
    resolveReviewItem: (seq, action) => {
      decided.current = seq;
      void group.resolveReviewItem(seq, action).then(() => setStep(null));
    },
    exportCertificate: () => void group.exportCertificate(saveFile),
  };
  return (
    <Modal title="Desk group" onClose={onClose} wide testId="group-dialog">
      <div ref={body}>
        <GroupScreenBody
          status={group.status}
          readProblem={group.readProblem}
          isManager={isManager}
          pairing={group.pairing}
          busy={group.busy}
          actionError={group.actionError}
          done={group.done}
          review={group.review}
          reviewProblem={group.reviewProblem}
          step={step}
          onStep={setStep}
          actions={actions}
        />
      </div>
    </Modal>
  );
}

/** Whether a practice manager is signed in here, read when the screen opens; until known, no actions show. */
function useIsManager(): boolean | null {
  const [isManager, setIsManager] = useState<boolean | null>(null);
  useEffect(() => {
    let open = true;
    getDeskClient()
      .send('getSession', {})
      .then(
        (session) => open && setIsManager(session.role === 'manager'),
        () => undefined,
      );
    return () => {
      open = false;
    };
  }, []);
  return isManager;
}

/** The screen itself, from what it is given: no state and no hooks of its own, so it is tested without a page. */
export function GroupScreenBody(props: GroupScreenProps): ReactElement {
  const { status, readProblem, actionError, done } = props;
  return (
    <div className="group-screen" data-testid="group-screen">
      {readProblem !== null ? (
        <p className="group-screen__warning" role="status" data-testid="group-read-problem">
          The group status could not be read: {readProblem}
        </p>
      ) : null}
      {actionError !== null ? (
        <p className="group-screen__error" role="alert" data-testid="group-action-error">
          {actionError}
        </p>
      ) : null}
      <p className="visually-hidden" role="status">
        {done ?? ''}
      </p>
      {status === null ? <p role="status">Reading the group…</p> : status.role === 'standalone' ? standalone(props) : inGroup(status, props)}
    </div>
  );
}

function standalone(props: GroupScreenProps): ReactElement {
  return (
    <>
      <p data-testid="group-standalone" {...(props.step === null ? { tabIndex: -1, 'data-autofocus': '' } : {})}>
        This desk is not in a group: it holds its own copy of the day and no other PC shares it.
      </p>
      <p className="muted">
        A manager makes this data folder the coordinator of a new group with <code>standby-desk group create --name NAME</code>, and joins another PC with{' '}
        <code>standby-desk group join ADDRESS --code CODE --name NAME</code>. See the README.
      </p>
    </>
  );
}

function inGroup(status: GroupStatus, props: GroupScreenProps): ReactElement {
  const summary = groupSummary(status);
  return (
    <>
      {summary?.warning ? (
        <p className={summary.tone === 'alert' ? 'group-screen__error' : 'group-screen__warning'} data-testid="group-screen-warning">
          {summary.warning}
        </p>
      ) : null}
      {status.carryingOnSince !== null ? (
        <p data-testid="group-carrying-on">
          Carrying on alone since <time dateTime={status.carryingOnSince}>{localTimeOf(status.carryingOnSince)}</time> (London time). Its changes are kept on this desk and listed
          for review when it rejoins the group.
        </p>
      ) : null}
      <dl className="group-screen__facts" data-testid="group-facts">
        <dt>Group</dt>
        <dd data-testid="group-name">{status.groupName ?? '(unnamed)'}</dd>
        <dt>This desk</dt>
        <dd data-testid="group-this-desk">{status.thisDesk ?? '(unnamed)'}</dd>
        <dt>Role</dt>
        <dd data-testid="group-role">{roleLabel(status)}</dd>
        <dt>Epoch</dt>
        <dd data-testid="group-epoch">{status.epoch}</dd>
        <dt>Coordinator</dt>
        <dd data-testid="group-coordinator">
          {status.coordinator ? `${status.coordinator.name}${status.coordinator.address ? ` (${status.coordinator.address})` : ''}` : 'not known'}
          {status.lastHeardAt !== null ? `, last heard ${localTimeOf(status.lastHeardAt)}` : ''}
        </dd>
        <dt>Changes held</dt>
        <dd data-testid="group-seq">
          {status.seq}
          {status.lag > 0 ? ` (${status.lag} behind the coordinator)` : ''}
        </dd>
        <dt>Certificate fingerprint</dt>
        <dd className="group-screen__fingerprint" data-testid="group-fingerprint">
          {status.fingerprint === null ? 'none' : groupedFingerprint(status.fingerprint)}
        </dd>
      </dl>
      {membersTable(status.members)}
      {stepOrActions(status, props)}
      {reviewSection({
        reviewOpen: status.reviewOpen,
        review: props.review,
        reviewProblem: props.reviewProblem,
        isManager: props.isManager,
        busy: props.busy,
        asking: props.step?.kind === 'apply-conflict' ? props.step.seq : null,
        otherQuestion: props.step !== null && props.step.kind !== 'apply-conflict',
        onAsk: (seq) => props.onStep(seq === null ? null : { kind: 'apply-conflict', seq }),
        resolve: props.actions.resolveReviewItem,
      })}
    </>
  );
}

function question(props: GroupScreenProps, action: GroupAction, onConfirm: () => void): QuestionProps {
  return { busy: props.busy !== null, asking: props.busy === action, onConfirm, onCancel: () => props.onStep(null) };
}

/** The open question, or the actions when none is open; a review item's question sits in the review. */
function stepOrActions(status: GroupStatus, props: GroupScreenProps): ReactElement | null {
  const { step } = props;
  switch (step?.kind) {
    case undefined:
      return mainActions(status, props);
    case 'remove':
      return removeStep(status, step.name, props);
    case 'take-over':
      return takeOverStep(status, question(props, 'take-over', props.actions.takeOver));
    case 'carry-on':
      return carryOnStep(status, question(props, 'carry-on', props.actions.carryOnAlone));
    case 'rejoin':
      return rejoinStep(status, question(props, 'rejoin', props.actions.rejoinGroup));
    case 'apply-conflict':
      return null;
  }
}

function membersTable(members: readonly GroupMemberView[]): ReactElement {
  return (
    <table className="group-screen__members" data-testid="group-members">
      <caption className="visually-hidden">Desks in the group</caption>
      <thead>
        <tr>
          <th scope="col">Desk</th>
          <th scope="col">Coordinator</th>
          <th scope="col">Online</th>
          <th scope="col">Last seen</th>
          <th scope="col">Changes held</th>
          <th scope="col">This desk</th>
        </tr>
      </thead>
      <tbody>
        {members.map((m) => (
          <tr key={m.id} data-testid="group-member" data-member={m.name}>
            <th scope="row">{m.name}</th>
            <td>{m.coordinator ? 'Coordinator' : ''}</td>
            <td>{m.online ? 'Online' : 'Offline'}</td>
            <td>{m.lastSeen === null ? '—' : <time dateTime={m.lastSeen}>{localTimeOf(m.lastSeen)}</time>}</td>
            <td>{m.replicatedSeq}</td>
            <td>{m.thisDesk ? 'This desk' : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Members a coordinator may remove: not itself. */
export function removableMembers(status: GroupStatus): GroupMemberView[] {
  return status.members.filter((m) => !m.thisDesk && !m.coordinator);
}

function mainActions(status: GroupStatus, props: GroupScreenProps): ReactElement {
  const { isManager, busy, pairing, actions, onStep } = props;
  if (isManager === null) return <></>;
  if (!isManager) {
    return (
      <p className="muted" data-testid="group-manager-only" tabIndex={-1} data-autofocus="">
        Pairing a desk, removing one, taking over, carrying on alone, rejoining and the review of changes made while cut off are for a practice manager.
      </p>
    );
  }
  const coordinator = status.role === 'coordinator';
  const first = removableMembers(status)[0];
  const buttons: Array<{ testId: string; label: string; kind: string; onClick: () => void }> = [];
  if (coordinator) {
    const label = busy === 'pairing' ? 'Making a code…' : pairing ? 'New pairing code' : 'Show pairing code';
    buttons.push({ testId: 'group-pairing', label, kind: 'button', onClick: actions.createPairingCode });
    if (first) buttons.push({ testId: 'group-remove', label: 'Remove member…', kind: 'button button--secondary', onClick: () => onStep({ kind: 'remove', name: first.name }) });
  }
  buttons.push({ testId: 'group-export', label: 'Export certificate', kind: 'button button--secondary', onClick: actions.exportCertificate });
  // Last, so the keyboard never starts on them: a take-over is for a coordinator that is down, carrying on alone
  // for a network that is, and rejoining ends working alone; each is asked again first. A desk already carrying on
  // alone neither takes over nor carries on again: it rejoins.
  const carryingOn = status.carryingOnSince !== null;
  if (status.role === 'member' && !carryingOn) {
    buttons.push({ testId: 'group-take-over', label: 'Take over…', kind: 'button button--warning', onClick: () => onStep({ kind: 'take-over' }) });
    if (status.state === 'coordinator-lost') {
      buttons.push({ testId: 'group-carry-on', label: 'Carry on alone…', kind: 'button button--warning', onClick: () => onStep({ kind: 'carry-on' }) });
    }
  }
  if (carryingOn) buttons.push({ testId: 'group-rejoin', label: 'Rejoin the group…', kind: 'button button--warning', onClick: () => onStep({ kind: 'rejoin' }) });
  return (
    <>
      {pairing ? pairingCode(pairing) : null}
      <div className="group-screen__actions" role="group" aria-label="Group actions">
        {buttons.map((b, i) => (
          // The first action has the keyboard when the screen opens, and again when a question closes.
          <button
            key={b.testId}
            type="button"
            className={b.kind}
            data-testid={b.testId}
            disabled={busy !== null}
            onClick={b.onClick}
            {...(i === 0 ? { 'data-autofocus': '' } : {})}
          >
            {b.label}
          </button>
        ))}
      </div>
      <p className="muted">
        {coordinator ? 'A new pairing code stops the last one working; it lasts 10 minutes and 5 wrong tries void it. ' : ''}
        The certificate is for the practice&apos;s IT, to trust this group&apos;s address in browsers on other PCs.
      </p>
    </>
  );
}

function pairingCode(pairing: PairingCode): ReactElement {
  return (
    <section aria-labelledby="group-pairing-title" data-testid="group-pairing-code">
      <h3 id="group-pairing-title">Pairing code</h3>
      <p className="group-screen__code" aria-label={`Pairing code ${pairing.code.split('').join(' ')}`}>
        {pairing.code}
      </p>
      <p>
        Valid until <time dateTime={pairing.expiresAt}>{localTimeOf(pairing.expiresAt)}</time>, once. On the joining PC:{' '}
        <code>
          standby-desk group join {pairing.address ?? 'THIS-PC:4781'} --code {pairing.code} --name NAME
        </code>
        {pairing.address === null ? " (this desk does not know its own address: use this PC's name or IP address)" : ''}
      </p>
    </section>
  );
}

function removeStep(status: GroupStatus, name: string, props: GroupScreenProps): ReactElement {
  const { busy, actions, onStep } = props;
  const removable = removableMembers(status);
  return (
    <section aria-labelledby="group-remove-title" data-testid="group-remove-step">
      <h3 id="group-remove-title">Remove a desk from the group</h3>
      <label className="field">
        <span>Desk to remove</span>
        <select value={name} onChange={(e) => onStep({ kind: 'remove', name: e.target.value })} data-testid="group-remove-choice" data-autofocus="">
          {removable.map((m) => (
            <option key={m.id} value={m.name}>
              {m.name}
              {m.online ? ' (online)' : ''}
            </option>
          ))}
        </select>
      </label>
      <p>
        {name} will be refused from then on: it keeps its own copy of the day, and rejoining needs a new pairing code. Its changes the coordinator already holds stay in the group.
      </p>
      <div className="modal__buttons">
        <button type="button" className="button button--warning" data-testid="group-remove-confirm" disabled={busy !== null} onClick={() => actions.removeMember(name)}>
          {busy === 'remove' ? 'Removing…' : `Remove ${name}`}
        </button>
        <button type="button" className="button button--secondary" data-testid="group-step-cancel" onClick={() => onStep(null)}>
          Cancel
        </button>
      </div>
    </section>
  );
}
