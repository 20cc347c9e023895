/** Practice managers only (the desk refuses these operations to anyone else): accounts, the audit trail and the desk's log. */
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { AUDIT_KINDS, type AuditEntry, type AuditKind, type DayView, type JournalEntry, type Role, type UserSummary } from '../../../shared/api';
import { auditSentence, type AuditWordsContext } from '../../../shared/api/audit-words';
import { localDateOf, localTimeOf } from '../../../shared/domain';
import { getDeskClient } from '../api/client';
import { ClinicianSelect, EditUserForm, linkLabel, RoleSelect, ROLE_LABEL, useBookClinicians } from './ClinicianLink';
import { DeskRulesPanel } from './DeskRulesPanel';
import { RoomSettingsPanel } from './RoomSettingsPanel';
import { FeedMappingPanel } from '../feeds/FeedMappingPanel';
import { ReadinessPanel } from '../readiness/ReadinessPanel';
import { SettingsPanel } from '../setup/SettingsPanel';

/** The audit's instants as the practice reads them: London date and time to the second. */
const UK_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'short', timeStyle: 'medium' });
const UK_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'short' });

export function AdminPanel({ onSettingsChanged }: { onSettingsChanged?: () => void }) {
  return (
    <section className="admin-panel" aria-label="Users and audit">
      <ReadinessPanel />
      <SettingsPanel />
      <UsersPanel />
      <IdleLockSetting {...(onSettingsChanged ? { onChanged: onSettingsChanged } : {})} />
      <DeskRulesPanel />
      <RoomSettingsPanel />
      <FeedMappingPanel />
      <AuditViewer />
      <DeskLogExport />
    </section>
  );
}

/** The practice's idle-lock time: every desk locks after this many idle minutes (1-60; 5 unless changed). */
function IdleLockSetting({ onChanged }: { onChanged?: () => void }) {
  const [minutes, setMinutes] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  useEffect(() => {
    getDeskClient()
      .send('getSession', {})
      .then(
        (s) => setMinutes(String(s.idleLockMinutes)),
        () => undefined,
      );
  }, []);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const saved = await getDeskClient().send('setIdleLock', { minutes: Number(minutes) });
      setMinutes(String(saved.idleLockMinutes));
      setMessage({ kind: 'ok', text: `Desks now lock after ${saved.idleLockMinutes} idle minute${saved.idleLockMinutes === 1 ? '' : 's'}.` });
      onChanged?.();
    } catch (e) {
      setMessage({ kind: 'error', text: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <div>
      <h2>Screen lock</h2>
      <form onSubmit={(e) => void save(e)} aria-label="Screen lock">
        <label>
          Lock a desk after this many idle minutes (1-60){' '}
          <input type="number" min={1} max={60} step={1} value={minutes} onChange={(e) => setMinutes(e.target.value)} required data-testid="idle-lock-minutes" />
        </label>{' '}
        <button type="submit" className="button">
          Save
        </button>
      </form>
      {message ? <p role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p> : null}
    </div>
  );
}

function UsersPanel() {
  const [users, setUsers] = useState<UserSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState<{ username: string; displayName: string; pin: string; role: Role; clinicianId: string }>({
    username: '',
    displayName: '',
    pin: '',
    role: 'receptionist',
    clinicianId: '',
  });
  const [editing, setEditing] = useState<string | null>(null);
  const clinicians = useBookClinicians();

  const load = useCallback(() => {
    getDeskClient()
      .send('listUsers', {})
      .then(setUsers, (e: unknown) => setError(String(e)));
  }, []);
  useEffect(load, [load]);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await getDeskClient().send('addUser', {
        username: form.username,
        displayName: form.displayName,
        role: form.role,
        secret: { kind: 'pin', value: form.pin },
        ...(form.role === 'clinician' ? { clinicianId: form.clinicianId } : {}),
      });
      setForm({ username: '', displayName: '', pin: '', role: 'receptionist', clinicianId: '' });
      load();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const setDisabled = async (username: string, disabled: boolean) => {
    try {
      await getDeskClient().send('updateUser', { username, disabled });
      load();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <div>
      <h2>Users</h2>
      <ListTable columns={['Username', 'Name', 'Role', 'Clinician in the book', 'State', 'Last sign-in', '']}>
        {users.map((u) => (
          <tr key={u.username} data-username={u.username}>
            <td>{u.username}</td>
            <td>{u.displayName}</td>
            <td>{ROLE_LABEL[u.role]}</td>
            <td data-testid={`user-link-${u.username}`}>{linkLabel(u, clinicians)}</td>
            <td>{u.disabled ? 'disabled' : u.lockedUntil ? `locked out until ${UK_TIME.format(new Date(u.lockedUntil))}` : 'active'}</td>
            <td>{u.lastSignInAt ? UK_TIME.format(new Date(u.lastSignInAt)) : 'never'}</td>
            <td>
              {editing === u.username ? (
                <EditUserForm
                  user={u}
                  clinicians={clinicians}
                  onDone={(failed) => {
                    setError(failed);
                    if (failed === null) setEditing(null);
                    load();
                  }}
                />
              ) : (
                <button type="button" className="button" onClick={() => setEditing(u.username)} aria-label={`Edit ${u.username}`}>
                  Edit
                </button>
              )}{' '}
              <button type="button" className="button" onClick={() => void setDisabled(u.username, !u.disabled)}>
                {u.disabled ? 'Enable' : 'Disable'}
              </button>
            </td>
          </tr>
        ))}
      </ListTable>
      <form onSubmit={(e) => void add(e)} aria-label="Add a user">
        <label>
          Username <input value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} required />
        </label>{' '}
        <label>
          Full name <input value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} required />
        </label>{' '}
        <RoleSelect value={form.role} onChange={(role) => setForm({ ...form, role })} testId="add-user-role" />{' '}
        {form.role === 'clinician' ? (
          <ClinicianSelect value={form.clinicianId} onChange={(clinicianId) => setForm({ ...form, clinicianId })} clinicians={clinicians} testId="add-user-clinician" />
        ) : null}{' '}
        <label>
          PIN (6-8 digits) <input type="password" inputMode="numeric" value={form.pin} onChange={(e) => setForm({ ...form, pin: e.target.value })} required />
        </label>{' '}
        <button type="submit" className="button">
          Add user
        </button>
      </form>
      {error ? <p role="alert">{error}</p> : null}
    </div>
  );
}

/** How many of the trail's days the viewer reads the book of, to name the appointments (the latest first). */
const DAYS_NAMED = 7;

/** "Ada Test's 09:10 with Dr Patel": the appointment as a receptionist names it, from the day that holds it. */
function appointmentNames(days: readonly DayView[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const day of days) {
    for (const a of day.appointments) {
      const who = `${a.patient.givenName} ${a.patient.familyName}`.trim();
      const clinician = day.clinicians.find((c) => c.id === a.clinicianId)?.name ?? 'their clinician';
      const when = localDateOf(a.start) === localDateOf(new Date()) ? localTimeOf(a.start) : `${localTimeOf(a.start)} on ${UK_DATE.format(new Date(a.start))}`;
      names.set(a.id, `${who}'s ${a.desk?.origin === 'walk_in' ? 'walk-in at ' : ''}${when} with ${clinician}`);
    }
  }
  return names;
}

/**
 * What the trail's entries need to read as sentences (shared/api/audit-words.ts): who the users are, the journal
 * entries they point to, and the appointments on the days they were made. Whatever cannot be read leaves the
 * sentence shorter, never the trail empty.
 */
function useAuditWords(entries: readonly AuditEntry[]): AuditWordsContext {
  const [users, setUsers] = useState<UserSummary[]>([]);
  const [journal, setJournal] = useState<ReadonlyMap<number, JournalEntry>>(new Map());
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    getDeskClient()
      .send('listUsers', {})
      .then(setUsers, () => undefined);
  }, []);
  useEffect(() => {
    let live = true;
    const seqs = entries.flatMap((e) => {
      const seq = (e.detail as { journalSeq?: unknown } | null)?.journalSeq;
      return typeof seq === 'number' ? [seq] : [];
    });
    const dates = [...new Set(entries.map((e) => localDateOf(e.at)))].toSorted().slice(-DAYS_NAMED);
    const client = getDeskClient();
    const journalRead = seqs.length === 0 ? Promise.resolve([]) : client.send('getJournal', { afterSeq: Math.min(...seqs) - 1, limit: 1000 }).catch(() => []);
    const daysRead = Promise.all(dates.map((date) => client.send('getDay', { date }).catch(() => null)));
    void Promise.all([journalRead, daysRead]).then(([read, days]) => {
      if (!live) return;
      setJournal(new Map(read.map((j) => [j.seq, j])));
      setNames(appointmentNames(days.flatMap((d) => (d === null ? [] : [d]))));
    });
    return () => {
      live = false;
    };
  }, [entries]);
  return {
    person: (username) => {
      const user = users.find((u) => u.username === username);
      return user === undefined ? undefined : { name: user.displayName, role: ROLE_LABEL[user.role].toLowerCase() };
    },
    journal: (seq) => journal.get(seq),
    appointment: (id) => names.get(id),
  };
}

function AuditViewer() {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [kind, setKind] = useState<AuditKind | ''>('');
  const [user, setUser] = useState('');
  const [error, setError] = useState<string | null>(null);

  const filter = useCallback(() => ({ ...(kind ? { kind } : {}), ...(user.trim() ? { user: user.trim() } : {}) }), [kind, user]);

  const load = useCallback(() => {
    getDeskClient()
      .send('getAudit', { ...filter(), limit: 500 })
      .then(setEntries, (e: unknown) => setError(String(e)));
  }, [filter]);
  useEffect(load, [load]);
  const words = useAuditWords(entries);

  const exportCsv = async () => {
    try {
      saveFile(await getDeskClient().send('exportAudit', { ...filter(), format: 'csv' }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <div>
      <h2>Audit trail</h2>
      <label>
        Kind{' '}
        <select value={kind} onChange={(e) => setKind(e.target.value as AuditKind | '')}>
          <option value="">all</option>
          {AUDIT_KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        User <input value={user} onChange={(e) => setUser(e.target.value)} />
      </label>{' '}
      <button type="button" className="button" onClick={() => void exportCsv()}>
        Export CSV
      </button>
      {error ? <p role="alert">{error}</p> : null}
      <ListTable columns={['#', 'Day (UK)', 'What happened (UK time)']}>
        {entries.map((e) => (
          <tr key={e.seq} data-testid="audit-entry" data-kind={e.kind}>
            <td>{e.seq}</td>
            <td>
              <time dateTime={e.at}>{UK_DATE.format(new Date(e.at))}</time>
            </td>
            <td>{auditSentence(e, words)}</td>
          </tr>
        ))}
      </ListTable>
    </div>
  );
}

/** The panel's tables: a header row naming the columns, then the rows given. */
/** The desk's log file (starts, stops, pulls, backups, the outage pack, errors; no patient data), for the practice's IT. */
function DeskLogExport() {
  const [message, setMessage] = useState<string | null>(null);
  const exportLog = async () => {
    try {
      const file = await getDeskClient().send('exportLog', {});
      saveFile(file);
      setMessage(file.files === 0 ? 'The log is empty so far.' : `Saved ${file.fileName}.`);
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div>
      <h2>Desk log</h2>
      <p>What the desk did by itself: starting and stopping, pulls, backups, the outage pack, and errors. It holds no patient data; send it to IT when something went wrong.</p>
      <button type="button" className="button" onClick={() => void exportLog()}>
        Export the log
      </button>
      {message ? <p role="status">{message}</p> : null}
    </div>
  );
}

/** Hands an exported file to the browser's (or the app's) download. */
export function saveFile(file: { fileName: string; contentType: string; content: string }): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.contentType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.click();
  URL.revokeObjectURL(url);
}

function ListTable({ columns, children }: { columns: readonly string[]; children: ReactNode }) {
  return (
    <table className="appointments">
      <thead>
        <tr>
          {columns.map((c, i) => (
            <th key={i} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
