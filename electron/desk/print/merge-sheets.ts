/**
 * The merge-back sheets (shared/sheets/merge-back.ts) as print documents, in the same frame, CSS and escaping as
 * the day sheets (html.ts): Chromium's header and footer on every page, black on white, rows never split.
 */
import type { ImpactReportSheet, WorklistSheet } from '../../../shared/sheets';
import { missingCaseError } from '../../../shared/domain';
import { printDocument, type PrintDocument } from './html';
import { MARGIN_MM, type PageStyle } from './layout';
import { html, type SafeHtml } from './safe-html';

const STYLE: PageStyle = { orientation: 'portrait', margin: MARGIN_MM, frame: 'chromium' };

const EXTRA_CSS = `
table.worklist tbody tr { height: 14mm; }
table.worklist td.box-cell { width: 14mm; }
.patient-head th { background: #fff; border-width: 1.2pt; font-size: 12pt; text-align: left; padding: 1.5mm 2mm; }
.patient-head .prio { float: right; font-weight: 400; font-size: 10pt; }
.patient-head .tr { white-space: nowrap; }
table.impact td { font-size: 12pt; height: 10mm; vertical-align: middle; }
/* A figure table is read as one: never split across pages, so its heading and last figures stay together. */
section.figures { break-inside: avoid; }
table.impact td.v { text-align: right; font-weight: 700; width: 35mm; }
h2 { font-size: 13pt; margin: 5mm 0 2mm 0; }
.done-banner { border: 2pt solid #000; padding: 2mm 3mm; margin-bottom: 3mm; font-weight: 700; }
.nhs { white-space: nowrap; }
table.patients td { font-size: 10pt; vertical-align: top; }
`;

type MergeSheet = WorklistSheet | ImpactReportSheet;

export function renderMergeSheet(sheet: MergeSheet): PrintDocument {
  return printDocument(sheet, STYLE, body(sheet), EXTRA_CSS);
}

function body(sheet: MergeSheet): SafeHtml {
  switch (sheet.kind) {
    case 'worklist':
      return worklist(sheet);
    case 'impact-report':
      return impact(sheet);
    default:
      throw missingCaseError(sheet);
  }
}

function worklist(sheet: WorklistSheet): SafeHtml {
  if (sheet.total === 0) {
    return html`<p class="done-banner">Nothing to key by hand.${sheet.complete ? ' Reconciliation is complete.' : ' Conflicts may still need a decision in the review screen.'}</p>`;
  }
  return html`<p>${sheet.total} item${sheet.total === 1 ? '' : 's'} to key into the clinical system, in this order. Tick each one in Standby Desk as it is done.</p>
<table class="sheet worklist"><colgroup><col style="width: 10mm"><col style="width: 30mm"><col><col style="width: 14mm"></colgroup>
<thead><tr class="cols"><th>#</th><th>When</th><th>What to key, and why</th><th class="center">Done</th></tr></thead>
${sheet.patients.map(
  (p) => html`<tbody>
<tr class="patient-head"><th colspan="4"><span class="prio">${p.priority}</span>${p.name}${p.temporaryResident ? html` <b class="tr">(TR) temporary resident</b>` : null} <span class="small">${p.born ? html`${p.born} \u00b7 ` : null}<span class="nhs">${p.nhs}</span></span>${p.flags.length ? html` <span class="urgent">${p.flags.join(', ')}</span>` : null}</th></tr>
${p.rows.map(
  (r) =>
    html`<tr><td class="num">${r.number}</td><td>${r.when}</td><td><div>${r.attendance ? html`<b>Attendance: </b>` : null}${r.action}</div><div class="reason">${r.why}</div></td><td class="box-cell"><span class="box"></span></td></tr>`,
)}
</tbody>`,
)}
</table>`;
}

function figures(caption: string, list: ReadonlyArray<{ label: string; value: string }>): SafeHtml {
  return html`<section class="figures"><h2>${caption}</h2>
<table class="sheet impact"><tbody>${list.map((r) => html`<tr><td>${r.label}</td><td class="v">${String(r.value)}</td></tr>`)}</tbody></table></section>`;
}

function impact(sheet: ImpactReportSheet): SafeHtml {
  const several = sheet.outages.length > 1;
  return html`<h2>${several ? `${sheet.outages.length} outages` : 'Outage window'}</h2><p>${sheet.window}</p>
${several ? sheet.outages.map((o) => html`${figures(`${o.title}: ${o.window}`, o.rows)}`) : null}
${figures(several ? 'All outages together' : 'Appointments', sheet.rows)}
${figures('Desk changes put back', sheet.entries)}
${figures('The work it caused (the practice’s minutes per task)', sheet.work)}
${
  sheet.patients
    ? html`<h2>Patients in time-sensitive care affected</h2>
<table class="sheet patients"><colgroup><col><col style="width: 30mm"><col style="width: 22mm"><col style="width: 30mm"><col></colgroup>
<thead><tr class="cols"><th>Patient</th><th>NHS number</th><th>Born</th><th>Care</th><th>Appointments in the outage</th></tr></thead>
<tbody>${sheet.patients.map((p) => html`<tr><td>${p.name}${several ? html` <span class="small">(${p.outage})</span>` : null}</td><td class="nhs">${p.nhs}</td><td>${p.born}</td><td>${p.care}</td><td>${p.appointments}</td></tr>`)}</tbody></table>
<p class="small">Patient-identifiable: for the practice's own follow-up, not for the ICB claim. The counts alone are kept after the outage's patient data is purged.</p>`
    : html`<p class="small">Counts only: no patient details. They are kept after the outage's patient data is purged.</p>`
}`;
}
