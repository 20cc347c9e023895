/**
 * The renderer's build. Build tooling runs in Node, so it lives at the top level with vitest.config.ts and
 * is type-checked by tsconfig.json; renderer/ holds only code that runs in the page (no node: imports).
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const rendererDir = fileURLToPath(new URL('./renderer', import.meta.url));

export default defineConfig({
  root: rendererDir,
  // Relative asset URLs, so the same build loads from http://127.0.0.1:<port>/ and from the app:// protocol.
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
});
