/**
 * Bundles the Electron shell: main -> dist/electron/main.cjs, the desk process (a utility process that owns the
 * database) -> dist/electron/desk-host.cjs, the preloads -> dist/electron/preload.cjs and recovery-preload.cjs.
 * Bundled because the sandboxed preload may not require our modules at run time, and so the packaged app
 * ships one file per process instead of our TypeScript sources. Needs no Electron binary.
 *
 *   npm run build:electron
 */
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

// Electron 45 ships Node 22 and Chromium 140.
const common: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
  legalComments: 'linked',
};

const targets: { name: string; options: BuildOptions }[] = [
  {
    name: 'main',
    options: {
      ...common,
      entryPoints: ['electron/main/main.ts'],
      outfile: 'dist/electron/main.cjs',
      platform: 'node',
      target: 'node22',
      // better-sqlite3(-multiple-ciphers, the encrypted build the desk uses) loads a native addon that electron-builder
      // rebuilds for Electron; it stays a package.
      external: ['electron', 'better-sqlite3', 'better-sqlite3-multiple-ciphers'],
    },
  },
  {
    name: 'preload',
    options: {
      ...common,
      entryPoints: ['electron/preload/preload.ts'],
      outfile: 'dist/electron/preload.cjs',
      // A sandboxed preload runs in the renderer with only a few Node-like globals: bundle it as browser code
      // so nothing reaches for a Node built-in.
      platform: 'browser',
      target: 'chrome140',
      external: ['electron'],
    },
  },
  {
    name: 'desk-host',
    options: {
      ...common,
      entryPoints: ['electron/desk-process/main.ts'],
      outfile: 'dist/electron/desk-host.cjs',
      platform: 'node',
      target: 'node22',
      // playwright-core is what `standby-desk print` and `serve --pack` draw PDFs with; the app draws them with
      // Electron's Chromium instead (MainProcessPrinter), so it is never loaded there and is not packaged.
      external: ['electron', 'better-sqlite3', 'better-sqlite3-multiple-ciphers', 'playwright-core'],
    },
  },
  {
    name: 'recovery-preload',
    options: {
      ...common,
      entryPoints: ['electron/preload/recovery.ts'],
      outfile: 'dist/electron/recovery-preload.cjs',
      platform: 'browser',
      target: 'chrome140',
      external: ['electron'],
    },
  },
];

function outputSizes(metafile: Metafile | undefined): string {
  if (!metafile) return '';
  return Object.entries(metafile.outputs)
    .filter(([file]) => !file.endsWith('.map') && !file.endsWith('.LEGAL.txt'))
    .map(([file, output]) => `${file} ${(output.bytes / 1024).toFixed(1)} KiB`)
    .join(', ');
}

async function main(): Promise<void> {
  for (const { name, options } of targets) {
    const result = await build(options);
    console.log(`bundled ${name}: ${outputSizes(result.metafile)}`);
  }
}

main().catch((error: unknown) => {
  // esbuild has already printed the errors with their locations.
  if (!(error instanceof Error && 'errors' in error)) console.error(error);
  process.exitCode = 1;
});
