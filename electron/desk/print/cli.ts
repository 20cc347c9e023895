/**
 * The `print` and `pack` commands of `standby-desk`. They live beside the printing code rather than in
 * electron/cli/commands/ only because of who owns which files; they import nothing from electron/cli (the
 * desk layer may not), take the CLI's UsageError so wrong usage still exits 2, and can move there verbatim.
 */
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { addDays, isLocalDate } from '../../../shared/domain';
import { isMergeSheetKind, isSheetKind, MERGE_SHEET_KINDS, SHEET_KINDS } from '../../../shared/sheets';
import { writeMergeSheet } from '../merge/output';
import { defaultDataDir, openDesk } from '../open';
import { writeOutagePack } from './pack';
import { printSheet, PrintInputError } from './print-sheet';

interface Out {
  log: (line: string) => void;
  error: (line: string) => void;
}

export interface PrintCommand {
  name: string;
  usage: string;
  run(args: string[], out: Out): Promise<number>;
}

export interface PrintCommandDeps {
  /** The CLI's wrong-usage error: main turns it into exit code 2 and the usage text. */
  UsageError: new (message: string) => Error;
}

const COMMON = {
  data: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

export function printCommands({ UsageError }: PrintCommandDeps): PrintCommand[] {
  const parse = <O extends ParseArgsConfig['options']>(args: string[], options: O) => {
    try {
      return parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
  };
  const date = (value: string | undefined, fallback: string) => {
    if (value === undefined) return fallback;
    if (!isLocalDate(value)) throw new UsageError(`--date must be a real date as YYYY-MM-DD, got "${value}"`);
    return value;
  };
  const int = (name: string, value: string | undefined, fallback: number, min: number, max: number) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
    return n;
  };

  const print: PrintCommand = {
    name: 'print',
    usage: `print SHEET [--date YYYY-MM-DD] [--clinician ID] --out FILE.pdf
                        print one sheet to PDF; SHEET is one of ${SHEET_KINDS.join(', ')};
                        after an outage also ${MERGE_SHEET_KINDS.join(', ')}`,
    async run(args, out) {
      const { values: v, positionals } = parse(args, { date: { type: 'string' }, clinician: { type: 'string' }, out: { type: 'string' } });
      const [sheet, ...extra] = positionals;
      if (sheet === undefined) throw new UsageError(`print needs a SHEET: ${SHEET_KINDS.join(', ')}`);
      if (isMergeSheetKind(sheet)) {
        // Merge-back sheets cover the outage, not a date or a clinician.
        if (v.out === undefined || v.out.trim() === '' || !/\.pdf$/i.test(v.out)) throw new UsageError('print needs --out FILE.pdf');
        if (v.date !== undefined || v.clinician !== undefined || extra.length) throw new UsageError(`${sheet} covers the whole outage: no --date, --clinician or extra arguments`);
        const merged = openDesk({ dataDir: v.data ?? defaultDataDir() });
        try {
          const written = await writeMergeSheet(merged.service, sheet, path.resolve(v.out));
          out.log(v.json ? JSON.stringify(written) : `Printed the ${sheet}: ${written.pages ?? 0} page(s), to ${written.file}`);
          return 0;
        } finally {
          merged.close();
        }
      }
      if (!isSheetKind(sheet)) throw new UsageError(`unknown sheet "${sheet}"; the sheets are ${SHEET_KINDS.join(', ')}`);
      if (extra.length) throw new UsageError(`print takes one SHEET, got also: ${extra.join(' ')}`);
      if (v.out === undefined || v.out.trim() === '') throw new UsageError('print needs --out FILE.pdf');
      const file = path.resolve(v.out);
      const desk = openDesk({ dataDir: v.data ?? defaultDataDir() });
      try {
        const day = date(v.date, desk.service.today());
        const printed = await printSheet({ desk, sheet, date: day, clinicianId: v.clinician ?? null, out: file }).catch((error: unknown) => {
          if (error instanceof PrintInputError) throw new UsageError(error.message);
          throw error;
        });
        // Paper carries patient details out of the database: who printed what is in the audit trail.
        desk.service.recordAudit('print', { sheet, date: day, pages: printed.pages, appointments: printed.appointments, to: 'pdf' }, desk.context);
        if (v.json) {
          out.log(JSON.stringify(printed));
        } else {
          out.log(`Printed the ${sheet} for ${day}: ${printed.pages} page(s), ${printed.appointments} appointment(s), to ${file}`);
        }
        if (printed.appointments === 0) out.error(`standby-desk: the mirror holds no appointments for ${day}; the sheet says so.`);
        if (printed.stale) out.error(`standby-desk: warning: the mirror is stale (${printed.mirrorLabel}); every page says so.`);
        return 0;
      } finally {
        desk.close();
      }
    },
  };

  const pack: PrintCommand = {
    name: 'pack',
    usage: `pack --out FOLDER [--date YYYY-MM-DD] [--days N] [--keep N]
                        write the outage pack (every sheet as PDF) to FOLDER/pack-YYYYMMDD-HHMMSS; keeps N packs (5)`,
    async run(args, out) {
      const { values: v, positionals } = parse(args, { out: { type: 'string' }, date: { type: 'string' }, days: { type: 'string' }, keep: { type: 'string' } });
      if (positionals.length) throw new UsageError(`pack takes no arguments, got: ${positionals.join(' ')}`);
      if (v.out === undefined || v.out.trim() === '') throw new UsageError('pack needs --out FOLDER');
      const days = int('days', v.days, 1, 1, 4);
      const keep = int('keep', v.keep, 5, 1, 100);
      const folder = path.resolve(v.out);
      const desk = openDesk({ dataDir: v.data ?? defaultDataDir() });
      try {
        const first = date(v.date, desk.service.today());
        const dates = Array.from({ length: days }, (_x, i) => addDays(first, i));
        const written = await writeOutagePack({ desk, folder, dates, keep });
        desk.service.recordAudit('print', { sheet: 'outage-pack', dates, pages: written.pages, files: written.files.length }, desk.context);
        if (v.json) {
          out.log(JSON.stringify(written));
        } else {
          out.log(`Wrote the outage pack ${written.name} (${dates.join(', ')}): ${written.files.length} PDFs, ${written.pages} pages, to ${written.dir}`);
          if (written.pruned.length) out.log(`Removed older packs: ${written.pruned.join(', ')}`);
        }
        for (const [day, n] of Object.entries(written.appointments)) {
          if (n === 0) out.error(`standby-desk: the mirror holds no appointments for ${day}; that day's sheets say so.`);
        }
        return 0;
      } finally {
        desk.close();
      }
    },
  };

  return [print, pack];
}
