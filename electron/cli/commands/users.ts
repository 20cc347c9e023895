import { randomInt } from 'node:crypto';
import { NewSecret, Role, Username } from '../../../shared/api';
import type { OpenDesk } from '../../desk/open';
import { dataDirOf, oneArgument, parseOptions, UsageError, withDesk, type Command } from '../common';

/** The secret comes from an environment variable, never argv: argv shows in `ps` and shell history. */
export const NEW_SECRET_ENV = 'STANDBY_DESK_NEW_SECRET';

/**
 * Accounts from the command line. The CLI runs as the local OS user with manager rights (auth/auth.ts says why),
 * which is also how a practice creates its first manager on a headless desk.
 */
export const usersCommand: Command = {
  name: 'users',
  usage: `users list | users add --username NAME --name "Full Name" --role receptionist|manager --kind pin|password
                        list the accounts, or add one; the new secret is read from $${NEW_SECRET_ENV}`,
  async run(args, out) {
    const { values: v, positionals } = parseOptions(args, { username: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, kind: { type: 'string' } }, true);
    const action = oneArgument('users', positionals, 'list or add');
    return withDesk(dataDirOf(v.data), (desk) => {
      if (action === 'list') {
        const users = desk.service.auth.listUsers();
        if (v.json) out.log(JSON.stringify(users));
        else for (const u of users) out.log(`${u.username}\t${u.role}\t${u.displayName}${u.disabled ? '\t(disabled)' : ''}`);
        return 0;
      }
      if (action !== 'add') throw new UsageError('users: say "list" or "add"');
      const username = Username.safeParse(v.username);
      if (!username.success) throw new UsageError('--username: 2 to 32 letters, digits, dots, dashes or underscores');
      const role = Role.safeParse(v.role);
      if (!role.success) throw new UsageError('--role must be receptionist or manager');
      const secret = NewSecret.safeParse({ kind: v.kind, value: process.env[NEW_SECRET_ENV] ?? '' });
      if (!secret.success) throw new UsageError(`--kind pin needs 6 to 8 digits, --kind password at least 10 characters, in $${NEW_SECRET_ENV}`);
      const name = (v.name ?? '').trim();
      if (name.length === 0 || name.length > 100) throw new UsageError('--name is needed (up to 100 characters)');
      const user = desk.service.auth.addUser({ username: username.data, displayName: name, role: role.data, secret: secret.data }, desk.context);
      out.log(v.json ? JSON.stringify(user) : `Added ${user.username} (${user.role})`);
      return 0;
    });
  },
};

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
