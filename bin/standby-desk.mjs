#!/usr/bin/env node
// The installed `standby-desk` command: runs the TypeScript CLI through tsx's loader (a runtime dependency),
// so the command and `npm run desk` are the same code.
import { register } from 'tsx/esm/api';

register();
process.env.STANDBY_DESK_CLI = '1';
await import('../electron/cli/main.ts');
