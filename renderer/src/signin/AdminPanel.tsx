/** Practice managers only (the desk refuses these operations to anyone else): accounts, the audit trail and the desk's log. */
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { AUDIT_KINDS, type AuditEntry, type AuditKind, type Role, type UserSummary } from '../../../shared/api';
import { getDeskClient } from '../api/client';
import { ClinicianSelect, EditUserForm, linkLabel, RoleSelect, ROLE_LABEL, useBookClinicians } from './ClinicianLink';
import { DeskRulesPanel } from './DeskRulesPanel';
import { RoomSettingsPanel } from './RoomSettingsPanel';

/** The audit's instants as the practice reads them: London date and time to the second. */
const UK_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'short', timeStyle: 'medium' });

export function AdminPanel({ onSettingsChanged }: { onSettingsChanged?: () => void }) {
  return (
    <section className="admin-panel" aria-label="Users and audit">
      <UsersPanel />
      <IdleLockSetting {...(onSettingsChanged ? { onChanged: onSettingsChanged } : {})} />
      <DeskRulesPanel />
      <RoomSettingsPanel />
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
