import { memo, useMemo } from 'react';
import type { AppointmentRow, DayView } from '../../../shared/api';
import {
  buildQueues,
  CLINICIAN_ROLE_LABEL,
  DESK_STATUS_LABEL,
  DUTY_QUEUE,
  formatUkDate,
  localDateOf,
  TRIAGE_LABEL,
  type ClinicianQueue,
  type QueueEntry,
} from '../../../shared/domain';
import { formatAge, formatLongDate, patientName, timeOf } from '../day/format';
import { groupByClinician } from '../day/grouping';
import { useNow } from '../hooks/useNow';
import { ariaKeys } from '../keyboard/keys';
import { useHasErrorFor, usePendingStatus, useSetStatus } from '../state/desk-store';
import { useHasCurrent, useIsCurrent } from '../state/ui-store';
import { Flags } from './AppointmentRow';
import { LatePromptHost } from '../day/late-arrival';

/** Waits and estimates move on by the minute. */
const QUEUE_TICK_MS = 30_000;

/**
 * Who is waiting for whom: the duty list first, then each clinician, in the order they are likely to be seen,
 * with how long each has waited, a rough wait still to come, and how late each clinician is running. Computed
 * here from the day on screen (shared/domain/queue.ts), so every desk shows the same order.
 */
export function QueueBoard({ day }: { day: DayView }) {
  const now = useNow(QUEUE_TICK_MS);
  const today = localDateOf(now);
  const groups = useMemo(() => groupByClinician(day), [day]);
  const rows = useMemo(() => new Map(day.appointments.map((a) => [a.id, a])), [day]);
  const queues = useMemo(
    () =>
      buildQueues(day.appointments, {
        now,
        clinicianOrder: groups.map((g) => g.clinician.id),
        dutyClinicianId: day.dutyClinicianId ?? null,
      }),
    [day, groups, now],
  );
  const clinicians = useMemo(() => new Map(day.clinicians.map((c) => [c.id, c])), [day]);
  const roomOf = useMemo(() => new Map(groups.map((g) => [g.clinician.id, g.room])), [groups]);
  const firstId = queues.flatMap((q) => q.waiting)[0]?.appointment.id ?? null;
  const waitingTotal = queues.reduce((n, q) => n + q.waiting.length, 0);
  // Clinicians with nobody waiting and nobody with them fold into one line, so the live queues fit on screen.
  const active = queues.filter((q) => q.key === DUTY_QUEUE || q.waiting.length > 0 || q.withClinician.length > 0);
  const idle = queues.filter((q) => !active.includes(q));

  return (
    <div className="queue">
      <LatePromptHost />
      {day.date !== today ? (
        <p className="notice notice--info" role="note">
          The queue is for today; this is {formatLongDate(day.date)}. Waits and estimates are worked out from the clock now.
        </p>
      ) : null}
      <p className="queue__summary" data-testid="queue-summary">
        {waitingTotal === 0 ? 'Nobody waiting.' : `${waitingTotal} waiting.`} Ordered by priority (urgent first), then time. Estimates are rough: the clinician calls.
      </p>
      <div className="queue__cards">
        {active.map((q) => (
          <QueueCard
            key={q.key}
            queue={q}
            title={q.key === DUTY_QUEUE ? 'Duty list' : (clinicians.get(q.key)?.name ?? q.key)}
            subtitle={
              q.key === DUTY_QUEUE
                ? q.clinicianId
                  ? `Walk-ins for ${clinicians.get(q.clinicianId)?.name ?? 'the duty clinician'} (on duty)`
                  : 'No duty clinician today'
                : [clinicians.get(q.key) ? CLINICIAN_ROLE_LABEL[clinicians.get(q.key)?.role ?? 'other'] : null, roomOf.get(q.key) ?? null].filter(Boolean).join(' · ')
            }
            rows={rows}
            date={day.date}
            firstId={firstId}
          />
        ))}
      </div>
      {idle.length > 0 ? (
        <p className="queue__idle" data-testid="queue-idle">
          Nobody waiting for: {idle.map((q) => clinicians.get(q.key)?.name ?? q.key).join(', ')}.
        </p>
      ) : null}
    </div>
  );
}

function QueueCard({
  queue,
  title,
  subtitle,
  rows,
  date,
  firstId,
}: {
  queue: ClinicianQueue;
  title: string;
  subtitle: string;
  rows: ReadonlyMap<string, AppointmentRow>;
  date: string;
  firstId: string | null;
}) {
  const headingId = `queue-${queue.key}-heading`;
  const late = queue.runningLateMinutes;
  return (
    <section className={`queue-card${queue.key === DUTY_QUEUE ? ' queue-card--duty' : ''}`} aria-labelledby={headingId} data-testid={`queue-${queue.key}`} data-nav-column="">
      <div className="queue-card__head">
        <h2 id={headingId} className="queue-card__title">
          {title}
        </h2>
        <p className="queue-card__sub">{subtitle}</p>
        <p className="queue-card__stats">
          <span>{queue.waiting.length} waiting</span>
          {late !== null ? (
            <span className={`late-badge${late >= 15 ? ' late-badge--bad' : ''}`} data-testid="running-late">
              {late <= 0 ? 'On time' : `Running ${late} min late`}
            </span>
          ) : null}
          <span className="muted">~{queue.typicalConsultMinutes} min a patient</span>
        </p>
        {queue.withClinician.map((a) => {
          const row = rows.get(a.id);
          return row ? (
            <p key={a.id} className="queue-card__with" data-testid="with-clinician">
              With clinician: <strong>{patientName(row.patient)}</strong> since {a.sentInAt ? timeOf(a.sentInAt) : '–'}
              {a.status === 'quiet_sent_in' ? ' (quiet)' : ''}
            </p>
          ) : null;
        })}
      </div>
      {queue.waiting.length === 0 ? (
        <p className="queue-card__empty">Nobody waiting.</p>
      ) : (
        <ol className="queue-list" aria-label={`Waiting for ${title}, in order`}>
          {queue.waiting.map((entry, i) => {
            const row = rows.get(entry.appointment.id);
            return row ? <QueueItem key={row.id} entry={entry} row={row} position={i + 1} date={date} first={row.id === firstId} /> : null;
          })}
        </ol>
      )}
    </section>
  );
}

const QueueItem = memo(function QueueItem({ entry, row, position, date, first }: { entry: QueueEntry; row: AppointmentRow; position: number; date: string; first: boolean }) {
  const isCurrent = useIsCurrent(row.id);
  const hasCurrent = useHasCurrent();
  const pending = usePendingStatus(row.id);
  const hasError = useHasErrorFor(row.id);
  const setStatus = useSetStatus();
  const name = patientName(row.patient);
  const urgent = entry.priority === 0;
  const triage = row.desk?.triage ?? null;
  const classes = ['queue-item'];
  if (urgent) classes.push('queue-item--urgent');
  if (entry.longWait) classes.push('queue-item--long');
  if (hasError) classes.push('appt--error');
  return (
    <li
      className={classes.join(' ')}
      data-appointment-id={row.id}
      data-status={row.status}
      data-start={row.start}
      data-testid={`queue-item-${row.id}`}
      data-position={position}
      tabIndex={isCurrent || (first && !hasCurrent) ? 0 : -1}
      aria-label={`${position}. ${name}${urgent ? ', urgent' : ''}, waited ${entry.waitedMinutes} minutes${entry.longWait ? ', long wait' : ''}`}
      aria-busy={pending !== null}
    >
      <span className="queue-item__pos" aria-hidden="true">
        {position}
      </span>
      <span className="queue-item__main">
        <span className="queue-item__line">
          {urgent ? <span className="tag tag--urgent">Urgent</span> : null}
          <span className="patient-name">{name}</span>
          {row.patient.dateOfBirth ? (
            <span>
              <span className="age">{formatAge(row.patient.dateOfBirth, date)}</span> <span className="dob">{formatUkDate(row.patient.dateOfBirth)}</span>
            </span>
          ) : null}
          {row.desk?.ticket ? (
            <span className="ticket" data-testid="ticket" title="Waiting-room ticket">
              #{row.desk.ticket}
            </span>
          ) : null}
          <Flags flags={row.patient.flags} />
        </span>
        <span className="queue-item__line queue-item__meta">
          {row.desk?.origin === 'walk_in' ? `Walk-in${triage ? `, ${TRIAGE_LABEL[triage]}` : ''}` : `Booked ${timeOf(row.start)}`}
          {row.status === 'late' ? ` · ${DESK_STATUS_LABEL.late}` : ''}
          {row.reason ? ` · ${row.reason}` : ''}
        </span>
      </span>
      <span className="queue-item__times">
        <span className={entry.longWait ? 'waited waited--long' : 'waited'} data-testid="waited">
          {entry.longWait ? <strong>Long wait: </strong> : 'Waited '}
          {entry.waitedMinutes} min
        </span>
        <span className="estimate" data-testid="estimate">
          {entry.estimatedWaitMinutes === 0 ? 'Next' : `≈ ${entry.estimatedWaitMinutes} min more`}
        </span>
      </span>
      <span className="queue-item__actions">
        {pending !== null ? (
          <span className="saving" role="status">
            Saving…
          </span>
        ) : (
          <>
            <button
              type="button"
              className="button button--small"
              tabIndex={-1}
              aria-label={`Send in: ${name}`}
              aria-keyshortcuts={ariaKeys('status.sent_in')}
              onClick={() => void setStatus(row.id, 'sent_in')}
              data-testid="action-sent_in"
            >
              Send in<kbd className="kbd kbd--hint">S</kbd>
            </button>
            <button
              type="button"
              className="button button--secondary button--small"
              tabIndex={-1}
              aria-label={`Quiet send in: ${name}`}
              aria-keyshortcuts={ariaKeys('status.quiet_sent_in')}
              onClick={() => void setStatus(row.id, 'quiet_sent_in')}
              data-testid="action-quiet_sent_in"
            >
              Quiet<kbd className="kbd kbd--hint">Q</kbd>
            </button>
          </>
        )}
      </span>
    </li>
  );
});
