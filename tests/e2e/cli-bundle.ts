/**
 * The CLI that the e2e tests start (`standby-desk serve`), bundled once by the global set-up and run with plain
 * node: starting it through tsx compiled our TypeScript again in every one of the ~20 servers the suite starts
 * (1.7 s a start against 1.0 s bundled, measured on the 2-core runner). The same sources, the same entry
 * (electron/cli/main.ts); the packages stay in node_modules, as they are when it runs from source.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Three folders below the checkout, as electron/cli/commands/serve.ts is: serve finds the renderer it serves
 * (dist/renderer) from its own file's place.
 */
export const E2E_CLI = path.join(REPO_ROOT, 'dist', 'e2e-cli', 'commands', 'main.mjs');

export async function bundleCli(): Promise<void> {
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: ['electron/cli/main.ts'],
    outfile: E2E_CLI,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
}
