/**
 * Sheet models (shared/sheets) to HTML + print CSS, and the page header and footer Chromium prints on every
 * page. Pure: no node:*, no browser; the same strings go to the PDF, to Electron's printToPDF, and to a preview.
 */
import {
  code128Bars,
  QUIET_ZONE_MODULES,
  type AppointmentLine,
  type CallbackListSheet,
  type ClinicianListSheet,
  type Code128,
  type ConsultationRecord,
  type ConsultationRecordsSheet,
  type FlagText,
  type MasterListSheet,
  type PatientText,
  type Sheet,
  type SheetFrame,
  type SheetKind,
  type MergeSheetKind,
  type WalkInRegisterSheet,
} from '../../../shared/sheets';
import { missingCaseError } from '../../../shared/domain';
import { printCss } from './css';
import { contentBox, PAGE_STYLE, RECORD_MM, type Orientation, type PageStyle } from './layout';
import { html, trusted, type SafeHtml } from './safe-html';

export interface PrintDocument {
  /** A day sheet, a merge-back sheet (print/merge-sheets.ts), or the key's recovery sheet (desk/recovery/sheet.ts). */
  kind: SheetKind | MergeSheetKind | 'recovery-sheet';
  /** The document title, also a sensible file name stem. */
  title: string;
  orientation: Orientation;
  html: string;
  /** False when the frame is printed in the page body (one fixed page per item); the templates are then empty. */
  displayHeaderFooter: boolean;
  headerTemplate: string;
  footerTemplate: string;
  /** Margins for page.pdf / printToPDF, matching @page in the CSS. */
  margin: { top: string; bottom: string; left: string; right: string };
  /**
   * The frame as CSS page margin boxes, for printing without the templates (the system print dialog, which
   * cannot use them): the same lines on every page, page N of M included. Empty when the frame is in the body.
   */
  pageFrameCss: string;
}

export function renderSheet(sheet: Sheet): PrintDocument {
  return printDocument(sheet, PAGE_STYLE[sheet.kind], sheetBody(sheet));
}

/**
 * Any sheet, a day's or a merge-back one, as a print document: its body in the page with the print CSS (and any
 * the sheet adds), the frame on screen, and Chromium's header and footer when the style puts the frame there.
 */
export function printDocument(sheet: { kind: PrintDocument['kind']; frame: SheetFrame }, style: PageStyle, body: SafeHtml, extraCss = ''): PrintDocument {
  const f = sheet.frame;
  const chromiumFrame = style.frame === 'chromium';
  const title = `${f.sheet}${f.scope ? ` - ${f.scope}` : ''} - ${f.dateLabel}${f.fromLabel ? ` ${f.fromLabel}` : ''}`;
  const page = html`<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${title}</title>
<style>${trusted(printCss(style) + extraCss)}</style>
</head><body class="${sheet.kind}">
${screenFrame(f)}
${body}
</body></html>`;
  return {
    kind: sheet.kind,
    title,
    orientation: style.orientation,
    html: page.value,
    displayHeaderFooter: chromiumFrame,
    headerTemplate: chromiumFrame ? headerTemplate(f).value : '<span></span>',
    footerTemplate: chromiumFrame ? footerTemplate(f).value : '<span></span>',
    margin: { top: `${style.margin.top}mm`, bottom: `${style.margin.bottom}mm`, left: `${style.margin.left}mm`, right: `${style.margin.right}mm` },
    pageFrameCss: chromiumFrame ? pageFrameCss(f) : '',
  };
}

function sheetBody(sheet: Sheet): SafeHtml {
  switch (sheet.kind) {
    case 'clinician-list':
      return clinicianList(sheet);
    case 'master-list':
      return masterList(sheet);
    case 'walk-in-register':
      return walkInRegister(sheet);
    case 'consultation-records':
      return consultationRecords(sheet);
    case 'callback-list':
      return callbackList(sheet);
    default:
      throw missingCaseError(sheet);
  }
}

// ---- the frame: every page ------------------------------------------------------------------------------

const HF_STYLE = trusted(`<style>
  .hf { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: #000; width: 100%; margin: 0 ${PAGE_STYLE['clinician-list'].margin.left}mm; font-size: 9pt; line-height: 1.25; }
  .hf .row { display: flex; justify-content: space-between; gap: 4mm; align-items: baseline; }
  .hf .big { font-size: 11pt; font-weight: 700; }
  .hf .sheetname { font-size: 11pt; font-weight: 700; text-transform: uppercase; white-space: nowrap; }
  .hf .stale { border: 1.5pt solid #000; padding: 0.4mm 1.5mm; font-weight: 700; margin-top: 0.6mm; }
  .hf .page { font-size: 10pt; font-weight: 700; white-space: nowrap; }
</style>`);

/** "Clinician list: Dr A Patel from 15:39": the sheet, who it is for, and where a rest-of-the-day sheet starts. */
function sheetHeading(f: SheetFrame): string {
  return `${f.drill ? `${DRILL_MARK} \u00b7 ` : ''}${f.scope ? `${f.sheet}: ${f.scope}` : f.sheet}${f.fromLabel ? ` ${f.fromLabel}` : ''}`;
}

/** What an outage drill's paper says on every page, header and footer, so no one files it as the real day. */
const DRILL_MARK = 'DRILL';

/** Practice and day, the sheet, printed at, mirror as of (or the stale warning), confidentiality. */
function frameLines(f: SheetFrame): SafeHtml {
  const sheet = sheetHeading(f);
  return html`<div class="row"><span class="big">${f.practice} &middot; ${f.dateLabel}</span><span class="sheetname">${sheet}</span></div>
  ${
    f.staleWarning
      ? html`<div class="stale">${f.staleWarning} ${f.mirrorAsOfShort}. ${f.printedAtLabel}.</div>`
      : html`<div class="row"><span>${f.printedAtLabel} &middot; ${f.mirrorAsOfLabel}${f.outage ? ' \u00b7 OUTAGE MODE' : ''}</span><span>${f.confidential}</span></div>`
  }`;
}

function headerTemplate(f: SheetFrame): SafeHtml {
  return html`${HF_STYLE}<div class="hf" style="padding-top: 4mm">${frameLines(f)}</div>`;
}

function footerTemplate(f: SheetFrame): SafeHtml {
  return html`${HF_STYLE}<div class="hf" style="padding-bottom: 4mm">
  <div class="row"><span>${f.drill ? `${DRILL_MARK}: practice only, not the real day. ` : ''}${f.confidential}. Shred when done.</span><span>${f.sheet} &middot; ${f.dateLabel}${f.fromLabel ? ` ${f.fromLabel}` : ''}</span><span class="page">Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>
</div>`;
}

/** A CSS string literal of any text: quotes and backslashes escaped, line breaks as \A, and no "<" to end a <style>. */
function cssString(text: string): string {
  return `"${text.replace(/[\\"<]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `).replace(/\r?\n/g, '\\A ')}"`;
}

/**
 * frameLines and the footer as page margin boxes (Chromium 131 and later, so Electron 45): what the system
 * print dialog prints on every page, where the header and footer templates cannot go. The stale warning takes
 * the place of the printed-at line, boxed, as in the templates.
 */
function pageFrameCss(f: SheetFrame): string {
  const sheet = sheetHeading(f);
  const font = '"Liberation Sans", Arial, Helvetica, sans-serif';
  const second = f.staleWarning
    ? `${f.staleWarning} ${f.mirrorAsOfShort}. ${f.printedAtLabel}.`
    : `${f.printedAtLabel} \u00b7 ${f.mirrorAsOfLabel}${f.outage ? ' \u00b7 OUTAGE MODE' : ''} \u00b7 ${f.confidential}`;
  const top = `font: 9pt/1.25 ${font}; color: #000; vertical-align: bottom; padding-bottom: 3mm; white-space: pre-wrap;`;
  const bottom = `font: 9pt/1.25 ${font}; color: #000; vertical-align: top; padding-top: 2mm;`;
  return `@page {
  @top-left { content: ${cssString(`${f.practice} \u00b7 ${f.dateLabel}\n${second}`)}; ${top} width: 75%;${f.staleWarning ? ' font-weight: 700;' : ''} }
  @top-right { content: ${cssString(sheet.toUpperCase())}; ${top} font-size: 11pt; font-weight: 700; }
  @bottom-left { content: ${cssString(`${f.drill ? `${DRILL_MARK}: practice only, not the real day. ` : ''}${f.confidential}. Shred when done.`)}; ${bottom} }
  @bottom-center { content: ${cssString(`${f.sheet} \u00b7 ${f.dateLabel}${f.fromLabel ? ` ${f.fromLabel}` : ''}`)}; ${bottom} }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); ${bottom} font-size: 10pt; font-weight: 700; }
}`;
}

/** On screen there is no page header, so the frame shows once at the top. Hidden when printing. */
function screenFrame(f: SheetFrame): SafeHtml {
  return html`<div class="frame">
  <div class="title">${sheetHeading(f)}</div>
  <div>${f.practice} &middot; ${f.dateLabel}</div>
  <div>${f.printedAtLabel} &middot; ${f.mirrorAsOfLabel}</div>
  ${f.staleWarning ? html`<div class="stale-banner">${f.staleWarning}</div>` : null}
  <div>${f.confidential}</div>
</div>`;
}

// ---- pieces ---------------------------------------------------------------------------------------------

function box(ticked: boolean): SafeHtml {
  return html`<span class="box">${ticked ? 'X' : ''}</span>`;
}

/** The patient's name as every sheet prints it: TR boxed beside a temporary resident's, DECEASED beside one the list records as dead. */
function nameLine(p: Pick<PatientText, 'name' | 'temporaryResident'> & Partial<Pick<PatientText, 'deceased'>>): SafeHtml {
  return html`<div class="name">${p.name}${p.temporaryResident ? html`<span class="mark" title="Temporary resident">TR</span>` : null}${
    p.deceased ? html`<span class="mark" title="Recorded as deceased on the practice list">DECEASED</span>` : null
  }</div>`;
}

function patientCell(p: PatientText): SafeHtml {
  return html`${nameLine(p)}
<div class="ids">${p.dob}${p.age ? ` (${p.age})` : ''} &middot; NHS <span class="${p.nhs.trusted ? 'num' : 'warn'}">${p.nhs.text}</span></div>`;
}

function flagsCell(flags: readonly FlagText[]): SafeHtml {
  return html`<div class="flags">${flags.map((f) => html`<span class="${f.timeSensitive ? 'urgent' : ''}">${f.short}</span>`)}</div>`;
}

function caption(cols: number, left: HtmlLike, right: HtmlLike): SafeHtml {
  return html`<tr class="caption"><th colspan="${cols}"><span class="right">${right}</span>${left}</th></tr>`;
}
type HtmlLike = string | SafeHtml;

function emptyRow(cols: number, text: string): SafeHtml {
  return html`<tr class="empty"><td colspan="${cols}">${text}</td></tr>`;
}

/**
 * Column widths are proportions, scaled to the page's content width less a millimetre. A collapsed border
 * sticks out half its width beyond the table, and a document even a pixel wider than the page makes Chromium
 * lay the whole document out again to shrink it to fit: a quarter of a long list's print time, for nothing.
 */
function colgroup(widthsMm: readonly number[], kind: SheetKind): SafeHtml {
  const scale = (contentBox(PAGE_STYLE[kind]).width - 1) / widthsMm.reduce((a, b) => a + b, 0);
  return html`<colgroup>${widthsMm.map((w) => html`<col style="width: ${(w * scale).toFixed(2)}mm">`)}</colgroup>`;
}

// ---- clinician list -------------------------------------------------------------------------------------

const CLINICIAN_COLS = [17, 80, 42, 36, 17, 17, 17, 51] as const;

function clinicianRow(r: AppointmentLine): SafeHtml {
  const boxes = r.cancelled
    ? html`<td class="cancelled-cell" colspan="3">CANCELLED</td>`
    : html`<td class="box-cell">${box(r.ticks.arrived)}</td><td class="box-cell">${box(r.ticks.seen)}</td><td class="box-cell">${box(r.ticks.dna)}</td>`;
  return html`<tr class="${r.cancelled ? 'cancelled' : ''}" data-appointment="${r.appointmentId}">
<td><div class="time num">${r.time}</div><div class="small">${r.minutes} min</div></td>
<td>${patientCell(r.patient)}</td>
<td>${typeLine(r)}${r.reason ? html`<div class="reason">${r.reason}</div>` : null}</td>
<td>${flagsCell(r.patient.flags)}</td>
${boxes}
${notesCell(r)}
</tr>`;
}

/** The type, or for a walk-in where the desk sent them (a walk-in is at the desk: its type says nothing more). */
function typeLine(r: AppointmentLine): SafeHtml {
  return r.walkIn ? html`<div><b>${r.walkIn}</b></div>` : html`<div>${r.type}</div>`;
}

/**
 * The number to ring for a telephone appointment heads the notes column, where the clinician writes the call up;
 * a row keeps its height (the type column has the reason under it already).
 */
function notesCell(r: AppointmentLine): SafeHtml {
  const phone = r.phoneToCall && !r.cancelled ? html`<div class="${r.phoneToCall.onRecord ? 'phone' : 'warn'}">${r.phoneToCall.text}</div>` : null;
  return html`<td>${phone}${r.statusNote ? html`<div class="note">${r.statusNote}</div>` : null}</td>`;
}

function clinicianList(sheet: ClinicianListSheet): SafeHtml {
  if (sheet.sessions.length === 0) return noAppointments(sheet.frame);
  return html`${sheet.sessions.map((s) => {
    const when = s.start && s.end ? `${s.start}-${s.end}` : '';
    const cancelled = s.rows.length - s.expected;
    return html`<section class="session"><table class="sheet clinician-list">${colgroup(CLINICIAN_COLS, 'clinician-list')}
<thead>
${caption(
  CLINICIAN_COLS.length,
  html`${s.clinicianName} <span style="font-weight:400">(${s.roleLabel})</span> &middot; ${s.label} ${when} &middot; ${s.room ?? 'Room not recorded'}`,
  `${s.expected} patient${s.expected === 1 ? '' : 's'}${cancelled ? `, ${cancelled} cancelled` : ''}`,
)}
<tr class="cols"><th>Time</th><th>Patient (born, NHS number)</th><th>Type</th><th>Flags</th><th class="center">Arrived</th><th class="center">Seen</th><th class="center">DNA</th><th>Notes</th></tr>
</thead>
<tbody>
${s.rows.length ? s.rows.map(clinicianRow) : emptyRow(CLINICIAN_COLS.length, 'No appointments booked in this session.')}
</tbody></table></section>`;
  })}`;
}

function noAppointments(f: SheetFrame): SafeHtml {
  return html`<p class="stale-banner">${noneText(f)}${f.scope ? ` (${f.scope})` : ''}. ${f.fromLabel ? 'Print the whole day to see the earlier ones.' : 'Check the date, and whether the mirror was loaded.'}</p>`;
}

function noneText(f: SheetFrame): string {
  return f.fromLabel ? `Nothing is left of ${f.dateLabel} ${f.fromLabel}: no appointment then or later, and nobody waiting` : `The mirror holds no appointments for ${f.dateLabel}`;
}

// ---- master list ----------------------------------------------------------------------------------------

const MASTER_COLS = [17, 44, 34, 62, 32, 28, 30, 30] as const;

function masterList(sheet: MasterListSheet): SafeHtml {
  let hour = '';
  const rows = sheet.rows.map((r) => {
    const h = r.time.slice(0, 2);
    const hourStart = h !== hour;
    hour = h;
    return html`<tr class="${[hourStart ? 'hour-start' : '', r.cancelled ? 'cancelled' : ''].filter(Boolean).join(' ')}" data-appointment="${r.appointmentId}">
<td class="time num">${r.time}</td>
<td><div class="ids"><b>${r.clinicianName}</b></div></td>
<td class="ids">${r.room ?? ''}</td>
<td>${nameLine(r.patient)}</td>
<td class="ids">${r.patient.dob}${r.patient.age ? ` (${r.patient.age})` : ''}</td>
<td class="ids ${r.patient.nhs.trusted ? 'num' : 'warn'}">${r.patient.nhs.text}</td>
<td>${flagsCell(r.patient.flags)}</td>
<td class="ids">${r.cancelled ? html`<b>CANCELLED</b>` : r.status === 'booked' ? r.type : r.statusNote}${r.walkIn ? html`<div><b>${r.walkIn}</b></div>` : null}</td>
</tr>`;
  });
  return html`<table class="sheet master-list">${colgroup(MASTER_COLS, 'master-list')}
<thead><tr class="cols"><th>Time</th><th>Clinician</th><th>Room</th><th>Patient</th><th>Born</th><th>NHS number</th><th>Flags</th><th>Type / status</th></tr></thead>
<tbody>${rows.length ? rows : emptyRow(MASTER_COLS.length, `${noneText(sheet.frame)}.`)}</tbody>
</table>`;
}

// ---- walk-in register -----------------------------------------------------------------------------------

const WALK_IN_COLS = [11, 16, 50, 24, 30, 32, 52, 18, 28, 16] as const;

function walkInRegister(sheet: WalkInRegisterSheet): SafeHtml {
  const rows = sheet.rows.map((r) => {
    const e = r.entry;
    return html`<tr><td class="number">${r.number}</td>${
      e
        ? html`<td class="num">${e.timeIn}</td><td>${nameLine(e)}</td><td class="num">${e.dob}</td><td>${e.phone}</td><td class="num">${e.nhsNumber}</td><td><div class="reason">${e.reason}</div></td><td>${e.triage}</td><td>${e.clinician}</td><td class="num">${e.timeOut}</td>`
        : html`<td></td><td></td><td></td><td></td><td></td><td></td><td></td><td></td><td></td>`
    }</tr>`;
  });
  return html`<table class="sheet walk-in">${colgroup(WALK_IN_COLS, 'walk-in-register')}
<thead>
${caption(WALK_IN_COLS.length, 'Walk-ins and same-day urgent requests', sheet.triageKey)}
<tr class="cols"><th>No.</th><th>Time in</th><th>Name</th><th>Born</th><th>Phone</th><th>NHS number</th><th>Reason (in their words)</th><th>Triage</th><th>Seen by</th><th>Out</th></tr>
</thead>
<tbody>${rows}</tbody>
</table>`;
}

// ---- callback list --------------------------------------------------------------------------------------

const CALLBACK_COLS = [9, 64, 34, 42, 56, 17, 22, 33] as const;

function callbackList(sheet: CallbackListSheet): SafeHtml {
  return html`${sheet.sections.map(
    (section) => html`<table class="sheet callback">${colgroup(CALLBACK_COLS, 'callback-list')}
<thead>
${caption(CALLBACK_COLS.length, section.title, `${section.rows.length} ${section.done ? 'done' : 'to call'}`)}
<tr class="cols"><th>#</th><th>Patient (born, NHS number)</th><th>Phone</th><th>Missed appointment</th><th>What happened</th><th class="center">Called</th><th class="center">Rebooked</th><th>Notes</th></tr>
</thead>
<tbody>
${
  section.rows.length
    ? section.rows.map(
        (r) => html`<tr data-appointment="${r.appointmentId}">
<td class="num"><b>${r.number}</b></td>
<td>${patientCell(r.patient)}${r.temporaryResident ? html`<div class="tr"><b>(TR)</b> temporary resident</div>` : null}${r.patient.flags.length ? html`<div class="flags">${r.patient.flags.map((f) => html`<b class="${f.timeSensitive ? 'urgent' : ''}">${f.short}</b> `)}</div>` : null}</td>
<td>${r.phone ? html`<div class="phone">${r.phone}</div>` : html`<div class="warn">No phone on record</div>`}</td>
<td><div class="time num">${r.time}</div><div class="ids">${r.clinicianName}</div><div class="small">${r.type}</div></td>
<td><div><b>${r.outcome}</b></div>${r.reason ? html`<div class="reason">${r.reason}</div>` : null}${r.alsoBooked.length ? html`<div class="small"><b>Also booked today: ${r.alsoBooked.join('; ')}</b></div>` : null}${r.attempts.map((t) => html`<div class="small attempt">${t}</div>`)}</td>
<td class="box-cell">${box(false)}</td><td class="box-cell">${box(false)}</td><td></td>
</tr>`,
      )
    : emptyRow(CALLBACK_COLS.length, section.timeSensitive ? 'No patients in time-sensitive care to call back.' : 'No other patients to call back.')
}
</tbody></table>`,
  )}`;
}

// ---- consultation records -------------------------------------------------------------------------------

/** Module width: 0.33 mm is a comfortable X-dimension for a 600 dpi office laser; long references get narrower. */
const BARCODE_MAX_MM = 68;
const BARCODE_MODULE_MM = 0.33;

export function barcodeSvg(code: Code128, heightMm = 12): SafeHtml {
  const total = code.modules + 2 * QUIET_ZONE_MODULES;
  const widthMm = Math.min(BARCODE_MAX_MM, total * BARCODE_MODULE_MM);
  const d = code128Bars(code)
    .map(([x, w]) => `M${x + QUIET_ZONE_MODULES} 0h${w}v10h-${w}z`)
    .join('');
  return html`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Code 128 barcode ${code.text}" width="${widthMm.toFixed(2)}mm" height="${heightMm}mm" viewBox="0 0 ${total} 10" preserveAspectRatio="none" shape-rendering="crispEdges"><rect width="${total}" height="10" fill="#fff"/>${trusted(`<path fill="#000" d="${d}"/>`)}</svg>`;
}

function consultationRecord(r: ConsultationRecord, f: SheetFrame, page: number, pages: number): SafeHtml {
  const p = r.patient;
  return html`<section class="record" data-appointment="${r.reference}">
<div class="pframe">${frameLines(f)}</div>
<div class="top">
  <div class="who">
    ${nameLine(p)}
    <table class="facts">
      ${p.temporaryResident ? html`<tr><td class="k">Registered</td><td><b>Temporary resident</b></td></tr>` : null}
      <tr><td class="k">Born</td><td class="num">${p.dob}${p.age ? ` (${p.age})` : ''} &middot; ${sexLabel(p.sex)}</td></tr>
      <tr><td class="k">NHS number</td><td class="${p.nhs.trusted ? 'num' : 'warn'}">${p.nhs.text}</td></tr>
      <tr><td class="k">Phone</td><td>${p.phone ?? 'not recorded'}</td></tr>
      ${p.address ? html`<tr><td class="k">Address</td><td>${p.address}</td></tr>` : null}
      ${p.deceased ? html`<tr><td class="k">Practice list</td><td><b>Recorded as deceased: check who this is</b></td></tr>` : null}
    </table>
    ${p.flags.length ? html`<div class="flagline">${p.flags.map((x) => html`<span>${x.timeSensitive ? 'TIME-SENSITIVE: ' : ''}${x.label}</span>`)}</div>` : null}
  </div>
  <div class="ref">
    <div class="label">Reference: key in against this appointment</div>
    ${r.barcode ? barcodeSvg(r.barcode) : html`<div class="small">(no barcode: reference has characters a barcode cannot carry)</div>`}
    <div class="code mono">${r.reference}</div>
  </div>
</div>
<div class="appt">
  <div class="when">${f.dateLabel}, ${r.time}-${r.end} &middot; ${r.clinicianName} (${r.roleLabel})</div>
  <div>${r.room ?? 'Room not recorded'} &middot; ${r.type} &middot; ${r.session}${r.statusNote ? html` &middot; <b>At printing: ${r.statusNote}</b>` : null}</div>
  ${r.walkIn ? html`<div><b>${r.walkIn}</b></div>` : null}
  ${r.reason ? html`<div>Reason booked: ${r.reason}</div>` : null}
</div>
<div class="notes"><div class="h">Consultation notes: history, examination, plan</div>${NOTE_LINES}</div>
<table class="fields">
  <tr><td colspan="2">Outcome ${box(false)} Seen ${box(false)} DNA ${box(false)} Walked out</td><td colspan="2">Follow-up / referral (2WW?)</td></tr>
  <tr><td colspan="2">Prescriptions / tests issued</td><td colspan="2">Clinician name and signature</td></tr>
  <tr><td colspan="2">Keyed into the clinical system by</td><td>Date</td><td>Initials</td></tr>
</table>
<div class="pfoot row"><span class="ref-line">Ref <span class="mono">${r.reference}</span> &middot; ${p.name}</span><span>${f.confidential}</span><span class="page">Page ${page} of ${pages}</span></div>
</section>`;
}

/** Ruled lines for handwriting, drawn once as SVG (cheaper and crisper than a background gradient). */
const NOTE_LINES = ((): SafeHtml => {
  const height = RECORD_MM.notes - 8;
  const lines: string[] = [];
  for (let y = RECORD_MM.noteLine; y < height; y += RECORD_MM.noteLine) lines.push(`M0 ${y.toFixed(1)}H1000`);
  return trusted(
    `<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="${height}mm" viewBox="0 0 1000 ${height}" preserveAspectRatio="none">` +
      `<path d="${lines.join('')}" stroke="#888" stroke-width="0.8" vector-effect="non-scaling-stroke" fill="none"/></svg>`,
  );
})();

function sexLabel(sex: PatientText['sex']): string {
  return sex === 'female' ? 'Female' : sex === 'male' ? 'Male' : sex === 'other' ? 'Other' : 'Sex not recorded';
}

function consultationRecords(sheet: ConsultationRecordsSheet): SafeHtml {
  if (sheet.records.length === 0) {
    return html`<section class="record"><div class="pframe">${frameLines(sheet.frame)}</div>${noAppointments(sheet.frame)}</section>`;
  }
  return html`${sheet.records.map((r, i) => consultationRecord(r, sheet.frame, i + 1, sheet.records.length))}`;
}
