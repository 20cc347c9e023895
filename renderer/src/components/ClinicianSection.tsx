import { memo } from 'react';
import { CLINICIAN_ROLE_LABEL, DESK_DNA_TYPES, DESK_STATUS_LABEL, DESK_STATUSES, dueState, localTimeOf, sessionNoShows, type DeskStatus } from '../../../shared/domain';
import type { LocalDate, Session } from '../../../shared/domain';
import { plural, rebookNotesOf, timeOf, type RebookEnd } from '../day/format';
import type { ClinicianDay } from '../day/grouping';
import { useDeskStore, usePending } from '../state/desk-store';
import { useUiStore } from '../state/ui-store';
import { AppointmentRowView } from './AppointmentRow';
import { ariaKeys } from '../keyboard/keys';

/** The list's columns, [class, header]: side by side, status and actions share one and the details give way. */
const COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['col-time', 'Time'],
  ['col-patient', 'Patient'],
  ['col-age', 'Age, DOB'],
  ['col-nhs', 'NHS number'],
  ['col-type', 'Type'],
  ['col-status', 'Status'],
  ['col-actions', 'Actions'],
];
const COMPACT_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['col-time', 'Time'],
  ['col-patient', 'Patient'],
  ['col-actions', 'Status and actions'],
];

export const sectionId = (clinicianId: string) => `clinician-${clinicianId}`;

/**
 * One clinician's day: a header with counts by status (all of them, whatever the filter), then the appointments
 * by session. `compact` is a column of the side-by-side layout; otherwise the full table of one at a time.
 */
export const ClinicianSection = memo(function ClinicianSection({
  group,
  date,
  compact,
  shown,
  firstId,
  lateMinutes,
  rowLimit,
  now,
  lateAfterMinutes,
  rebookEnds,
}: {
  group: ClinicianDay;
  date: LocalDate;
  compact: boolean;
  /** Statuses the filter lets through; null: all. */
  shown: ReadonlySet<DeskStatus> | null;
  firstId: string | null;
  /** How late the clinician is running today; null when not today or not yet known. */
  lateMinutes: number | null;
  /** While the day is first drawn, only this many rows (the ones on screen); null: all. */
  rowLimit: number | null;
  /** The desk's now when the day shown is today (the now line, due and overdue); null on any other day. */
  now: Date | null;
  /** The practice's Late rule: a booked patient this many minutes past their time is overdue, not just due. */
  lateAfterMinutes: number;
  /** Appointments a row may have been rebooked to or from, by id: when and with whom (the row says so). */
  rebookEnds: ReadonlyMap<string, RebookEnd>;
}) {
  const { clinician, room, appointments, blocks, counts } = group;
  const pending = usePending();
  const errorId = useDeskStore((s) => s.lastError?.appointmentId ?? null);
  const current = useUiStore((s) => s.current);
  const headingId = `${sectionId(clinician.id)}-heading`;
  const waiting = counts.arrived + counts.late;
  let budget = rowLimit ?? Number.POSITIVE_INFINITY;
  const visibleBlocks = blocks
    .map((b) => ({ ...b, visible: shown === null ? b.appointments : b.appointments.filter((a) => shown.has(a.status)) }))
    .filter((b) => b.visible.length > 0 || shown === null)
    .map((b) => {
      const visible = b.visible.slice(0, Math.max(0, budget));
      budget -= visible.length;
      return { ...b, visible };
    })
    .filter((b, i) => i === 0 || b.visible.length > 0);
  const columns = compact ? COMPACT_COLUMNS : COLUMNS;
  // The now line goes before the first row still to start, or after the last row when every one has started.
  const nowIso = now?.toISOString() ?? null;
  const shownRows = visibleBlocks.flatMap((b) => b.visible);
  const nowBefore = nowIso === null ? null : (shownRows.find((a) => a.start > nowIso)?.id ?? (shownRows.length > 0 ? END_OF_LIST : null));
  const nowLine = nowIso === null ? null : <NowLine key="now-line" time={localTimeOf(nowIso)} span={columns.length} />;
  return (
    <section
      className={compact ? 'clinician clinician--column' : 'clinician'}
      id={sectionId(clinician.id)}
      aria-labelledby={headingId}
      data-testid={`clinician-${clinician.id}`}
      data-clinician-choice={compact ? clinician.id : undefined}
      data-nav-column=""
    >
      <div className="clinician__head">
        <h2 id={headingId} className="clinician__name">
          {clinician.name}
        </h2>
        <p className="clinician__role">
          {CLINICIAN_ROLE_LABEL[clinician.role]}
          {room ? ` · ${room}` : ''}
          {lateMinutes !== null ? (
            <span className={`late-badge${lateMinutes >= 15 ? ' late-badge--bad' : ''}`} data-testid="running-late">
              {lateMinutes <= 0 ? 'On time' : `Running ${lateMinutes} min late`}
            </span>
          ) : null}
        </p>
        <ul className="status-counts" aria-label={`${clinician.name}: appointments by status`} data-testid="status-counts">
          <li>{plural(appointments.length, 'appt', 'appts')}</li>
          {waiting > 0 ? <li className="status-count status-count--waiting">{waiting} waiting</li> : null}
          {DESK_STATUSES.filter((s) => counts[s] > 0 && s !== 'arrived' && s !== 'late').map((s) => (
            <li key={s} className={`status-count status-count--${s}`} data-status={s}>
              {DESK_STATUS_LABEL[s]} {counts[s]}
            </li>
          ))}
        </ul>
      </div>
      {appointments.length === 0 ? (
        <p className="clinician__empty">No appointments booked.</p>
      ) : visibleBlocks.length === 0 ? (
        <p className="clinician__empty">None match the filter.</p>
      ) : (
        <table className={compact ? 'appointments appointments--compact' : 'appointments'}>
          <caption className="visually-hidden">Appointments for {clinician.name}</caption>
          {/* Widths from a colgroup: with a fixed layout and a hidden header the first row would set them. */}
          <colgroup>
            {columns.map(([className]) => (
              <col key={className} className={className} />
            ))}
          </colgroup>
          <thead className={compact ? 'visually-hidden' : undefined}>
            <tr>
              {columns.map(([className, label]) => (
                <th key={className} scope="col" className={className}>
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          {visibleBlocks.map((block, i) => (
            <tbody key={block.session?.id ?? `extra-${i}`}>
              {blocks.length > 1 || block.session !== null ? (
                <tr className="session-row">
                  <th scope="rowgroup" colSpan={columns.length}>
                    <span className="session-row__inner">
                      <span>{sessionTitle(block.session, room)}</span>
                      {block.session ? <NoShowsButton session={block.session} group={group} /> : null}
                    </span>
                  </th>
                </tr>
              ) : null}
              {block.visible.map((a) => {
                // Only a patient who comes in can be due here: a telephone or video patient is the clinician's to call.
                const rebook = rebookNotesOf(a.desk, rebookEnds);
                const due = now === null || !DESK_DNA_TYPES.includes(a.type) ? null : dueState(a, now, lateAfterMinutes);
                const row = (
                  <AppointmentRowView
                    key={a.id}
                    row={a}
                    date={date}
                    compact={compact}
                    first={a.id === firstId}
                    pending={pending[a.id] ?? null}
                    hasError={errorId === a.id}
                    isCurrent={current === a.id}
                    hasCurrent={current !== null}
                    dueKind={due === null || due.kind === 'future' ? null : due.kind}
                    dueMinutes={due === null || due.kind === 'future' ? null : due.minutes}
                    rebookedTo={rebook.to}
                    rebookedFrom={rebook.from}
                  />
                );
                return a.id === nowBefore ? [nowLine, row] : row;
              })}
              {i === visibleBlocks.length - 1 && nowBefore === END_OF_LIST ? nowLine : null}
            </tbody>
          ))}
        </table>
      )}
    </section>
  );
});

const END_OF_LIST = '(end)';

/** Where the clock is in the list: rows above have started, rows below are still to come. */
function NowLine({ time, span }: { time: string; span: number }) {
  return (
    <tr className="now-line" data-testid="now-line" data-now-line="">
      <td colSpan={span}>
        <span className="now-line__label">Now {time}</span>
      </td>
    </tr>
  );
}

function NoShowsButton({ session, group }: { session: Session; group: ClinicianDay }) {
  const open = useUiStore((s) => s.open);
  const n = sessionNoShows(group.appointments, session.id).length;
  if (n === 0) return null;
  return (
    <button
      type="button"
      className="button button--link"
      data-testid={`no-shows-${session.id}`}
      aria-label={`Mark ${session.label ?? 'session'} no-shows DNA for ${group.clinician.name}: ${n} still booked`}
      aria-keyshortcuts={ariaKeys('sessionDna')}
      onClick={() => open({ kind: 'session-dna', sessionId: session.id })}
    >
      No-shows → DNA ({n})
    </button>
  );
}

/** "Morning 08:00–11:30", plus the room when this session is not in the clinician's room for the day. */
function sessionTitle(session: Session | null, dayRoom: string | null): string {
  if (session === null) return 'Outside sessions';
  const times = `${timeOf(session.start)}–${timeOf(session.end)}`;
  const room = session.room !== null && session.room !== dayRoom ? ` · ${session.room}` : '';
  return `${session.label ?? 'Session'} ${times}${room}`;
}
