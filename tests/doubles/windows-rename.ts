/**
 * TEST DOUBLE. A rename that behaves as Windows does while an antivirus scanner or the search indexer holds the file
 * open: the first `failures` calls fail with `code` (EPERM by default), then it renames for real. It records every
 * call so a test can see how many attempts were made.
 */
import fs from 'node:fs';
import type { RenameFs } from '../../electron/desk/durable-files';

export class WindowsRenameDouble implements RenameFs {
  readonly calls: Array<{ from: string; to: string }> = [];
  constructor(
    private failures: number,
    private readonly code = 'EPERM',
  ) {}

  private attempt(from: string, to: string): void {
    this.calls.push({ from, to });
    if (this.failures > 0) {
      this.failures--;
      throw Object.assign(new Error(`${this.code}: operation not permitted, rename '${from}' -> '${to}'`), { code: this.code });
    }
    fs.renameSync(from, to);
  }

  renameSync(from: string, to: string): void {
    this.attempt(from, to);
  }

  rename(from: string, to: string): Promise<void> {
    try {
      this.attempt(from, to);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
