import fs from 'node:fs';
import { describeInvalid, IMPORT_FORMATS, MappingError, parseMappingFile, readImportFiles, type ResolvedMapping } from '../../desk/upstream';
import { describeAsOf, type RefreshCounts, type RefreshReport } from '../../desk/refresh';
import { extractFactsOf, type ExtractFacts } from '../../desk/extract-facts';
import { databasePath } from '../../desk/store/connection';
import { openDesk } from '../../desk/open';
import { readUpkeepSettings } from '../../desk/upkeep-settings';
import { choiceOption, dataDirOf, parseOptions, someArguments, UsageError, withDesk, type Command, type Out } from '../common';

const KINDS = ['appointments', 'patients', 'clinicians', 'sessions', 'slots'] as const;

const counts = (c: RefreshCounts) => `${c.added} added, ${c.changed} changed, ${c.removed} removed, ${c.unchanged} unchanged, ${c.skipped} skipped`;

/**
 * What a refresh did, for import and pull alike: counts by kind, then every record skipped and why. `notes`: what
 * the reader noticed (an extract file's layout).
 */
export function printRefresh(report: RefreshReport, dataDir: string, out: Out, json: boolean, notes: readonly string[] = []): void {
  if (json) {
    out.log(JSON.stringify({ dataDir, ...report, ...(notes.length ? { notes } : {}) }));
    return;
  }
  out.log(`Refreshed the mirror in ${dataDir} from ${report.source} (${report.dates.join(', ') || 'no dates'}), ${describeAsOf(report.asOf)}:`);
  for (const kind of KINDS) out.log(`  ${kind.padEnd(13)}${counts(report[kind])}`);
  for (const note of notes) out.log(`  read         ${note}`);
  if (report.practice === 'default') out.log('  practice     none in the data: using "Practice" (no ODS code)');
  for (const h of report.held) {
    out.log(`  held         ${h.resourceType}/${h.id}: upstream ${h.change} it, but the desk has changed it; kept beside it for reconciliation`);
  }
  for (const p of report.invalid) out.log(`  skipped      ${describeInvalid(p)}`);
}

export const importCommand: Command = {
  name: 'import',
  usage: `import PATH... [--format emis-extract|systmone-extract|fhir|csv] [--mapping FILE] [--skip-invalid] [--json]
                        refresh the mirror from FHIR Bundle or CSV files (see docs/csv-import.md), or from an
                        EMIS or SystmOne extract: PATHs are its folder, its zip or its files`,
  async run(args, out) {
    const { values: v, positionals } = parseOptions(args, { format: { type: 'string' }, mapping: { type: 'string' }, 'skip-invalid': { type: 'boolean', default: false } }, true);
    const files = someArguments('import', positionals, 'file');
    const format = choiceOption('format', v.format, IMPORT_FORMATS);
    const extract = format === 'emis-extract' || format === 'systmone-extract';
    // An extract's columns are its supplier's, read by name: a mapping would be silently ignored.
    if (extract && v.mapping !== undefined) throw new UsageError(`--mapping is for CSV exports; an ${format} is read by its published column names`);
    let mapping: ResolvedMapping | undefined;
    if (v.mapping !== undefined) {
      let text: string;
      try {
        text = fs.readFileSync(v.mapping, 'utf8');
      } catch (error) {
        throw new MappingError(`${v.mapping}: cannot be read (${(error as { code?: string }).code ?? String(error)})`);
      }
      mapping = parseMappingFile(text, v.mapping);
    }
    const dataDir = dataDirOf(v.data);
    // Every file is read and checked before the database is written: bad input changes nothing.
    const batch = readImportFiles(files, { format, mapping, skipInvalid: v['skip-invalid'], ...(extract ? mirrorFactsOf(dataDir) : {}) });
    return withDesk(dataDir, (desk) => {
      printRefresh(desk.service.upstream.refresh(batch, desk.context), dataDir, out, v.json, batch.notes);
      return 0;
    });
  },
};

/**
 * What an extract is read against: the practice it must be for (upkeep-settings.json's fhir.ods, else the practice's
 * ODS code saved on screen, else that of the practice the mirror holds), and the upstream records the mirror holds,
 * which a delta may refer to. The mirror is read only when there is one: a first import creates nothing before its
 * files pass.
 */
function mirrorFactsOf(dataDir: string): ExtractFacts {
  if (!fs.existsSync(databasePath(dataDir))) return { practiceOds: readUpkeepSettings(dataDir).settings.fhir?.odsCode ?? null, mirrored: () => false };
  const desk = openDesk({ dataDir });
  try {
    return extractFactsOf(desk, readUpkeepSettings(dataDir, process.env, desk.service.practiceSettings.upkeepParts()).settings.fhir?.odsCode ?? null);
  } finally {
    desk.close();
  }
}
