// Lint, and the layering of ../shared/DESIGN.md as a rule so it cannot rot:
//   shared/        imports only zod and itself: no electron, node:*, DOM libraries, React, or our other layers
//   renderer/      reaches the backend only through its api client: no electron, node, database, electron/*
//   electron/desk  plain Node: never imports electron (it runs headless and under test)
//   electron/desk-process  the utility process that owns the database: sits on the desk, never on main's windows
//   nothing imports renderer/ but its own tests (tests/)
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'url', 'util', 'stream', 'worker_threads'];
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
    },
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
        layer('the renderer reaches the backend only through renderer/src/api', [
          ...NODE_BUILTINS,
          'electron',
          'electron/*',
          'better-sqlite3',
          '**/electron/**',
          '../electron/*',
        ]),
      ],
    },
  },
  {
    files: ['electron/desk/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        layer('electron/desk is plain Node and never imports electron', ['electron', 'electron/*', '**/renderer/**', '**/electron/main/**', '**/electron/preload/**', '**/electron/server/**', '**/electron/cli/**']),
      ],
    },
  },
  {
    files: ['electron/desk-process/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        layer('the desk process sits on the desk; main talks to it only through messages', ['electron', 'electron/*', '**/renderer/**', '**/electron/main/**', '**/electron/preload/**', '../main/*', '../preload/*']),
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
