import { useRef, useState, type KeyboardEvent } from 'react';
import type { AppointmentRow } from '../../../shared/api';
import { DESK_STATUS_LABEL, TRANSITIONS, type DeskStatus } from '../../../shared/domain';
import { ACTION_LABEL } from '../day/labels';
import { useSetStatus } from '../state/desk-store';

/** The usual next step from each status, shown as a button; the other allowed changes sit under "More". */
const NEXT_STEP: Record<DeskStatus, readonly DeskStatus[]> = {
  booked: ['arrived'],
  arrived: ['sent_in'],
  late: ['sent_in'],
  sent_in: ['seen'],
  quiet_sent_in: ['seen'],
  seen: ['left'],
  left: [],
  walked_out: [],
  dna: ['arrived'],
  cancelled: [],
};

/** Changes that cannot be taken back (TRANSITIONS has no way out of them) are confirmed first. */
const CONFIRM_FIRST: ReadonlySet<DeskStatus> = new Set(['cancelled', 'walked_out']);

interface RowActionsProps {
  row: AppointmentRow;
  name: string;
  time: string;
  pending: DeskStatus | null;
}

export function RowActions({ row, name, time, pending }: RowActionsProps) {
  const setStatus = useSetStatus();
  const [confirming, setConfirming] = useState<DeskStatus | null>(null);
  const menuRef = useRef<HTMLDetailsElement>(null);
  const summaryRef = useRef<HTMLElement>(null);

  const allowed = TRANSITIONS[row.status];
  if (allowed.length === 0) {
    return (
      <span className="muted">
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">No actions: {DESK_STATUS_LABEL[row.status]} is final</span>
      </span>
    );
  }

  // Buttons repeat on every row; the accessible name says which patient, starting with the visible word.
  const labelFor = (status: DeskStatus) => `${ACTION_LABEL[status]}: ${name}, ${time}`;

  const choose = (status: DeskStatus) => {
    if (menuRef.current) menuRef.current.open = false;
    if (CONFIRM_FIRST.has(status)) {
      setConfirming(status);
      return;
    }
    void setStatus(row.id, status);
  };

  if (pending !== null) {
    return (
      <span className="saving" role="status">
        Saving {DESK_STATUS_LABEL[pending]}…
      </span>
    );
  }

  if (confirming !== null && allowed.includes(confirming)) {
    return (
      <span className="confirm" role="group" aria-label={`Confirm ${ACTION_LABEL[confirming]} for ${name}`}>
        <span className="confirm__question">{DESK_STATUS_LABEL[confirming]} cannot be undone.</span>
        <button
          type="button"
          className="button button--warning button--small"
          data-testid={`confirm-${confirming}`}
          onClick={() => {
            setConfirming(null);
            void setStatus(row.id, confirming);
          }}
        >
          Yes, {ACTION_LABEL[confirming].toLowerCase()}
        </button>
        <button
          type="button"
          className="button button--secondary button--small"
          data-testid="confirm-no"
          autoFocus
          onClick={() => setConfirming(null)}
        >
          Keep
        </button>
      </span>
    );
  }

  const primary = allowed.filter((s) => NEXT_STEP[row.status].includes(s));
  const others = allowed.filter((s) => !primary.includes(s));

  const closeOnEscape = (e: KeyboardEvent<HTMLDetailsElement>) => {
    if (e.key === 'Escape' && menuRef.current?.open) {
      menuRef.current.open = false;
      summaryRef.current?.focus();
    }
  };

  return (
    <span className="actions">
      {primary.map((s) => (
        <button
          key={s}
          type="button"
          className="button button--small"
          aria-label={labelFor(s)}
          data-testid={`action-${s}`}
          onClick={() => choose(s)}
        >
          {ACTION_LABEL[s]}
        </button>
      ))}
      {others.length > 0 ? (
        <details className="more" ref={menuRef} onKeyDown={closeOnEscape}>
          <summary
            ref={summaryRef}
            className="button button--secondary button--small"
            aria-label={`More actions: ${name}, ${time}`}
            data-testid="more-actions"
          >
            More
          </summary>
          <span className="more__menu">
            {others.map((s) => (
              <button
                key={s}
                type="button"
                className={`button button--small ${CONFIRM_FIRST.has(s) ? 'button--warning-outline' : 'button--secondary'}`}
                aria-label={labelFor(s)}
                data-testid={`action-${s}`}
                onClick={() => choose(s)}
              >
                {ACTION_LABEL[s]}
              </button>
            ))}
          </span>
        </details>
      ) : null}
    </span>
  );
}
