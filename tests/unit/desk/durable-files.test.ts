import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileDurableSync, isTempName, RENAME_ATTEMPTS, renameRetrying, renameRetryingSync, writeFileAtomic } from '../../../electron/desk/durable-files';
import { WindowsRenameDouble } from '../../doubles/windows-rename';
import { tempDir } from '../../support/fixtures';

describe('durable file writes', () => {
  it('writes the whole file and leaves no temporary name behind', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'sub', 'worklist.csv');
    await writeFileAtomic(file, 'a,b\r\n');
    await writeFileAtomic(file, 'c,d\r\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('c,d\r\n');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['worklist.csv']);
  });

  it.each(['EPERM', 'EACCES', 'EBUSY'])('retries a rename that fails with %s while the file is held open, then succeeds', async (code) => {
    const dir = tempDir();
    const file = path.join(dir, 'latest');
    const rename = new WindowsRenameDouble(2, code);
    await writeFileAtomic(file, 'pack-1\n', rename);
    expect(rename.calls).toHaveLength(3);
    expect(fs.readFileSync(file, 'utf8')).toBe('pack-1\n');
    expect(fs.readdirSync(dir).filter(isTempName)).toEqual([]);
  });

  it('gives up after the last attempt, passing the error on and leaving the old file and no temporary one', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'latest');
    fs.writeFileSync(file, 'old\n');
    const rename = new WindowsRenameDouble(RENAME_ATTEMPTS);
    await expect(writeFileAtomic(file, 'new\n', rename)).rejects.toMatchObject({ code: 'EPERM' });
    expect(rename.calls).toHaveLength(RENAME_ATTEMPTS);
    expect(fs.readFileSync(file, 'utf8')).toBe('old\n');
    expect(fs.readdirSync(dir)).toEqual(['latest']);
  });

  it('does not retry an error that will not go away', async () => {
    const dir = tempDir();
    const rename = new WindowsRenameDouble(1, 'ENOENT');
    await expect(renameRetrying(path.join(dir, 'missing'), path.join(dir, 'b'), rename)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(rename.calls).toHaveLength(1);
  });

  it('retries the same way when the caller is synchronous (backup, restore)', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a'), 'x');
    const rename = new WindowsRenameDouble(1, 'EBUSY');
    renameRetryingSync(path.join(dir, 'a'), path.join(dir, 'b'), rename);
    expect(rename.calls).toHaveLength(2);
    expect(fs.readdirSync(dir)).toEqual(['b']);
  });

  it('creates a file that must not be overwritten (the database key) whole, private, and only once', () => {
    const dir = tempDir('standby-durable-');
    const file = path.join(dir, '.desk.key');
    createFileDurableSync(file, 'first\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('first\n');
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // A second process starting at the same moment must not replace the key the first one's database uses.
    expect(() => createFileDurableSync(file, 'second\n')).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(fs.readFileSync(file, 'utf8')).toBe('first\n');
    expect(fs.readdirSync(dir)).toEqual(['.desk.key']);
  });
});
