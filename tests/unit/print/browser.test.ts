import { describe, expect, it } from 'vitest';
import { BrowserNotFoundError, candidateBrowserPaths, findBrowser } from '../../../electron/desk/print';

const only =
  (...files: string[]) =>
  (file: string) =>
    files.includes(file);

describe('finding a browser to print with', () => {
  it('takes STANDBY_DESK_BROWSER first', () => {
    const env = { STANDBY_DESK_BROWSER: '/opt/edge/msedge', PATH: '/usr/bin' };
    expect(findBrowser({ env, platform: 'linux', isExecutable: only('/opt/edge/msedge', '/usr/bin/chromium') })).toBe('/opt/edge/msedge');
  });

  it('reports a STANDBY_DESK_BROWSER that does not work instead of quietly using another browser', () => {
    const env = { STANDBY_DESK_BROWSER: '/nowhere/chrome' };
    expect(() => findBrowser({ env, platform: 'linux', isExecutable: only('/usr/bin/chromium') })).toThrow(/STANDBY_DESK_BROWSER is set to "\/nowhere\/chrome"/);
  });

  it('then Debian Chromium, chromium-browser, Chrome and Edge, then PATH', () => {
    const env = { PATH: '/usr/local/bin:/home/u/bin' };
    const candidates = candidateBrowserPaths(env, 'linux', '/home/u');
    expect(candidates.slice(0, 5)).toEqual([
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome',
      '/usr/bin/google-chrome-stable',
      '/usr/bin/microsoft-edge',
    ]);
    expect(candidates).toContain('/home/u/bin/microsoft-edge');
    expect(findBrowser({ env, platform: 'linux', isExecutable: only('/usr/bin/google-chrome', '/usr/bin/chromium-browser') })).toBe('/usr/bin/chromium-browser');
    expect(findBrowser({ env, platform: 'linux', isExecutable: only('/usr/local/bin/google-chrome-stable') })).toBe('/usr/local/bin/google-chrome-stable');
  });

  it('knows where Windows and macOS install them', () => {
    const win = candidateBrowserPaths(
      { ProgramFiles: 'C:\\Program Files', 'ProgramFiles(x86)': 'C:\\Program Files (x86)', LOCALAPPDATA: 'C:\\Users\\desk\\AppData\\Local' },
      'win32',
      'C:\\Users\\desk',
    );
    expect(win).toContain('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
    expect(win).toContain('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe');
    expect(win).toContain('C:\\Users\\desk\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe');
    const mac = candidateBrowserPaths({}, 'darwin', '/Users/desk');
    expect(mac).toContain('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    expect(mac).toContain('/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge');
    expect(mac).toContain('/Users/desk/Applications/Chromium.app/Contents/MacOS/Chromium');
  });

  it('fails clearly, naming where it looked, when there is none', () => {
    let error: unknown;
    try {
      findBrowser({ env: { PATH: '' }, platform: 'linux', isExecutable: () => false });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BrowserNotFoundError);
    expect((error as Error).message).toMatch(/No Chromium, Google Chrome or Microsoft Edge was found.*set STANDBY_DESK_BROWSER/);
    expect((error as BrowserNotFoundError).searched).toContain('/usr/bin/chromium');
  });
});
