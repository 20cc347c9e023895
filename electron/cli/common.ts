/** What every `standby-desk` command shares: option parsing, the data folder, dates, output. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isLocalDate } from '../../shared/domain';
import { defaultDataDir, openDesk, type OpenDesk } from '../desk/open';

/** Wrong usage: exit code 2 and the usage text. */
export class UsageError extends Error {}

export interface Out {
  log: (line: string) => void;
  error: (line: string) => void;
}

export interface Command {
  name: string;
  /** One or more lines for the usage text, starting with the command and its options. */
  usage: string;
  run(args: string[], out: Out): number | Promise<number>;
}

export const COMMON_OPTIONS = {
  data: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

export function parseOptions<O extends ParseArgsConfig['options']>(args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args, options: { ...COMMON_OPTIONS, ...options }, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export function dataDirOf(value: string | undefined): string {
  return value ?? defaultDataDir();
}

export function dateOption(value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (!isLocalDate(value)) throw new UsageError(`--date must be a real date as YYYY-MM-DD, got "${value}"`);
  return value;
}

export function intOption(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

/** Opens the desk for one command and always closes it (checkpointing the WAL), however the command ends. */
export async function withDesk<T>(dataDir: string, fn: (desk: OpenDesk) => T | Promise<T>): Promise<T> {
  const desk = openDesk({ dataDir });
  try {
    return await fn(desk);
  } finally {
    desk.close();
  }
}

export function ageMinutes(asOf: string | null, now: Date): number | null {
  return asOf === null ? null : Math.max(0, Math.floor((now.getTime() - new Date(asOf).getTime()) / 60000));
}
