import path from 'node:path';
import { CAPABILITIES } from '../../../shared/merge';
import { MERGE_SHEET_KINDS } from '../../../shared/sheets';
import { applyMerge, readUpstreamForMerge } from '../../desk/merge/apply';
import { writeMergeSheet } from '../../desk/merge/output';
import { PullError } from '../../desk/upstream/fhir/client';
import { choiceOption, dataDirOf, intOption, noArguments, parseOptions, requiredOption, UsageError, withDesk, type Command } from '../common';
import { UPSTREAM_OPTIONS, UPSTREAM_USAGE, upstreamSettingsFromFlags } from '../upstream-flags';

/**
 * `reconcile`: read upstream, plan, and (unless --dry-run) apply every clean entry. Running the command is the
 * person's confirmation; conflicts are never applied here: they wait for a decision in the review screen.
 */
export const reconcileCommand: Command = {
  name: 'reconcile',
  usage: `reconcile --fhir URL [--dry-run] [--capability fhir|gp-connect|none] [--retention-days N] [--timeout SECONDS] [--page-size N] [--json]
                        merge the outage's desk changes back: plan against the clinical system as it is now,
                        then apply the clean ones (--dry-run: plan only); conflicts wait for a person;
                        ${UPSTREAM_USAGE}`,
  async run(args, out) {
    const { values: v } = parseOptions(args, {
      ...UPSTREAM_OPTIONS,
      'dry-run': { type: 'boolean', default: false },
      capability: { type: 'string' },
      'retention-days': { type: 'string' },
    });
    const fhir = requiredOption('reconcile', 'fhir', v.fhir, 'URL (the FHIR R4 base URL)');
    const capability = choiceOption('capability', v.capability, CAPABILITIES);
    const settings = upstreamSettingsFromFlags(v, fhir);
    return withDesk(dataDirOf(v.data), async (desk) => {
      const merge = desk.service.merge;
      if (capability !== undefined) merge.setCapability(capability);
      if (v['retention-days'] !== undefined) merge.setRetentionDays(intOption('retention-days', v['retention-days'], 30, 1, 3650));
      try {
        await readUpstreamForMerge(merge, settings);
      } catch (error) {
        if (error instanceof PullError) {
          out.error(`standby-desk: cannot read the clinical system: ${error.message}; nothing was written`);
          return 1;
        }
        throw error;
      }
      const before = merge.planView();
      const report = v['dry-run'] ? null : await applyMerge(merge, settings, { ctx: desk.context, retryDelayMs: 250 });
      const after = merge.planView();
      const retention = merge.retention(desk.context);
      if (v.json) {
        out.log(JSON.stringify({ dryRun: v['dry-run'], plan: before.counts, applied: report, remaining: after.counts, complete: after.complete, retention, groups: after.groups }));
        return 0;
      }
      const c = before.counts;
      out.log(`Plan: ${c.clean} clean, ${c.compatible} compatible, ${c.already} already upstream, ${c.conflict} conflicts, ${c.manual} to key by hand`);
      if (report) {
        out.log(
          `Applied: ${report.applied} written, ${report.already} found already there, ${report.conflict} now in conflict, ${report.rejected} refused, ${report.failed} failed${report.skipped ? `, ${report.skipped} waiting` : ''}`,
        );
      } else {
        out.log('Dry run: nothing was written.');
      }
      for (const g of after.groups) {
        for (const i of g.items.filter((x) => x.class === 'conflict' || x.attempt)) {
          out.log(`  ${g.name}: ${i.class}${i.attempt ? ` (${i.attempt.result}: ${i.attempt.detail})` : ''}: ${i.reason}`);
        }
      }
      if (after.complete) out.log(`Reconciliation is complete. Patient data from the outage is purged after ${retention.purgeAfter ?? 'the retention period'}.`);
      else out.log(`Still to do: ${after.counts.conflict} conflicts to decide, ${after.counts.manual} items to key by hand (standby-desk worklist --out FILE.pdf).`);
      return 0;
    });
  },
};

function mergeSheetCommand(name: 'worklist' | 'impact-report', what: string, patients = false): Command {
  // The impact report (the one with the patients option) is also a FHIR MeasureReport for the ICB.
  const formats = patients ? ['csv', 'pdf', 'json'] : ['csv', 'pdf'];
  return {
    name,
    usage: `${name} --out ${formats.map((f) => `FILE.${f}`).join('|')}${patients ? ' [--patients]' : ''} [--json]
                        ${what}`,
    async run(args, out) {
      const { values: v, positionals } = parseOptions(args, { out: { type: 'string' }, ...(patients ? { patients: { type: 'boolean', default: false } } : {}) }, true);
      noArguments(name, positionals);
      if (!v.out || !new RegExp(`\\.(${formats.join('|')})$`, 'i').test(v.out)) throw new UsageError(`${name} needs --out ${formats.map((f) => `FILE.${f}`).join(' or ')}`);
      const identifiable = v['patients'] === true;
      if (identifiable && !/\.pdf$/i.test(v.out)) throw new UsageError(`${name} --patients needs --out FILE.pdf (the CSV is counts only)`);
      const file = path.resolve(v.out);
      return withDesk(dataDirOf(v.data), async (desk) => {
        const written = await writeMergeSheet(desk.service, name, file, { patients: identifiable });
        if (v.json) out.log(JSON.stringify(written));
        else
          out.log(
            `Wrote the ${name} (${written.format === 'json' ? 'FHIR MeasureReport' : written.format.toUpperCase()}${written.pages !== null ? `, ${written.pages} page(s)` : ''}) to ${file}`,
          );
        return 0;
      });
    },
  };
}

export const worklistCommand = mergeSheetCommand('worklist', 'what to key into the clinical system by hand, by patient in keying order');
export const impactReportCommand = mergeSheetCommand(
  'impact-report',
  `each outage's impact in counts, and all together, with the work it caused (for the ICB; .json: a FHIR R4
                        MeasureReport, docs/impact-measure.md); --patients: the PDF also lists
                        the patients in time-sensitive care affected, by name (for the practice); also: print ${MERGE_SHEET_KINDS.join('|')}`,
  true,
);
