/** Practice managers only (the desk refuses these operations to anyone else): accounts, the audit trail and the desk's log. */
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { AUDIT_KINDS, type AuditEntry, type AuditKind, type UserSummary } from '../../../shared/api';
import { getDeskClient } from '../api/client';

/** The audit's instants as the practice reads them: London date and time to the second. */
const UK_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'short', timeStyle: 'medium' });

export function AdminPanel({ onSettingsChanged }: { onSettingsChanged?: () => void }) {
  return (
    <section className="admin-panel" aria-label="Users and audit">
      <UsersPanel />
      <IdleLockSetting {...(onSettingsChanged ? { onChanged: onSettingsChanged } : {})} />
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
  const [form, setForm] = useState({ username: '', displayName: '', pin: '' });

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
      await getDeskClient().send('addUser', { username: form.username, displayName: form.displayName, role: 'receptionist', secret: { kind: 'pin', value: form.pin } });
      setForm({ username: '', displayName: '', pin: '' });
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
      <ListTable columns={['Username', 'Name', 'Role', 'State', 'Last sign-in', '']}>
        {users.map((u) => (
          <tr key={u.username}>
            <td>{u.username}</td>
            <td>{u.displayName}</td>
            <td>{u.role}</td>
            <td>{u.disabled ? 'disabled' : u.lockedUntil ? `locked out until ${UK_TIME.format(new Date(u.lockedUntil))}` : 'active'}</td>
            <td>{u.lastSignInAt ? UK_TIME.format(new Date(u.lastSignInAt)) : 'never'}</td>
            <td>
              <button type="button" className="button" onClick={() => void setDisabled(u.username, !u.disabled)}>
                {u.disabled ? 'Enable' : 'Disable'}
              </button>
            </td>
          </tr>
        ))}
      </ListTable>
      <form onSubmit={(e) => void add(e)} aria-label="Add a receptionist">
        <label>
          Username <input value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} required />
        </label>{' '}
        <label>
          Full name <input value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} required />
        </label>{' '}
        <label>
          PIN (6-8 digits) <input type="password" inputMode="numeric" value={form.pin} onChange={(e) => setForm({ ...form, pin: e.target.value })} required />
        </label>{' '}
        <button type="submit" className="button">
          Add receptionist
        </button>
      </form>
      {error ? <p role="alert">{error}</p> : null}
    </div>
  );
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
      <ListTable columns={['#', 'When (UK time)', 'User', 'Desk', 'Kind', 'Detail']}>
        {entries.map((e) => (
          <tr key={e.seq}>
            <td>{e.seq}</td>
            <td>
              <time dateTime={e.at}>{UK_TIME.format(new Date(e.at))}</time>
            </td>
            <td>{e.user}</td>
            <td>{e.desk}</td>
            <td>{e.kind}</td>
            <td>
              <code>{JSON.stringify(e.detail)}</code>
            </td>
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
