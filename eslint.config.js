// Lint, and the layering of ../shared/DESIGN.md as a rule so it cannot rot:
//   shared/        imports only zod and itself: no electron, node:*, DOM libraries, React, or our other layers
//   renderer/      reaches the backend only through its api client: no electron, node, database, electron/*
//   electron/desk  plain Node: never imports electron (it runs headless and under test)
//   electron/desk-process  the utility process that owns the database: sits on the desk, never on main's windows
//   nothing imports renderer/ but its own tests (tests/)
// Type-aware rules for the bugs types can see (a promise nobody awaits, a switch missing a case), no import cycles,
// and a warning on files long enough to want splitting along their seams.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'url', 'util', 'stream', 'worker_threads'];
// import-x's TypeScript settings (which files it parses), without its legacy resolver: ours reads our tsconfigs.
const { 'import-x/resolver': _legacyResolver, ...importXTypeScript } = importX.flatConfigs.typescript.settings;
const layer = (message, patterns) => ({ patterns: [{ group: patterns, message }] });

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-artifacts/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-lines': ['warn', { max: 400, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Each file is checked with the tsconfig.json nearest to it (electron/main and electron/preload have one that
    // extends electron/tsconfig.shell.json), so the rules see the same types `npm run typecheck` does.
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
      '@typescript-eslint/no-base-to-string': 'error',
      '@typescript-eslint/restrict-template-expressions': 'error',
      '@typescript-eslint/no-unsafe-argument': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
    },
  },
  {
    // Value-level import cycles (tests/unit/import-cycles.test.ts also catches the type-only ones).
    plugins: { 'import-x': importX },
    settings: {
      ...importXTypeScript,
      // Our imports are relative (no tsconfig paths), so the root tsconfig's resolution serves every file.
      'import-x/resolver-next': [createTypeScriptImportResolver()],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // Tests may reach into the renderer to test it; the product's other layers may not.
    ignores: ['tests/**'],
    rules: {
      'no-restricted-imports': ['error', layer('nothing imports the renderer', ['**/renderer/**'])],
    },
  },
  {
    files: ['bin/**/*.mjs', '*.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        layer('shared/ is pure: it imports only zod and itself', [
          ...NODE_BUILTINS,
          'electron',
          'electron/*',
          'better-sqlite3',
          'react',
          'react-*',
          'react/*',
          'zustand',
          'zustand/*',
          '**/electron/**',
          '**/renderer/**',
          '../../electron/*',
        ]),
      ],
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        layer('the renderer reaches the backend only through renderer/src/api', [...NODE_BUILTINS, 'electron', 'electron/*', 'better-sqlite3', '**/electron/**', '../electron/*']),
      ],
    },
  },
  {
    files: ['electron/desk/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        layer('electron/desk is plain Node and never imports electron', [
          'electron',
          'electron/*',
          '**/renderer/**',
          '**/electron/main/**',
          '**/electron/preload/**',
          '**/electron/server/**',
          '**/electron/cli/**',
        ]),
      ],
    },
  },
  {
    files: ['electron/desk-process/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        layer('the desk process sits on the desk; main talks to it only through messages', [
          'electron',
          'electron/*',
          '**/renderer/**',
          '**/electron/main/**',
          '**/electron/preload/**',
          '../main/*',
          '../preload/*',
        ]),
      ],
    },
  },
  {
    files: ['electron/server/**/*.ts', 'electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', layer('server and CLI sit on the desk and never import electron', ['electron', 'electron/*', '**/renderer/**'])],
    },
  },
);
