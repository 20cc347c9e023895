/**
 * Desk-group desks as separate processes (`standby-desk serve` on their own data folders, loopback only), for the
 * crash test and the bench: what matters is what each desk told its receptionist, and what survives a SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLOCK_ENV } from '../../electron/desk/clock';
import { TEST_NOW } from './clock';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const START_TIMEOUT_MS = 60_000;

export interface DeskProcess {
  dataDir: string;
  url: string;
  groupAddress: string | null;
  child: ChildProcess;
  stderr: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `serve` on this data folder with its group link on loopback, once it says where it listens. */
export function startDeskProcess(dataDir: string, extraArgs: string[] = []): Promise<DeskProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'electron/cli/main.ts', 'serve', '--data', dataDir, '--port', '0', '--group-host', '127.0.0.1', '--group-port', '0', ...extraArgs],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, [CLOCK_ENV]: TEST_NOW },
    },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let url: string | null = null;
    let groupAddress: string | null = null;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start within ${START_TIMEOUT_MS} ms\n${stderr}`));
    }, START_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout ?? process.stdin });
    lines.on('line', (line) => {
      const serving = /^Standby Desk serving (http:\/\/\S+)$/.exec(line.trim());
      if (serving?.[1]) url = serving[1].replace(/\/?$/, '/');
      const link = /^Desk group link on (\S+)$/.exec(line.trim());
      if (link?.[1]) groupAddress = link[1];
      if (url !== null && (groupAddress !== null || line.startsWith('Standby Desk serving'))) {
        // The group line follows the serving line at once when the folder is in a group.
        setTimeout(() => {
          clearTimeout(timer);
          resolve({
            dataDir,
            url: url ?? '',
            groupAddress,
            child,
            stderr: () => stderr,
            async kill(signal: NodeJS.Signals = 'SIGKILL') {
              if (child.exitCode === null && child.signalCode === null) child.kill(signal);
              await exited;
            },
          });
        }, 50);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`serve exited before it was listening\n${stderr}`));
    });
  });
}

/** One person signed in at one desk over HTTP, as the browser would be. */
export class DeskHttpClient {
  private cookie = '';
  constructor(readonly url: string) {}

  async signIn(username: string, secret: string): Promise<void> {
    const res = await fetch(new URL('api/op/signIn', this.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, secret }) });
    const body = (await res.json()) as { ok: boolean; error?: { message: string } };
    if (!body.ok) throw new Error(`sign-in at ${this.url} failed: ${body.error?.message ?? res.status}`);
    this.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  }

  async call<T = unknown>(name: string, input: unknown): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }> {
    const res = await fetch(new URL(`api/op/${name}`, this.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: this.cookie },
      body: JSON.stringify(input),
      signal: AbortSignal.timeout(20_000),
    });
    return (await res.json()) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
  }
}
