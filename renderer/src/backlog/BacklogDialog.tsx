import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { BacklogItem, BacklogView, FreeSlot } from '../../../shared/api';
import { CLINICIAN_ROLE_LABEL, formatUkDate, localDateOf, type LocalDate } from '../../../shared/domain';
import { Modal } from '../components/Modal';
import { DayOptions } from '../components/SelectOptions';
import { patientName } from '../day/format';
import { slotOptionText, useSlotSearch } from '../dialogs/slot-search';
import { deskClient, useDeskStore, useMirrorDates } from '../state/desk-store';
import { useUiStore } from '../state/ui-store';
import { acceptancesOf, acceptRows, slotsTakenByOthers, type OutcomeReport, type SlotChoices } from './backlog-model';
import { BacklogRows } from './BacklogRows';

/**
 * The rebooking assistant's review (issue 21): a free slot proposed for everyone still on the callback list,
 * time-sensitive care first. A person books all of them (after saying yes to how many), or one row (Enter), and
 * changes any row's slot (S) through the rebook dialog's own free-slot search. What was booked and what was
 * refused, with the desk's reason, is shown after, and the list is read again: who is left is who is not booked.
 */
export function BacklogDialog() {
  const close = useUiStore((s) => s.close);
  const [view, setView] = useState<BacklogView | null>(null);
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  const [chosen, setChosen] = useState<SlotChoices>({});
  const [current, setCurrent] = useState<string | null>(null);
  const [changing, setChanging] = useState<BacklogItem | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [report, setReport] = useState<OutcomeReport | null>(null);
  const [busy, setBusy] = useState(false);
  const body = useRef<HTMLDivElement>(null);

  const focusRow = (id: string | null) => {
    requestAnimationFrame(() => {
      const rows = body.current?.querySelectorAll<HTMLElement>('[data-backlog-id]');
      const row = [...(rows ?? [])].find((r) => r.dataset['backlogId'] === id) ?? rows?.[0];
      // Nobody left to book: the keyboard goes to Close rather than nowhere.
      (row ?? body.current?.querySelector<HTMLElement>('[data-testid="backlog-close"]'))?.focus();
    });
  };
  const load = useCallback(async () => {
    try {
      setView(await deskClient().send('getBacklog', {}));
      setChosen({});
      setLoadProblem(null);
    } catch (error) {
      setLoadProblem(`The proposals could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }, []);
  useEffect(() => {
    // Opened, the keyboard goes to the first row once the list is read (the dialog itself holds it until then).
    void load().then(() => {
      if (document.activeElement === body.current?.closest('dialog')) focusRow(null);
    });
  }, [load]);

  const move = (id: string) => {
    setCurrent(id);
    focusRow(id);
  };

  const accept = async (items: readonly BacklogItem[]) => {
    setBusy(true);
    const outcome = await acceptRows(deskClient(), items, chosen);
    setBusy(false);
    setConfirming(false);
    setReport(outcome.ok ? outcome.report : { booked: [], refused: [outcome.message] });
    await load();
    // The callback list and the day behind the dialog show the new bookings too.
    const desk = useDeskStore.getState();
    void desk.loadCallbacks();
    void desk.reloadDay();
    focusRow(current);
  };

  const items = view?.items ?? [];
  const placed = acceptancesOf(items, chosen).length;
  const notPlaced = items.length - placed;
  return (
    <Modal title="Rebooking assistant" onClose={close} wide testId="backlog-dialog" onKeyDown={(e) => e.stopPropagation()}>
      <div ref={body} className={`backlog${changing !== null ? ' backlog--changing' : ''}`}>
        {loadProblem !== null ? (
          <p className="field__error" role="alert">
            {loadProblem}
          </p>
        ) : view === null ? (
          <p className="placeholder" role="status">
            Looking for free slots…
          </p>
        ) : (
          <p className="queue__summary" data-testid="backlog-summary">
            {items.length === 0
              ? 'Nobody left on the callback list to rebook.'
              : `${items.length} on the callback list; ${placed} with a slot from ${formatUkDate(view.from)} to ${formatUkDate(view.to)}${notPlaced > 0 ? `, ${notPlaced} not placed` : ''}. Time-sensitive care first. Enter on a row books it; S changes its slot.`}
          </p>
        )}
        {report !== null ? <Report report={report} /> : null}
        {items.length > 0 ? (
          <BacklogRows
            items={items}
            chosen={chosen}
            current={current}
            busy={busy}
            onAccept={(item) => void accept([item])}
            onChange={(item) => {
              setCurrent(item.appointment.id);
              setChanging(item);
            }}
            onMove={move}
          />
        ) : null}
        {changing !== null ? (
          <ChangeSlot
            key={changing.appointment.id}
            item={changing}
            taken={slotsTakenByOthers(items, chosen, changing)}
            onDone={(slot) => {
              if (slot !== null) setChosen((c) => ({ ...c, [changing.appointment.id]: slot }));
              setChanging(null);
              focusRow(changing.appointment.id);
            }}
          />
        ) : confirming ? (
          <div className="backlog__confirm" role="group" aria-labelledby="backlog-confirm-text" data-testid="backlog-confirm">
            <p id="backlog-confirm-text">
              Book {placed} {placed === 1 ? 'patient' : 'patients'} into the slots shown?{notPlaced > 0 ? ` ${notPlaced} without a slot stay on the callback list.` : ''}
            </p>
            <div className="modal__buttons">
              <ConfirmButton placed={placed} busy={busy} onConfirm={() => void accept(items)} />
              <button type="button" className="button button--secondary" onClick={() => setConfirming(false)}>
                Not now
              </button>
            </div>
          </div>
        ) : (
          <div className="modal__buttons">
            <button type="button" className="button" disabled={placed === 0 || busy} onClick={() => setConfirming(true)} data-testid="backlog-accept-all">
              Accept all ({placed})
            </button>
            <button type="button" className="button button--secondary" onClick={close} data-testid="backlog-close">
              Close
            </button>
          </div>
        )}
      </div>
    </Modal>
  );
}

function ConfirmButton({ placed, busy, onConfirm }: { placed: number; busy: boolean; onConfirm: () => void }) {
  const ref = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => ref.current?.focus(), []);
  return (
    <button ref={ref} type="button" className="button" disabled={busy} onClick={onConfirm} data-testid="backlog-confirm-yes">
      Book {placed}
    </button>
  );
}

/** What the last acceptance booked and what the desk refused, with its reason. */
export function Report({ report }: { report: OutcomeReport }) {
  return (
    <section className="backlog__report" role="status" data-testid="backlog-report">
      <h3 className="backlog__heading">Booked ({report.booked.length})</h3>
      {report.booked.length > 0 ? (
        <ul data-testid="backlog-booked">
          {report.booked.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
      {report.refused.length > 0 ? (
        <>
          <h3 className="backlog__heading">Refused ({report.refused.length})</h3>
          <ul data-testid="backlog-refused">
            {report.refused.map((line) => (
              <li key={line} className="field__error">
                {line}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

type Whose = 'role' | 'any' | 'same';

/**
 * Another slot for one row, by the rebook dialog's search: a day, whose slots, the slot (Enter takes it, Escape
 * leaves the row as it was). Slots the other rows will book are left out, so one acceptance never asks for one twice.
 */
function ChangeSlot({ item, taken, onDone }: { item: BacklogItem; taken: ReadonlySet<string>; onDone: (slot: FreeSlot | null) => void }) {
  const mirrorDates = useMirrorDates();
  const today = localDateOf(new Date());
  const days = mirrorDates.filter((d) => d >= today);
  const [date, setDate] = useState<LocalDate>(() => (item.proposal ? localDateOf(item.proposal.slot.start) : (days[0] ?? today)));
  // The role the proposal was made in (the same as the original clinician's); none proposed: any role.
  const role = item.proposal?.clinician.role ?? null;
  const [whose, setWhose] = useState<Whose>(role === null ? 'any' : 'role');
  const search = useSlotSearch(date, whose === 'same' ? item.appointment.clinicianId : null, whose === 'role' ? role : null);
  const slots = (search.slots ?? []).filter((s) => !taken.has(s.slot.id));
  const first = useRef<HTMLSelectElement>(null);
  useLayoutEffect(() => first.current?.focus(), []);
  // The search's first slot may be one another row takes: then the first left is the one chosen.
  const selected = slots.some((s) => s.slot.id === search.slotId) ? search.slotId : (slots[0]?.slot.id ?? '');
  const choose = () => onDone(slots.find((s) => s.slot.id === selected) ?? null);
  const onKeyDown = (event: KeyboardEvent<HTMLFieldSetElement>) => {
    if (event.key === 'Escape') {
      // This panel's own: the dialog stays open.
      event.preventDefault();
      event.stopPropagation();
      onDone(null);
    }
  };
  return (
    <fieldset className="backlog__change" onKeyDown={onKeyDown} data-testid="backlog-change-slot">
      <legend className="field__label">Another slot for {patientName(item.appointment.patient)} (Esc: keep the one shown)</legend>
      <div className="rebook__choices">
        <label className="field">
          <span className="field__label">Day</span>
          <select ref={first} className="field__input" value={date} onChange={(e) => setDate(e.target.value)} data-testid="backlog-change-day">
            <DayOptions days={days.includes(date) ? days : [date, ...days]} today={today} />
          </select>
        </label>
        <label className="field">
          <span className="field__label">Whose slots</span>
          <select className="field__input" value={whose} onChange={(e) => setWhose(e.target.value as Whose)} data-testid="backlog-change-whose">
            {role !== null ? <option value="role">{CLINICIAN_ROLE_LABEL[role]}s only</option> : null}
            <option value="any">Any role</option>
            <option value="same">Only {item.clinicianName}</option>
          </select>
        </label>
      </div>
      <label className="field">
        <span className="field__label">Free slot {search.slots === null ? '(looking…)' : `(${slots.length} free)`}: ↑ ↓ to choose, Enter to take it</span>
        <select
          className="field__input rebook__slots"
          size={6}
          value={selected}
          onChange={(e) => search.setSlotId(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            choose();
          }}
          data-testid="backlog-change-slots"
          data-loaded={search.slots === null ? 'false' : 'true'}
        >
          {slots.map((s) => (
            <option key={s.slot.id} value={s.slot.id}>
              {slotOptionText(s, whose !== 'role')}
            </option>
          ))}
        </select>
      </label>
      {search.problem !== null ? (
        <p className="field__error" role="alert">
          {search.problem}
        </p>
      ) : search.slots !== null && slots.length === 0 ? (
        <p className="field__error">No free slot that day: try another day or any role.</p>
      ) : null}
      <div className="modal__buttons">
        <button type="button" className="button" disabled={selected === ''} onClick={choose} data-testid="backlog-change-use">
          Use this slot
        </button>
        <button type="button" className="button button--secondary" onClick={() => onDone(null)}>
          Keep the one shown
        </button>
      </div>
    </fieldset>
  );
}
