/**
 * Finding a Chromium-family browser that is already installed (Chromium, Chrome or Edge) to print with.
 * We never download one: reception PCs are locked down, and an outage is exactly when the network may be
 * gone. Order: STANDBY_DESK_BROWSER, then the usual install places for this platform, then PATH.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';

export const BROWSER_ENV = 'STANDBY_DESK_BROWSER';

/** Flags for a headless print-only browser: no sandbox (runs as a service user or in containers), nothing phoning home. */
export const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export class BrowserNotFoundError extends Error {
  readonly searched: string[];
  constructor(searched: string[], detail?: string) {
    super(
      (detail ? `${detail}. ` : '') +
        'No Chromium, Google Chrome or Microsoft Edge was found to print with. Install one of them, or set ' +
        `${BROWSER_ENV} to the full path of its program file. Looked in: ${searched.join(', ')}`,
    );
    this.name = 'BrowserNotFoundError';
    this.searched = searched;
  }
}

export interface FindBrowserOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  homedir?: string;
  /** Injected for tests; by default, whether the path is a file we may execute. */
  isExecutable?: (file: string) => boolean;
}

const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'microsoft-edge-stable'];

/** The places a browser is looked for, in order, for a platform. */
export function candidateBrowserPaths(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, homedir: string): string[] {
  if (platform === 'win32') {
    const win = path.win32;
    const roots = [env['ProgramFiles'] ?? 'C:\\Program Files', env['ProgramFiles(x86)'] ?? 'C:\\Program Files (x86)', env['LOCALAPPDATA'] ?? win.join(homedir, 'AppData', 'Local')];
    const found: string[] = [];
    for (const root of roots) {
      found.push(
        win.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
        win.join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
        win.join(root, 'Chromium', 'Application', 'chrome.exe'),
      );
    }
    return [...new Set(found)];
  }
  const onPath = (env['PATH'] ?? '')
    .split(path.posix.delimiter)
    .filter((dir) => dir !== '')
    .flatMap((dir) => PATH_NAMES.map((name) => path.posix.join(dir, name)));
  if (platform === 'darwin') {
    const apps = ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Microsoft Edge.app/Contents/MacOS/Microsoft Edge', 'Chromium.app/Contents/MacOS/Chromium'];
    return [...new Set([...apps.map((a) => `/Applications/${a}`), ...apps.map((a) => path.posix.join(homedir, 'Applications', a)), ...onPath])];
  }
  const fixed = [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/microsoft-edge',
    '/usr/bin/microsoft-edge-stable',
    '/snap/bin/chromium',
  ];
  return [...new Set([...fixed, ...onPath])];
}

function defaultIsExecutable(file: string): boolean {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return false;
    if (process.platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The browser to print with; throws BrowserNotFoundError naming every place it looked. */
export function findBrowser(options: FindBrowserOptions = {}): string {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const isExecutable = options.isExecutable ?? defaultIsExecutable;
  const chosen = env[BROWSER_ENV];
  if (chosen !== undefined && chosen.trim() !== '') {
    // An explicit choice that does not work is a misconfiguration to report, not a cue to print with another browser.
    if (isExecutable(chosen)) return chosen;
    throw new BrowserNotFoundError([chosen], `${BROWSER_ENV} is set to "${chosen}", which is not a program this user can run`);
  }
  const candidates = candidateBrowserPaths(env, platform, options.homedir ?? os.homedir());
  const found = candidates.find(isExecutable);
  if (found === undefined) throw new BrowserNotFoundError(candidates);
  return found;
}

export async function launchBrowser(executablePath: string = findBrowser()): Promise<Browser> {
  // Loaded when a browser is launched, not with the module: the app's desk process prints through Electron
  // (electron/desk-process/host.ts) and is packaged without playwright-core.
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: BROWSER_ARGS });
}
