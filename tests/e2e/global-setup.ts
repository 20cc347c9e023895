/**
 * Builds the renderer once before the e2e files run: the server under test serves dist/renderer, and a stale
 * build would test yesterday's screen. A build takes a few seconds, so it always runs. The CLI the tests start
 * is bundled alongside (cli-bundle.ts), from the same sources, for the same reason.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { bundleCli } from './cli-bundle';

export default async function setup(): Promise<void> {
  // Vitest sets NODE_ENV=test and Vite would bake that into the bundle (React's development build):
  // the screen under test must be the one that ships.
  const previous = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = 'production';
  try {
    await bundleCli();
    await build({
      configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
      mode: 'production',
      logLevel: 'warn',
    });
  } finally {
    if (previous === undefined) delete process.env['NODE_ENV'];
    else process.env['NODE_ENV'] = previous;
  }
}
