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

/** A London date given as --date (or another flag), or the fallback when it is not given. */
export function dateOption(value: string | undefined, fallback: string, flag = 'date'): string {
  if (value === undefined) return fallback;
  if (!isLocalDate(value)) throw new UsageError(`--${flag} must be a real date as YYYY-MM-DD, got "${value}"`);
  return value;
}

/** An option the command cannot run without; blank counts as missing. `shape` says what to give ("FILE.pdf"). */
export function requiredOption(command: string, flag: string, value: string | undefined, shape: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${command} needs --${flag} ${shape}`);
  return value;
}

/** One of a fixed set of values, or undefined when the option is not given. */
export function choiceOption<C extends string>(flag: string, value: string | undefined, choices: readonly C[]): C | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(`--${flag} must be ${orList(choices)}, got "${value}"`);
  return value as C;
}

/** Exactly one argument: `what` names it in the usage error ("SHEET"), `hint` may say what it can be. */
export function oneArgument(command: string, positionals: readonly string[], what: string, hint?: string): string {
  const [first, ...extra] = positionals;
  if (first === undefined) throw new UsageError(`${command} needs ${what}${hint ? `: ${hint}` : ''}`);
  if (extra.length > 0) throw new UsageError(`${command} takes one ${what}, got also: ${extra.join(' ')}`);
  return first;
}

/** At least one argument (files to read, say). */
export function someArguments(command: string, positionals: readonly string[], what: string): string[] {
  if (positionals.length === 0) throw new UsageError(`${command} needs at least one ${what}`);
  return [...positionals];
}

export function noArguments(command: string, positionals: readonly string[]): void {
  if (positionals.length > 0) throw new UsageError(`${command} takes no arguments, got: ${positionals.join(' ')}`);
}

/** "a, b or c" */
export function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
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
