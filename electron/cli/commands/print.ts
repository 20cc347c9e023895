/** The `print` and `pack` commands: one sheet to a PDF, and the outage pack (every day's sheet as PDFs). */
import path from 'node:path';
import { addDays } from '../../../shared/domain';
import { isMergeSheetKind, isSheetKind, MERGE_SHEET_KINDS, REST_OF_DAY_SHEETS, SHEET_KINDS } from '../../../shared/sheets';
import { writeMergeSheet } from '../../desk/merge/output';
import { printSheet, PrintInputError, writeOutagePack } from '../../desk/print';
import { dataDirOf, dateOption, intOption, noArguments, oneArgument, parseOptions, requiredOption, UsageError, withDesk, type Command } from '../common';

export const printCommand: Command = {
  name: 'print',
  usage: `print SHEET [--date YYYY-MM-DD] [--clinician ID] [--from HH:MM] --out FILE.pdf
                        print one sheet to PDF; SHEET is one of ${SHEET_KINDS.join(', ')};
                        --from prints the rest of the day from that time (${REST_OF_DAY_SHEETS.join(', ')});
                        after an outage also ${MERGE_SHEET_KINDS.join(', ')}`,
  async run(args, out) {
    const { values: v, positionals } = parseOptions(args, { date: { type: 'string' }, clinician: { type: 'string' }, from: { type: 'string' }, out: { type: 'string' } }, true);
    const sheet = oneArgument('print', positionals, 'a SHEET', SHEET_KINDS.join(', '));
    if (isMergeSheetKind(sheet)) {
      // Merge-back sheets cover the outage, not a date or a clinician.
      const file = requiredOption('print', 'out', v.out, 'FILE.pdf');
      if (!/\.pdf$/i.test(file)) throw new UsageError('print needs --out FILE.pdf');
      if (v.date !== undefined || v.clinician !== undefined || v.from !== undefined) {
        throw new UsageError(`${sheet} covers the whole outage: no --date, --clinician or --from`);
      }
      return withDesk(dataDirOf(v.data), async (desk) => {
        const written = await writeMergeSheet(desk.service, sheet, path.resolve(file));
        out.log(v.json ? JSON.stringify(written) : `Printed the ${sheet}: ${written.pages ?? 0} page(s), to ${written.file}`);
        return 0;
      });
    }
    if (!isSheetKind(sheet)) throw new UsageError(`unknown sheet "${sheet}"; the sheets are ${SHEET_KINDS.join(', ')}`);
    const file = path.resolve(requiredOption('print', 'out', v.out, 'FILE.pdf'));
    return withDesk(dataDirOf(v.data), async (desk) => {
      const day = dateOption(v.date, desk.service.today());
      const printed = await printSheet({ desk, sheet, date: day, clinicianId: v.clinician ?? null, from: v.from ?? null, out: file }).catch((error: unknown) => {
        if (error instanceof PrintInputError) throw new UsageError(error.message);
        throw error;
      });
      // Paper carries patient details out of the database: who printed what is in the audit trail.
      desk.service.recordAudit(
        'print',
        { sheet, date: day, ...(v.from ? { from: v.from } : {}), pages: printed.pages, appointments: printed.appointments, to: 'pdf' },
        desk.context,
      );
      if (v.json) {
        out.log(JSON.stringify(printed));
      } else {
        const span = v.from ? `${day} from ${v.from}` : day;
        out.log(`Printed the ${sheet} for ${span}: ${printed.pages} page(s), ${printed.appointments} appointment(s), to ${file}`);
      }
      if (printed.appointments === 0) out.error(`standby-desk: the mirror holds no appointments for ${day}; the sheet says so.`);
      if (printed.stale) out.error(`standby-desk: warning: the mirror is stale (${printed.mirrorLabel}); every page says so.`);
      return 0;
    });
  },
};

export const packCommand: Command = {
  name: 'pack',
  usage: `pack --out FOLDER [--date YYYY-MM-DD] [--days N] [--keep N]
                        write the outage pack (every sheet as PDF) to FOLDER/pack-YYYYMMDD-HHMMSS; keeps N packs (5)`,
  async run(args, out) {
    const { values: v, positionals } = parseOptions(args, { out: { type: 'string' }, date: { type: 'string' }, days: { type: 'string' }, keep: { type: 'string' } }, true);
    noArguments('pack', positionals);
    const folder = path.resolve(requiredOption('pack', 'out', v.out, 'FOLDER'));
    const days = intOption('days', v.days, 1, 1, 4);
    const keep = intOption('keep', v.keep, 5, 1, 100);
    return withDesk(dataDirOf(v.data), async (desk) => {
      const first = dateOption(v.date, desk.service.today());
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
    });
  },
};
