/**
 * The settings files a practice's IT puts in the data folder (backup-settings.json, upkeep-settings.json): read
 * once when the desk starts, each one optional. A file that cannot be read or does not fit its schema is never
 * half-used: the caller gets one line saying which file and which field, and carries on without it.
 */
import fs from 'node:fs';
import type { z } from 'zod';

export type SettingsRead<T> = { kind: 'absent' } | { kind: 'read'; value: T } | { kind: 'problem'; message: string };

export function readSettingsFile<T>(file: string, schema: z.ZodType<T>): SettingsRead<T> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    return { kind: 'problem', message: `${file}: ${describe(error)}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { kind: 'problem', message: `${file} is not JSON (${describe(error)})` };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
    return { kind: 'problem', message: `${file}: ${issues}` };
  }
  return { kind: 'read', value: parsed.data };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
