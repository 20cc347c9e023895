/**
 * The Electron security audit, in the test suite: Electronegativity (Doyensec) over the shell (electron/main,
 * electron/preload) and the renderer's source (renderer/index.html with its CSP, renderer/src), as one app, so
 * its global checks (CSP, navigation limits, permission handler) see main and page together.
 *
 * The bar: no finding of medium severity or above. A finding we accept is justified where the check reads it,
 * with Electronegativity's own inline annotation on the line it reports, followed by the reason:
 *   shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK: why this is safe
 * and this test refuses an annotation without a reason.
 *
 * Offline and quick: it runs in a child process (the tool registers globals and writes to the console), with
 * the HTTP client it uses to fetch translations stubbed out, and without AvailableSecurityFixesGlobalCheck,
 * which downloads Electron's release list; keeping Electron current is dependency upkeep, not this audit.
 * A canary file with a known-bad window proves the checks ran rather than passing by finding nothing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/fixtures';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SCANNED = ['electron/main', 'electron/preload', 'renderer/index.html', 'renderer/src'];
const SCANNED_EXTENSIONS = /\.(js|jsx|ts|tsx|html|htm)$/;
const CANARY = 'canary/insecure-window.js';
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];
/** Electronegativity's severity values: INFORMATIONAL 0, LOW 1, MEDIUM 2, HIGH 3. */
const MEDIUM = 2;

interface Finding {
  id: string;
  file: string;
  line: number;
  severity: string;
  severityValue: number;
  confidence: string;
  sample: string;
  description: string;
}

interface Scan {
  atomicChecks: number;
  globalChecks: number;
  errors: Array<{ file: string; message: string; tolerable: boolean }>;
  issues: Finding[];
}

function copyScanned(target: string): string[] {
  const copied: string[] = [];
  const copy = (rel: string) => {
    const from = path.join(ROOT, rel);
    if (fs.statSync(from).isDirectory()) {
      for (const name of fs.readdirSync(from)) copy(path.join(rel, name));
    } else if (SCANNED_EXTENSIONS.test(rel)) {
      fs.mkdirSync(path.dirname(path.join(target, rel)), { recursive: true });
      fs.copyFileSync(from, path.join(target, rel));
      copied.push(rel.split(path.sep).join('/'));
    }
  };
  for (const rel of SCANNED) copy(rel);
  return copied;
}

/** Runs in the child: the tool, offline, its result written to a file. */
const RUNNER = `
const Module = require('node:module');
const offline = () => Promise.reject(new Error('offline: the audit makes no network requests'));
offline.head = offline;
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'got' ? offline : load.call(this, request, ...rest); };
const [input, output, electronVersion, excluded] = process.argv.slice(1);
const run = require(require.resolve('@doyensec/electronegativity', { paths: [process.cwd()] }));
run({ input, isRelative: true, electronVersionOverride: electronVersion, excludeFromScan: excluded.split(',') }).then(
  (r) => {
    const issues = r.issues.map((i) => ({
      id: i.id, file: i.file, line: i.location.line, severity: i.severity.name, severityValue: i.severity.value,
      confidence: i.confidence.name, sample: String(i.sample ?? ''), description: String(i.description ?? ''),
    }));
    require('node:fs').writeFileSync(output, JSON.stringify({ atomicChecks: r.atomicChecks, globalChecks: r.globalChecks, errors: r.errors, issues }));
  },
  (e) => { console.error(e); process.exit(1); },
);
`;

let scan: Scan;
let scannedFiles: string[] = [];
let scanDir = '';

beforeAll(() => {
  scanDir = tempDir('standby-electronegativity-');
  scannedFiles = copyScanned(scanDir);
  fs.mkdirSync(path.join(scanDir, 'canary'));
  fs.writeFileSync(
    path.join(scanDir, CANARY),
    "const { BrowserWindow } = require('electron');\nconst win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n",
  );
  const output = path.join(tempDir('standby-electronegativity-out-'), 'result.json');
  const electronVersion = (createRequire(import.meta.url)('electron/package.json') as { version: string }).version;
  const child = spawnSync(process.execPath, ['-e', RUNNER, scanDir, output, electronVersion, EXCLUDED_CHECKS.join(',')], {
    cwd: ROOT,
    encoding: 'utf8',
    // Its messages in English, and the locale it would try to download named as one it already has.
    env: { ...process.env, LANG: 'en-US' },
    timeout: 60_000,
  });
  if (child.status !== 0) throw new Error(`electronegativity failed (${String(child.status ?? child.signal)}): ${child.stderr}`);
  scan = JSON.parse(fs.readFileSync(output, 'utf8')) as Scan;
}, 90_000);

const describeFinding = (f: Finding) => `${f.id} (${f.severity}, ${f.confidence}) at ${f.file}:${f.line}: ${f.sample.trim()}`;

describe('Electronegativity', () => {
  it('scans the shell and the renderer, parsing every file, offline', () => {
    expect(scannedFiles).toEqual(expect.arrayContaining(['electron/main/main.ts', 'electron/main/security.ts', 'electron/preload/preload.ts', 'renderer/index.html']));
    expect(scan.atomicChecks).toBeGreaterThan(20);
    expect(scan.globalChecks).toBeGreaterThan(3);
    // A file it cannot parse is a file it did not check.
    expect(scan.errors.filter((e) => !e.tolerable)).toEqual([]);
  });

  it('still finds an insecure window (the canary), so a clean result means something', () => {
    const canary = scan.issues.filter((i) => i.file === CANARY).map((i) => i.id);
    expect(canary).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK']));
  });

  it('reports nothing of medium severity or above in the app', () => {
    const findings = scan.issues.filter((i) => i.file !== CANARY && i.severityValue >= MEDIUM).map(describeFinding);
    expect(findings).toEqual([]);
  });

  it('accepts a finding only with its reason written beside the annotation', () => {
    const annotations: string[] = [];
    for (const rel of scannedFiles) {
      const lines = fs.readFileSync(path.join(ROOT, rel), 'utf8').split('\n');
      lines.forEach((line, i) => {
        const at = line.indexOf('eng-disable');
        if (at < 0) return;
        annotations.push(`${rel}:${i + 1}`);
        // Check ids, a colon, then a reason of a few words.
        const justified = /eng-disable\s+[A-Z_]+(?:\s+[A-Z_]+)*:\s*\S.{15,}/.test(line.slice(at));
        expect(justified, `${rel}:${i + 1} needs "eng-disable CHECK_ID: reason"`).toBe(true);
      });
    }
    // Each one is known here too, so a new one is a decision someone made, not a way round the audit.
    expect(annotations).toEqual([expect.stringMatching(/^electron\/main\/main\.ts:\d+$/)]);
  });
});
