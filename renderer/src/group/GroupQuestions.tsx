/**
 * The group screen's yes-or-no questions before an action that cannot be undone: taking over, carrying on alone,
 * rejoining. Each says plainly what will happen, its confirm button has the keyboard (described by that text), and
 * Cancel (or Escape) steps back to the actions.
 */
import type { ReactElement, ReactNode } from 'react';
import type { GroupStatus } from '../../../shared/api';

export interface QuestionProps {
  /** An action is waiting for the desk: the confirm button waits too. */
  busy: boolean;
  /** This question's own action is the one waiting: its button says so. */
  asking: boolean;
  onConfirm(): void;
  onCancel(): void;
}

function question(id: string, title: string, what: ReactNode, rest: ReactNode, confirm: { label: string; waiting: string }, props: QuestionProps): ReactElement {
  return (
    <section aria-labelledby={`group-${id}-title`} data-testid={`group-${id}-step`}>
      <h3 id={`group-${id}-title`}>{title}</h3>
      <p id={`group-${id}-what`}>{what}</p>
      {rest}
      <div className="modal__buttons">
        <button
          type="button"
          className="button button--warning"
          data-testid={`group-${id}-confirm`}
          aria-describedby={`group-${id}-what`}
          disabled={props.busy}
          onClick={props.onConfirm}
          data-autofocus=""
        >
          {props.asking ? confirm.waiting : confirm.label}
        </button>
        <button type="button" className="button button--secondary" data-testid="group-step-cancel" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}

const coordinatorOf = (status: GroupStatus) => status.coordinator?.name ?? 'the coordinator';

export function takeOverStep(status: GroupStatus, props: QuestionProps): ReactElement {
  const coordinator = coordinatorOf(status);
  return question(
    'take-over',
    'Take over as coordinator',
    <>
      This desk ({status.thisDesk ?? 'this PC'}) becomes the coordinator, from the changes it holds, with a new epoch ({status.epoch + 1}). The other desks follow it. If{' '}
      {coordinator} comes back it stops writing, and anything it held that the group lacks goes to a review.
    </>,
    <>
      <p>Only do this when {coordinator} is really gone (switched off, crashed or cut off): there must never be two coordinators.</p>
      {status.state !== 'coordinator-lost' ? (
        <p className="group-screen__warning" data-testid="group-take-over-heard">
          {coordinator} is still heard: the desk will refuse to take over while it answers.
        </p>
      ) : null}
    </>,
    { label: 'Take over: make this desk the coordinator', waiting: 'Taking over…' },
    props,
  );
}

export function carryOnStep(status: GroupStatus, props: QuestionProps): ReactElement {
  return question(
    'carry-on',
    'Carry on alone',
    <>
      The coordinator cannot be reached. This desk will make changes on its own copy; they are kept and shown for review when it rejoins the group. Other desks will not see them
      until then.
    </>,
    <>
      <p>Only if the network is down and nobody can take over.</p>
      {status.state !== 'coordinator-lost' ? (
        <p className="group-screen__warning" data-testid="group-carry-on-heard">
          {coordinatorOf(status)} is heard again: this desk can follow the group as it is, without carrying on alone.
        </p>
      ) : null}
    </>,
    { label: 'Carry on alone: make changes on this desk only', waiting: 'Carrying on…' },
    props,
  );
}

export function rejoinStep(status: GroupStatus, props: QuestionProps): ReactElement {
  return question(
    'rejoin',
    'Rejoin the group',
    <>This desk&apos;s copy becomes the group&apos;s again; what it did while cut off is listed for review.</>,
    <p>While {coordinatorOf(status)} cannot be reached the desk refuses to rejoin: try again once the network is back.</p>,
    { label: 'Rejoin the group', waiting: 'Rejoining…' },
    props,
  );
}
