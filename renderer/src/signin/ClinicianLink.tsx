/**
 * A clinician's account is linked to their clinician in the book (issue 17): the room view shows that clinician's
 * list and the desk lets the account act on it alone. The manager picks from today's book, by name and room.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { ROLES, type Role, type UserSummary } from '../../../shared/api';
import { localDateOf } from '../../../shared/domain';
import { getDeskClient } from '../api/client';

export interface BookClinician {
  id: string;
  name: string;
  room: string | null;
}

export const ROLE_LABEL: Record<Role, string> = { receptionist: 'Receptionist', manager: 'Practice manager', clinician: 'Clinician' };

/** Today's clinicians in the book (getDay), for linking accounts; empty until read, or when the book has none. */
export function useBookClinicians(): BookClinician[] {
  const [clinicians, setClinicians] = useState<BookClinician[]>([]);
  useEffect(() => {
    getDeskClient()
      .send('getDay', { date: localDateOf(new Date()) })
      .then(
        (day) => setClinicians(day.clinicians.map((c) => ({ id: c.id, name: c.name, room: c.room })).sort((a, b) => a.name.localeCompare(b.name, 'en-GB'))),
        () => setClinicians([]),
      );
  }, []);
  return clinicians;
}

/** How the users list names an account's link: the clinician's name, or the id when today's book lacks them. */
export function linkLabel(user: Pick<UserSummary, 'role' | 'clinicianId'>, clinicians: readonly BookClinician[]): string {
  if (user.clinicianId === null) return user.role === 'clinician' ? 'not linked' : '';
  return clinicians.find((c) => c.id === user.clinicianId)?.name ?? `${user.clinicianId} (not in today's book)`;
}

export function ClinicianSelect({ value, onChange, clinicians, testId }: { value: string; onChange: (id: string) => void; clinicians: readonly BookClinician[]; testId: string }) {
  return (
    <label>
      Clinician in the book{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)} required data-testid={testId}>
        <option value="">Choose…</option>
        {clinicians.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
            {c.room ? ` (${c.room})` : ''}
          </option>
        ))}
      </select>
    </label>
  );
}

export function RoleSelect({ value, onChange, testId }: { value: Role; onChange: (role: Role) => void; testId: string }) {
  return (
    <label>
      Role{' '}
      <select value={value} onChange={(e) => onChange(ROLES.find((r) => r === e.target.value) ?? 'receptionist')} data-testid={testId}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABEL[r]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Changing an account's role, and a clinician's link: one updateUser (null unlinks when it stops being a clinician). */
export function EditUserForm({ user, clinicians, onDone }: { user: UserSummary; clinicians: readonly BookClinician[]; onDone: (error: string | null) => void }) {
  const [role, setRole] = useState<Role>(user.role);
  const [clinicianId, setClinicianId] = useState(user.clinicianId ?? '');
  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await getDeskClient().send('updateUser', { username: user.username, role, clinicianId: role === 'clinician' ? clinicianId : null });
      onDone(null);
    } catch (e) {
      onDone(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <form onSubmit={(e) => void save(e)} aria-label={`Edit ${user.username}`}>
      <RoleSelect value={role} onChange={setRole} testId={`edit-role-${user.username}`} />{' '}
      {role === 'clinician' ? <ClinicianSelect value={clinicianId} onChange={setClinicianId} clinicians={clinicians} testId={`edit-clinician-${user.username}`} /> : null}{' '}
      <button type="submit" className="button">
        Save
      </button>{' '}
      <button type="button" className="button" onClick={() => onDone(null)}>
        Cancel
      </button>
    </form>
  );
}
