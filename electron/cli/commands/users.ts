import { randomInt } from 'node:crypto';
import { ClinicianLink, NewSecret, Role, Username, type UserSummary } from '../../../shared/api';
import type { OpenDesk } from '../../desk/open';
import { dataDirOf, parseOptions, UsageError, withDesk, type Command } from '../common';

/** The secret comes from an environment variable, never argv: argv shows in `ps` and shell history. */
export const NEW_SECRET_ENV = 'STANDBY_DESK_NEW_SECRET';

/**
 * Accounts from the command line. The CLI runs as the local OS user with manager rights (auth/auth.ts says why),
 * which is also how a practice creates its first manager on a headless desk.
 */
export const usersCommand: Command = {
  name: 'users',
  usage: `users list | users add [USERNAME] [--username NAME] --name "Full Name" --role receptionist|manager|clinician [--clinician ID] --kind pin|password
                        list the accounts, or add one; a clinician's account is linked to their clinician in the book
                        (--clinician, which only a clinician's account takes); the new secret is read from $${NEW_SECRET_ENV}`,
  async run(args, out) {
    const { values: v, positionals } = parseOptions(
      args,
      {
        username: { type: 'string' },
        name: { type: 'string' },
        'display-name': { type: 'string' },
        role: { type: 'string' },
        clinician: { type: 'string' },
        kind: { type: 'string' },
      },
      true,
    );
    const [action, ...rest] = positionals;
    if (action !== 'list' && action !== 'add') throw new UsageError('users needs list or add');
    return withDesk(dataDirOf(v.data), (desk) => {
      if (action === 'list') {
        if (rest.length > 0) throw new UsageError(`users list takes no arguments, got: ${rest.join(' ')}`);
        const users = desk.service.auth.listUsers();
        if (v.json) out.log(JSON.stringify(users));
        else for (const u of users) out.log(`${u.username}\t${roleText(u)}\t${u.displayName}${u.disabled ? '\t(disabled)' : ''}`);
        return 0;
      }
      if (rest.length > 1) throw new UsageError(`users add takes one username, got: ${rest.join(' ')}`);
      if (rest[0] !== undefined && v.username !== undefined && rest[0] !== v.username) throw new UsageError('give the username once: as USERNAME or as --username');
      const username = Username.safeParse(rest[0] ?? v.username);
      if (!username.success) throw new UsageError('the username: 2 to 32 letters, digits, dots, dashes or underscores');
      const role = Role.safeParse(v.role);
      if (!role.success) throw new UsageError('--role must be receptionist, manager or clinician');
      const clinicianId = clinicianOption(role.data, v.clinician);
      const secret = NewSecret.safeParse({ kind: v.kind, value: process.env[NEW_SECRET_ENV] ?? '' });
      if (!secret.success) throw new UsageError(`--kind pin needs 6 to 8 digits, --kind password at least 10 characters, in $${NEW_SECRET_ENV}`);
      if (v.name !== undefined && v['display-name'] !== undefined) throw new UsageError('give the name once: --name or --display-name');
      const name = (v.name ?? v['display-name'] ?? '').trim();
      if (name.length === 0 || name.length > 100) throw new UsageError('--name is needed (up to 100 characters)');
      const user = desk.service.auth.addUser(
        { username: username.data, displayName: name, role: role.data, secret: secret.data, ...(clinicianId === null ? {} : { clinicianId }) },
        desk.context,
      );
      out.log(v.json ? JSON.stringify(user) : `Added ${user.username} (${roleText(user)})`);
      return 0;
    });
  },
};

/** --clinician goes with --role clinician, both ways; that the clinician is in the book is the desk's check. */
function clinicianOption(role: Role, value: string | undefined): string | null {
  if (role !== 'clinician') {
    if (value !== undefined) throw new UsageError(`--clinician links a clinician's account to their clinician in the book: it needs --role clinician, not ${role}`);
    return null;
  }
  if (value === undefined) throw new UsageError('--role clinician needs --clinician ID: the clinician in the book whose list the account works');
  const id = ClinicianLink.safeParse(value);
  if (!id.success) throw new UsageError("--clinician: the clinician's id in the book, 1 to 128 characters");
  return id.data;
}

function roleText(user: UserSummary): string {
  return user.clinicianId === null ? user.role : `${user.role} of ${user.clinicianId}`;
}

export interface DemoAccount {
  username: string;
  pin: string;
  role: Role;
}

/**
 * Demo accounts for `serve --demo`, only on a data folder with no accounts at all, with random PINs printed to
 * the console: never fixed PINs that could end up guarding real data.
 */
export function createDemoAccounts(desk: OpenDesk): DemoAccount[] {
  if (desk.service.auth.accountCount() > 0) return [];
  const pin = () => String(randomInt(0, 1_000_000)).padStart(6, '0');
  const accounts: DemoAccount[] = [
    { username: 'demo-manager', pin: pin(), role: 'manager' },
    { username: 'demo-reception', pin: pin(), role: 'receptionist' },
  ];
  for (const a of accounts) {
    desk.service.auth.addUser(
      { username: a.username, displayName: a.role === 'manager' ? 'Demo Manager' : 'Demo Receptionist', role: a.role, secret: { kind: 'pin', value: a.pin } },
      desk.context,
    );
  }
  return accounts;
}
