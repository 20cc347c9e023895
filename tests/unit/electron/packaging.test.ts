/**
 * The installers' configuration, checked where it can be on a machine that cannot run electron-builder (it
 * downloads Electron): what electron-builder.yml and package.json promise the practices, and that it agrees
 * with the shell. Building the installers themselves is README's "Desktop app and installers".
 */
import fs from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  extraMetadata: { main: string };
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  win: { target: Array<{ target: string; arch: string[] }> };
  nsis: { oneClick: boolean; perMachine: boolean; deleteAppDataOnUninstall: boolean };
  linux: { target: string[]; maintainer?: string; executableName: string };
}

const config = load(read('electron-builder.yml')) as BuilderConfig;
const pkg = JSON.parse(read('package.json')) as {
  main: string;
  productName: string;
  homepage?: string;
  author?: { name: string; email: string };
  dependencies: Record<string, string>;
};

describe('installers (electron-builder.yml)', () => {
  it('names the app as the shell does, and starts it from the bundled main process', () => {
    const shellId = /const APP_USER_MODEL_ID = '([^']+)'/.exec(read('electron/main/main.ts'))?.[1];
    expect(config.appId).toBe(shellId);
    expect(config.productName).toBe(pkg.productName);
    expect(config.extraMetadata.main).toBe(pkg.main);
    expect(config.files).toEqual(expect.arrayContaining(['package.json', 'dist/electron/**', 'dist/renderer/**']));
  });

  it('builds a per-machine NSIS installer for Windows that keeps the data on uninstall', () => {
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: true, deleteAppDataOnUninstall: false });
  });

  it('builds an AppImage and a deb for Linux, with what the deb needs: a maintainer and a homepage', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.maintainer).toMatch(/^[^<>]+ <[^@\s]+@[^>\s]+>$/);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.author?.email).toMatch(/@/);
  });

  it('rebuilds the native database modules for Electron and loads them from outside the asar archive', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
    // The encrypted store is a runtime dependency, so it is packaged (and rebuilt); a dev dependency would not be.
    expect(Object.keys(pkg.dependencies)).toContain('better-sqlite3-multiple-ciphers');
  });

  it('has its icon where electron-builder looks for it', () => {
    const icon = fs.readFileSync(path.join(ROOT, config.directories.buildResources, 'icon.png'));
    // A PNG of at least 256x256 (electron-builder's minimum for the Windows .ico it makes from it).
    expect(icon.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(icon.readUInt32BE(16)).toBeGreaterThanOrEqual(256);
    expect(icon.readUInt32BE(20)).toBeGreaterThanOrEqual(256);
  });
});
