import { useEffect, useLayoutEffect, useRef, useState, type ReactElement } from 'react';
import type { GroupMemberView, GroupStatus, PairingCode } from '../../../shared/api';
import { localTimeOf } from '../../../shared/domain';
import { Modal } from '../components/Modal';
import { saveFile } from '../signin/AdminPanel';
import { getDeskClient } from '../api/client';
import { useUiStore } from '../state/ui-store';
import { groupedFingerprint, groupSummary, roleLabel } from './group-summary';
import { useGroupStore, type GroupAction } from './group-store';

/** The step of the screen that asks before acting: which desk to remove, or whether to take over. */
export type GroupStep = { kind: 'remove'; name: string } | { kind: 'take-over' } | null;

export interface GroupScreenActions {
  createPairingCode(): void;
  removeMember(name: string): void;
  takeOver(): void;
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

  // A question opening or closing moves the keyboard to its first control: nobody is left on <body>.
  const stepKind = step?.kind ?? null;
  const firstRender = useRef(true);
  useLayoutEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    body.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }, [stepKind, isManager]);

  const onClose = () => {
    if (step !== null) return setStep(null);
    group.clearScreen();
    close();
  };
  const actions: GroupScreenActions = {
    createPairingCode: () => void group.createPairingCode(),
    removeMember: (name) => void group.removeMember(name).then(() => setStep(null)),
    takeOver: () => void group.takeOver().then(() => setStep(null)),
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
      {props.step === null ? mainActions(status, props) : props.step.kind === 'remove' ? removeStep(status, props.step.name, props) : takeOverStep(status, props)}
    </>
  );
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
        Pairing a desk, removing one and taking over are for a practice manager.
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
  // Last, so the keyboard never starts on it: a take-over is for a coordinator that is down, and asked again first.
  if (status.role === 'member') buttons.push({ testId: 'group-take-over', label: 'Take over…', kind: 'button button--warning', onClick: () => onStep({ kind: 'take-over' }) });
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

function takeOverStep(status: GroupStatus, props: GroupScreenProps): ReactElement {
  const { busy, actions, onStep } = props;
  const coordinator = status.coordinator?.name ?? 'the coordinator';
  const stillHeard = status.state !== 'coordinator-lost';
  return (
    <section aria-labelledby="group-take-over-title" data-testid="group-take-over-step">
      <h3 id="group-take-over-title">Take over as coordinator</h3>
      <p id="group-take-over-what">
        This desk ({status.thisDesk ?? 'this PC'}) becomes the coordinator, from the changes it holds, with a new epoch ({status.epoch + 1}). The other desks follow it. If{' '}
        {coordinator} comes back it stops writing, and anything it held that the group lacks goes to a review.
      </p>
      <p>Only do this when {coordinator} is really gone (switched off, crashed or cut off): there must never be two coordinators.</p>
      {stillHeard ? (
        <p className="group-screen__warning" data-testid="group-take-over-heard">
          {coordinator} is still heard: the desk will refuse to take over while it answers.
        </p>
      ) : null}
      <div className="modal__buttons">
        <button
          type="button"
          className="button button--warning"
          data-testid="group-take-over-confirm"
          aria-describedby="group-take-over-what"
          disabled={busy !== null}
          onClick={actions.takeOver}
          data-autofocus=""
        >
          {busy === 'take-over' ? 'Taking over…' : 'Take over: make this desk the coordinator'}
        </button>
        <button type="button" className="button button--secondary" data-testid="group-step-cancel" onClick={() => onStep(null)}>
          Cancel
        </button>
      </div>
    </section>
  );
}
