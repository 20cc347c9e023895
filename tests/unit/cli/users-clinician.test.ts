/**
 * `standby-desk users` for clinicians' accounts (issue 17): `users add ... --role clinician --clinician ID` links
 * the account to the clinician in the book, `users list --json` shows the link, and each option without the
 * other is wrong usage with a message that says what to give.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NEW_SECRET_ENV } from '../../../electron/cli/commands/users';
import { main } from '../../../electron/cli/main';
import type { UserSummary } from '../../../shared/api';
import { openTestDesk } from '../../support/fixtures';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { log: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A data folder holding smallBook() (clinicians clin-a and clin-b) and no accounts. */
function folderWithBook(): string {
  const desk = openTestDesk();
  desk.close();
  return desk.dataDir;
}

async function listed(data: string): Promise<UserSummary[]> {
  const result = await cli('users', 'list', '--data', data, '--json');
  expect(result.code).toBe(0);
  return JSON.parse(result.out) as UserSummary[];
}

afterEach(() => {
  delete process.env[NEW_SECRET_ENV];
});

describe('standby-desk users, for clinicians', () => {
  it('adds a clinician linked to their clinician in the book, and lists the link', async () => {
    const data = folderWithBook();
    process.env[NEW_SECRET_ENV] = '402817';
    const added = await cli('users', 'add', 'Dr.Patel', '--data', data, '--name', 'Dr Asha Patel', '--role', 'clinician', '--clinician', 'clin-a', '--kind', 'pin');
    expect(added).toMatchObject({ code: 0, out: 'Added dr.patel (clinician of clin-a)' });
    process.env[NEW_SECRET_ENV] = '615273';
    expect((await cli('users', 'add', '--data', data, '--username', 'rx.khan', '--display-name', 'Sam Khan', '--role', 'receptionist', '--kind', 'pin')).code).toBe(0);
    expect((await listed(data)).map((u) => [u.username, u.role, u.clinicianId])).toEqual([
      ['dr.patel', 'clinician', 'clin-a'],
      ['rx.khan', 'receptionist', null],
    ]);
    const text = await cli('users', 'list', '--data', data);
    expect(text.out.split('\n')).toEqual(['dr.patel\tclinician of clin-a\tDr Asha Patel', 'rx.khan\treceptionist\tSam Khan']);
  });

  it('refuses --role clinician without --clinician, and --clinician with any other role, as wrong usage; adds nobody', async () => {
    const data = folderWithBook();
    process.env[NEW_SECRET_ENV] = '402817';
    const noLink = await cli('users', 'add', 'dr.patel', '--data', data, '--name', 'Dr Asha Patel', '--role', 'clinician', '--kind', 'pin');
    expect(noLink.code).toBe(2);
    expect(noLink.err).toContain('--role clinician needs --clinician ID');
    const linkedReceptionist = await cli('users', 'add', 'rx.khan', '--data', data, '--name', 'Sam Khan', '--role', 'receptionist', '--clinician', 'clin-a', '--kind', 'pin');
    expect(linkedReceptionist.code).toBe(2);
    expect(linkedReceptionist.err).toContain('--clinician links a clinician');
    expect(linkedReceptionist.err).toContain('it needs --role clinician, not receptionist');
    expect(await listed(data)).toEqual([]);
  });

  it('refuses a clinician the book does not hold, saying so, and adds nobody', async () => {
    const data = folderWithBook();
    process.env[NEW_SECRET_ENV] = '402817';
    const unknown = await cli('users', 'add', 'dr.patel', '--data', data, '--name', 'Dr Asha Patel', '--role', 'clinician', '--clinician', 'clin-zz', '--kind', 'pin');
    expect(unknown).toMatchObject({ code: 1, err: expect.stringContaining('there is no clinician clin-zz in the book') });
    expect(await listed(data)).toEqual([]);
  });

  it('takes the username once: as an argument or as --username, not two different ones', async () => {
    const data = folderWithBook();
    process.env[NEW_SECRET_ENV] = '615273';
    const twice = await cli('users', 'add', 'rx.one', '--data', data, '--username', 'rx.two', '--name', 'Sam Khan', '--role', 'receptionist', '--kind', 'pin');
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('give the username once');
    expect(await listed(data)).toEqual([]);
  });
});
