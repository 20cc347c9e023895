import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// The layering rule of DESIGN.md lives in eslint.config.js; these check that it really bites where it should.
// The files below exist only as text, so no tsconfig holds them: lint them without the type-aware rules.
const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: [{ files: ['**/*.{ts,tsx}'], ...tseslint.configs.disableTypeChecked }] });

async function restricted(filePath: string, source: string): Promise<boolean> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).some((m) => m.ruleId === 'no-restricted-imports');
}

describe('layering lint rule', () => {
  it.each([
    ['shared/domain/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n"],
    ['shared/domain/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['shared/domain/x.ts', "import { create } from 'zustand';\nexport const a = create;\n"],
    ['shared/domain/x.ts', "import { openDesk } from '../../electron/desk/open';\nexport const a = openDesk;\n"],
    ['renderer/src/x.ts', "import Database from 'better-sqlite3';\nexport const a = Database;\n"],
    ['renderer/src/x.ts', "import { openDesk } from '../../electron/desk/open';\nexport const a = openDesk;\n"],
    ['renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n"],
    ['electron/desk/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['electron/server/x.ts', "import { App } from '../../renderer/src/App';\nexport const a = App;\n"],
    ['electron/main/x.ts', "import { App } from '../../renderer/src/App';\nexport const a = App;\n"],
    ['electron/desk-process/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['electron/desk-process/x.ts', "import { DeskClient } from '../main/desk-client';\nexport const a = DeskClient;\n"],
    ['shared/domain/x.ts', "import { App } from '../../renderer/src/App';\nexport const a = App;\n"],
  ])('refuses in %s: %s', async (file, source) => {
    expect(await restricted(file, source)).toBe(true);
  });

  it.each([
    ['shared/domain/x.ts', "import { z } from 'zod';\nexport const a = z;\n"],
    ['renderer/src/x.ts', "import { contract } from '../../shared/api';\nexport const a = contract;\n"],
    ['electron/desk/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n"],
    ['electron/main/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['electron/main/x.ts', "import { hostArgs } from '../desk-process/protocol';\nexport const a = hostArgs;\n"],
    ['electron/desk-process/x.ts', "import { openDesk } from '../desk/open';\nexport const a = openDesk;\n"],
    // The renderer's own tests reach into it; nothing of the product does.
    ['tests/renderer/x.test.ts', "import { createDeskStore } from '../../renderer/src/state/desk-store';\nexport const a = createDeskStore;\n"],
  ])('allows in %s: %s', async (file, source) => {
    expect(await restricted(file, source)).toBe(false);
  });
});
