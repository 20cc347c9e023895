/**
 * The review on the group screen: what this desk did while it carried on alone, each change held against the
 * group's day after it rejoined, and a manager's decision on each (make the desk's change, keep the group's, or
 * say a by-hand change was keyed). A change made on both sides is marked, and making the desk's asks first.
 * Plain functions returning elements, like the rest of the screen, so it is tested without a page.
 */
import type { ReactElement } from 'react';
import type { GroupReview, GroupReviewItem } from '../../../shared/api';
import { DESK_STATUS_LABEL, DESK_STATUSES, localTimeOf, type DeskStatus } from '../../../shared/domain';
import { plural } from '../day/format';
import { isOpenReviewItem, openReviewCount, type GroupAction, type GroupReviewAction } from './group-store';

export interface GroupReviewProps {
  reviewOpen: number;
  review: GroupReview | null;
  reviewProblem: string | null;
  /** Decisions are a practice manager's; null while the session is still being read (no buttons then). */
  isManager: boolean | null;
  busy: GroupAction | null;
  /** The conflict whose "Make this change" is being asked about; null when no question is open. */
  asking: number | null;
  /** Another question of the screen is open: the decisions wait until it is answered. */
  otherQuestion: boolean;
  onAsk(seq: number | null): void;
  resolve(seq: number, action: GroupReviewAction): void;
}

/** The id of the review's heading: the keyboard lands there when the last open item was decided. */
export const REVIEW_TITLE_ID = 'group-review-title';

/** A desk status in the words the day board uses ("Arrived late"); anything else as the desk sent it. */
export function statusWord(status: string): string {
  return (DESK_STATUSES as readonly string[]).includes(status) ? DESK_STATUS_LABEL[status as DeskStatus] : status;
}

/** The state column: what is left to do, or who decided and when. */
export function reviewStateLabel(item: GroupReviewItem): string {
  const by = `${item.decidedBy ?? 'someone'}${item.decidedAt === null ? '' : ` at ${localTimeOf(item.decidedAt)}`}`;
  switch (item.state) {
    case 'clean':
      return 'Ready: the group has not changed it';
    case 'conflict':
      return `Changed on both sides: the group's is ${item.groupStatus === null ? 'different' : statusWord(item.groupStatus)}`;
    case 'by-hand':
      return 'Key by hand';
    case 'applied':
      return `Made by ${by}`;
    case 'kept-group':
      return `Group's kept by ${by}`;
    case 'keyed':
      return `Keyed by ${by}`;
  }
}

/** A decision button's accessible name: its visible words, then the patient (or the change) and the time. */
export function decisionName(label: string, item: GroupReviewItem): string {
  return `${label} (${item.patientName ?? item.summary}, ${localTimeOf(item.at)})`;
}

export function reviewSection(props: GroupReviewProps): ReactElement | null {
  const { review, reviewOpen } = props;
  if (reviewOpen === 0 && (review?.items.length ?? 0) === 0) return null;
  if (props.isManager !== true) {
    return (
      <p className="group-screen__warning" data-testid="group-review-waiting">
        {plural(reviewOpen, 'change', 'changes')} made while this desk was cut off {reviewOpen === 1 ? 'waits' : 'wait'} for a practice manager&apos;s review.
      </p>
    );
  }
  const open = review === null ? reviewOpen : openReviewCount(review);
  return (
    <section aria-labelledby={REVIEW_TITLE_ID} data-testid="group-review">
      <h3 id={REVIEW_TITLE_ID} tabIndex={-1}>
        Changes made while cut off
      </h3>
      <p>
        {review?.rejoinedAt ? `This desk rejoined the group at ${localTimeOf(review.rejoinedAt)} (London time). ` : ''}
        {open === 0 ? 'All decided.' : `${open} to decide: make the desk's change in the group, keep the group's, or key it by hand and say so.`}
      </p>
      {props.reviewProblem !== null ? (
        <p className="group-screen__warning" role="status" data-testid="group-review-problem">
          The review could not be read: {props.reviewProblem}
        </p>
      ) : null}
      {review === null ? <p role="status">Reading the review…</p> : reviewTable(review.items, props)}
      {props.asking !== null
        ? applyConflictStep(
            review?.items.find((i) => i.seq === props.asking),
            props,
          )
        : null}
    </section>
  );
}

function reviewTable(items: readonly GroupReviewItem[], props: GroupReviewProps): ReactElement {
  // While a question is open its buttons are the only ones: an answer is never given to the wrong question.
  const deciding = props.asking === null && !props.otherQuestion;
  return (
    <table className="group-screen__members group-review" data-testid="group-review-table">
      <caption className="visually-hidden">Changes this desk made while cut off, and what became of them</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Who</th>
          <th scope="col">Patient</th>
          <th scope="col">What the desk did</th>
          <th scope="col">The group&apos;s now</th>
          <th scope="col">State</th>
          <th scope="col">Decision</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.seq} className={`group-review__item group-review__item--${item.state}`} data-testid="group-review-item" data-seq={item.seq} data-state={item.state}>
            <td>
              <time dateTime={item.at}>{localTimeOf(item.at)}</time>
            </td>
            <td>{item.user}</td>
            <th scope="row">{item.patientName ?? '—'}</th>
            <td>{item.summary}</td>
            <td>{item.groupStatus === null ? '—' : statusWord(item.groupStatus)}</td>
            <td>{item.state === 'conflict' ? <strong>{reviewStateLabel(item)}</strong> : reviewStateLabel(item)}</td>
            <td>{deciding && isOpenReviewItem(item) ? decisionButtons(item, props) : null}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function decisionButtons(item: GroupReviewItem, props: GroupReviewProps): ReactElement {
  const { busy, resolve, onAsk } = props;
  const buttons: Array<{ testId: string; label: string; kind: string; onClick: () => void }> =
    item.state === 'by-hand'
      ? [{ testId: 'keyed', label: 'Keyed', kind: 'button', onClick: () => resolve(item.seq, 'keyed') }]
      : [
          item.state === 'conflict'
            ? { testId: 'apply', label: 'Make this change…', kind: 'button button--warning', onClick: () => onAsk(item.seq) }
            : { testId: 'apply', label: 'Make this change', kind: 'button', onClick: () => resolve(item.seq, 'apply') },
          { testId: 'keep', label: "Keep the group's", kind: 'button button--secondary', onClick: () => resolve(item.seq, 'keep-group') },
        ];
  return (
    <div className="group-review__decision" role="group" aria-label={`Decision on ${item.patientName ?? item.summary}`}>
      {buttons.map((b, i) => (
        <button
          key={b.testId}
          type="button"
          className={b.kind}
          data-testid={`group-review-${b.testId}-${item.seq}`}
          aria-label={decisionName(b.label, item)}
          disabled={busy !== null}
          onClick={b.onClick}
          // The row's first button is where the keyboard goes back to after a decision (GroupDialog).
          {...(i === 0 ? { 'data-review-first': '', 'data-seq': item.seq } : {})}
        >
          {b.label}
        </button>
      ))}
    </div>
  );
}

function applyConflictStep(item: GroupReviewItem | undefined, props: GroupReviewProps): ReactElement {
  const { busy, resolve, onAsk } = props;
  const cancel = (
    <button
      type="button"
      className="button button--secondary"
      data-testid="group-step-cancel"
      onClick={() => onAsk(null)}
      {...(item?.state === 'conflict' ? {} : { 'data-autofocus': '' })}
    >
      {item?.state === 'conflict' ? 'Cancel' : 'Back'}
    </button>
  );
  if (item?.state !== 'conflict') {
    return (
      <section aria-labelledby="group-apply-title" data-testid="group-apply-step">
        <h4 id="group-apply-title">Make the desk&apos;s change</h4>
        <p>That change is no longer waiting for a decision: it was decided meanwhile.</p>
        <div className="modal__buttons">{cancel}</div>
      </section>
    );
  }
  const who = item.patientName ?? 'this appointment';
  const groupNow = item.groupStatus === null ? 'something else' : statusWord(item.groupStatus);
  const deskSet = item.deskStatus === null ? 'its change' : statusWord(item.deskStatus);
  return (
    <section aria-labelledby="group-apply-title" data-testid="group-apply-step">
      <h4 id="group-apply-title">Make the desk&apos;s change over the group&apos;s?</h4>
      <p id="group-apply-what">
        {who}: while cut off, {item.user} at this desk did “{item.summary}” ({localTimeOf(item.at)}). The group changed it too: it is now {groupNow}. Making the desk&apos;s change
        sets {deskSet} on the group&apos;s version, for every desk.
      </p>
      <div className="modal__buttons">
        <button
          type="button"
          className="button button--warning"
          data-testid="group-apply-confirm"
          aria-describedby="group-apply-what"
          disabled={busy !== null}
          onClick={() => resolve(item.seq, 'apply')}
          data-autofocus=""
        >
          {busy === 'review' ? 'Making the change…' : `Make the desk's change: ${deskSet}`}
        </button>
        {cancel}
      </div>
    </section>
  );
}

/**
 * Where the keyboard goes after a decision took its button away: the next item still open (the same one when
 * the desk refused), else the last open one, else the review's heading.
 */
export function focusAfterDecision(root: HTMLElement, seq: number): void {
  const firsts = [...root.querySelectorAll<HTMLElement>('[data-review-first]')];
  const next = firsts.find((b) => Number(b.dataset['seq']) >= seq) ?? firsts.at(-1) ?? root.querySelector<HTMLElement>(`#${REVIEW_TITLE_ID}`);
  next?.focus();
}
