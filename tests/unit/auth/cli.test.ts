import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { createDemoAccounts, NEW_SECRET_ENV } from '../../../electron/cli/commands/users';
import { openDesk } from '../../../electron/desk/open';
import { tempDir } from '../../support/fixtures';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { log: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

afterEach(() => {
  delete process.env[NEW_SECRET_ENV];
});

describe('standby-desk users', () => {
  it('adds a first manager from the command line (the CLI acts with manager rights), the secret from the environment', async () => {
    const data = tempDir();
    process.env[NEW_SECRET_ENV] = 'a long practice secret';
    const added = await cli('users', 'add', '--data', data, '--username', 'PM.Jones', '--name', 'Pat Jones', '--role', 'manager', '--kind', 'password');
    expect(added).toMatchObject({ code: 0, out: 'Added pm.jones (manager)' });
    const listed = await cli('users', 'list', '--data', data, '--json');
    expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ username: 'pm.jones', role: 'manager', secretKind: 'password' })]);
    expect(listed.out).not.toContain('a long practice secret');
    const desk = openDesk({ dataDir: data });
    try {
      expect(desk.service.audit.list({ kind: 'user-added' })).toHaveLength(1);
    } finally {
      desk.close();
    }
  });

  it('refuses a weak secret or a bad role as wrong usage, adding nobody', async () => {
    const data = tempDir();
    process.env[NEW_SECRET_ENV] = '1234';
    expect((await cli('users', 'add', '--data', data, '--username', 'rx', '--name', 'R', '--role', 'receptionist', '--kind', 'pin')).code).toBe(2);
    process.env[NEW_SECRET_ENV] = '123456';
    expect((await cli('users', 'add', '--data', data, '--username', 'rx', '--name', 'R', '--role', 'admin', '--kind', 'pin')).code).toBe(2);
    expect((await cli('users', 'list', '--data', data, '--json')).out).toBe('[]');
  });

  it('makes demo accounts with random PINs only on a folder with no accounts', () => {
    const desk = openDesk({ dataDir: tempDir() });
    try {
      const first = createDemoAccounts(desk);
      expect(first.map((a) => [a.username, a.role])).toEqual([
        ['demo-manager', 'manager'],
        ['demo-reception', 'receptionist'],
      ]);
      for (const a of first) expect(a.pin).toMatch(/^\d{6}$/);
      expect(createDemoAccounts(desk)).toEqual([]);
    } finally {
      desk.close();
    }
  });
});
