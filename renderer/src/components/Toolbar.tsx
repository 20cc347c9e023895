import { useMemo } from 'react';
import { QUEUE_WAITING } from '../../../shared/domain';
import { useCallbacks, useDay } from '../state/desk-store';
import { useUiStore, useView, type View } from '../state/ui-store';
import { ariaKeys, hintKey, type KeyAction } from '../keyboard/keys';

const VIEWS: ReadonlyArray<{ id: View; label: string; action: KeyAction }> = [
  { id: 'day', label: 'Day', action: 'view.day' },
  { id: 'queue', label: 'Queue', action: 'view.queue' },
  { id: 'callbacks', label: 'Callbacks', action: 'view.callbacks' },
];

/** The views and the actions that work from anywhere, each with its key on the button (the help lists them all). */
export function Toolbar() {
  const view = useView();
  const setView = useUiStore((s) => s.setView);
  const open = useUiStore((s) => s.open);
  const day = useDay();
  const callbacks = useCallbacks();
  const waiting = useMemo(() => day?.appointments.filter((a) => QUEUE_WAITING.includes(a.status)).length ?? 0, [day]);
  const badge = (id: View): string | null =>
    id === 'queue' ? `${waiting} waiting` : id === 'callbacks' && callbacks !== null ? `${callbacks.filter((c) => !c.done).length} to call` : null;

  return (
    <div className="toolbar">
      <nav className="tabs" aria-label="Views">
        {VIEWS.map((v) => (
          <button
            key={v.id}
            type="button"
            className="tabs__tab"
            aria-current={view === v.id ? 'page' : undefined}
            aria-keyshortcuts={ariaKeys(v.action)}
            data-testid={`view-${v.id}`}
            onClick={() => setView(v.id)}
          >
            {v.label}
            {badge(v.id) ? <span className="tabs__badge">{badge(v.id)}</span> : null}
            <kbd className="kbd kbd--hint">{hintKey(v.action)}</kbd>
          </button>
        ))}
      </nav>
      <div className="toolbar__actions">
        <button type="button" className="button button--small" aria-keyshortcuts={ariaKeys('search')} data-testid="open-search" onClick={() => open({ kind: 'search' })}>
          Find patient<kbd className="kbd kbd--hint">{hintKey('search')}</kbd>
        </button>
        <button type="button" className="button button--small" aria-keyshortcuts={ariaKeys('walkIn')} data-testid="open-walk-in" onClick={() => open({ kind: 'walk-in' })}>
          Walk-in<kbd className="kbd kbd--hint">{hintKey('walkIn')}</kbd>
        </button>
        <button
          type="button"
          className="button button--small"
          aria-keyshortcuts={ariaKeys('book')}
          aria-haspopup="dialog"
          data-testid="open-book"
          onClick={() => open({ kind: 'search', purpose: 'book' })}
        >
          Book<kbd className="kbd kbd--hint">{hintKey('book')}</kbd>
        </button>
        <button
          type="button"
          className="button button--secondary button--small"
          aria-keyshortcuts={ariaKeys('print')}
          aria-haspopup="dialog"
          data-testid="open-print"
          onClick={() => open({ kind: 'print' })}
        >
          Print<kbd className="kbd kbd--hint">{hintKey('print')}</kbd>
        </button>
        <button
          type="button"
          className="button button--secondary button--small"
          aria-keyshortcuts={ariaKeys('help')}
          aria-haspopup="dialog"
          data-testid="open-help"
          onClick={() => open({ kind: 'help' })}
        >
          Keys<kbd className="kbd kbd--hint">{hintKey('help')}</kbd>
        </button>
      </div>
    </div>
  );
}
