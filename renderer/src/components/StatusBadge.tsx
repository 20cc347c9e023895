import { timeOf } from '../day/format';
import { DESK_STATUS_LABEL, type DeskStatus } from '../../../shared/domain';

/** The status in words (never colour alone), with the arrival time while the patient is waiting. */
export function StatusBadge({ status, arrivedAt }: { status: DeskStatus; arrivedAt: string | null }) {
  const showArrival = arrivedAt !== null && (status === 'arrived' || status === 'late');
  return (
    <span className="status-cell">
      <span className={`status status--${status}`} data-testid="status-badge" data-status={status}>
        {DESK_STATUS_LABEL[status]}
      </span>
      {showArrival ? <span className="status-time"> at {timeOf(arrivedAt)}</span> : null}
    </span>
  );
}
