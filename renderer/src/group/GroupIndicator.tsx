import { useEffect } from 'react';
import type { GroupStatus } from '../../../shared/api';
import { ariaKeys, hintKey } from '../keyboard/keys';
import { useUiStore } from '../state/ui-store';
import { groupSummary } from './group-summary';
import { useGroupStatus, useGroupStore } from './group-store';
import './group.css';

/**
 * The desk group in the header: this desk's role, the coordinator, members online and how far behind it is, and
 * in amber or red what must not be missed (only this PC holds the changes; the coordinator is lost; this desk
 * works alone; this desk was taken over from), and how many changes made while cut off wait for review. Nothing at all on a standalone desk. Reads the status every few seconds while mounted.
 */
export function GroupIndicator() {
  const start = useGroupStore((s) => s.start);
  const status = useGroupStatus();
  useEffect(() => start(), [start]);
  return <GroupIndicatorView status={status} onOpen={() => useUiStore.getState().open({ kind: 'group' })} />;
}

export function GroupIndicatorView({ status, onOpen }: { status: GroupStatus | null; onOpen: () => void }) {
  const summary = groupSummary(status);
  if (summary === null || status === null) return null;
  const title = `${summary.details}\n(${hintKey('group')}: the group screen)`;
  return (
    <p className="app-header__line group-indicator" data-testid="group-indicator" data-role={status.role} data-state={status.state} data-tone={summary.tone}>
      {/* One unbroken line: the short line gives way (cut, whole in the tooltip) so the review count stays whole. */}
      <span className="group-indicator__main">
        <button type="button" className="group-indicator__summary" title={title} aria-keyshortcuts={ariaKeys('group')} onClick={onOpen} data-testid="group-summary">
          {summary.text}
        </button>
        {summary.review !== null ? (
          <span className="group-review-count" title={title} role="status" data-testid="group-review-count">
            {summary.review}
          </span>
        ) : null}
      </span>
      {summary.warning !== null ? (
        <span className={`group-warning group-warning--${summary.tone}`} role="status" title={summary.warning} data-testid="group-warning">
          {summary.warning}
        </span>
      ) : null}
    </p>
  );
}
