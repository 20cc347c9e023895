import type { AppointmentRow } from '../../../shared/api';
import { DESK_STATUS_LABEL, TRANSITIONS, type DeskStatus } from '../../../shared/domain';
import { ACTION_LABEL } from '../day/labels';
import { ariaKeys, hintKey, statusAction } from '../keyboard/keys';
import { useDeskStore } from '../state/desk-store';
import { useUiStore } from '../state/ui-store';

/** The usual next step from each status, shown as a button; every other action is under "More" (or Enter). */
export const NEXT_STEP: Record<DeskStatus, readonly DeskStatus[]> = {
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

interface RowActionsProps {
  row: AppointmentRow;
  name: string;
  time: string;
  pending: DeskStatus | 'undo' | 'rebook' | null;
  /** Side by side: the key hints and the word "More" give way to the patient's name. */
  compact: boolean;
}

export function RowActions({ row, name, time, pending, compact }: RowActionsProps) {
  // Actions read the stores when clicked, not through a subscription per row (a day has hundreds of rows).
  const setStatus = (id: string, status: DeskStatus) => useDeskStore.getState().setStatus(id, status);
  const open = (dialog: Parameters<ReturnType<typeof useUiStore.getState>['open']>[0]) => useUiStore.getState().open(dialog);

  if (pending !== null) {
    return (
      <span className="saving" role="status">
        {pending === 'undo' ? 'Undoing…' : pending === 'rebook' ? 'Rebooking…' : `Saving ${DESK_STATUS_LABEL[pending]}…`}
      </span>
    );
  }

  const primary = TRANSITIONS[row.status].filter((s) => NEXT_STEP[row.status].includes(s));
  return (
    <span className="actions">
      {primary.map((s) => {
        const action = statusAction(s);
        return (
          <button
            key={s}
            type="button"
            className="button button--small"
            // Buttons repeat on every row; the accessible name says which patient, starting with the visible word.
            aria-label={`${ACTION_LABEL[s]}: ${name}, ${time}`}
            aria-keyshortcuts={ariaKeys(action)}
            data-testid={`action-${s}`}
            tabIndex={-1}
            onClick={() => void setStatus(row.id, s)}
          >
            {ACTION_LABEL[s]}
            {action && !compact ? <kbd className="kbd kbd--hint">{hintKey(action)}</kbd> : null}
          </button>
        );
      })}
      <button
        type="button"
        className="button button--secondary button--small"
        aria-label={`More actions: ${name}, ${time}`}
        aria-keyshortcuts={ariaKeys('actions')}
        aria-haspopup="dialog"
        data-testid="more-actions"
        tabIndex={-1}
        onClick={() => open({ kind: 'actions', appointmentId: row.id })}
      >
        {compact ? <span aria-hidden="true">⋯</span> : 'More'}
      </button>
    </span>
  );
}
