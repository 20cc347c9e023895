/**
 * The print stylesheet. Black on white, no meaning carried by colour (practice printers are mono lasers);
 * body type 11-13pt so a list held at arm's length or pinned to a wall reads; fixed row heights from
 * layout.ts so there is room to write and pages break predictably; rows never split across pages and
 * table headers repeat on every page.
 */
import { RECORD_MM, TABLE_MM, type PageStyle } from './layout';

const mm = (n: number) => `${n}mm`;

export function printCss(style: PageStyle): string {
  const m = style.margin;
  return `
@page { size: A4 ${style.orientation}; margin: ${mm(m.top)} ${mm(m.right)} ${mm(m.bottom)} ${mm(m.left)}; }
* { box-sizing: border-box; }
/* optimizeSpeed turns off kerning and ligatures, which a sans-serif list does not need; it cut the print time
   of a day's consultation records by about a sixth. */
html { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.2; color: #000; background: #fff;
  text-rendering: optimizeSpeed; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; }
.mono { font-family: "Liberation Mono", "Courier New", monospace; }
.small { font-size: 9.5pt; }
.urgent { font-weight: 700; text-transform: uppercase; }
.warn { font-weight: 700; }
/* A temporary resident, boxed beside the name so it is seen with the name, in black and white. */
.mark { display: inline-block; border: 1.2pt solid #000; padding: 0 1mm; margin-left: 1.5mm; font-size: 9pt; font-weight: 700; line-height: 1.2; vertical-align: 1pt; }

/* The frame repeats on every printed page through Chromium's header and footer; on screen (the preview)
   it shows once at the top instead. */
.frame { display: none; border: 1pt solid #000; padding: 2mm 3mm; margin-bottom: 3mm; }
.frame .title { font-size: 14pt; font-weight: 700; }
@media screen {
  body { padding: 8mm; max-width: 300mm; }
  .frame { display: block; }
  /* Chromium lays a document out for the screen before it prints it, and again after: sections out of view
     skip that work (printing ignores content-visibility). A day of consultation records prints about a
     quarter faster, and the preview of a long sheet opens sooner. */
  section.record { content-visibility: auto; contain-intrinsic-size: auto ${mm(RECORD_MM.page)}; }
  section.session { content-visibility: auto; contain-intrinsic-size: auto 190mm; }
}
.stale-banner { border: 2pt solid #000; padding: 2mm 3mm; margin-bottom: 3mm; font-weight: 700; font-size: 12pt; }

table.sheet { width: 100%; border-collapse: collapse; table-layout: fixed; }
section.session + section.session { break-before: page; }
table.sheet + table.sheet { margin-top: 6mm; }
thead { display: table-header-group; }
tfoot { display: table-footer-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.6pt solid #000; padding: 0.8mm 1.5mm; vertical-align: top; text-align: left; }
thead th { font-size: 10pt; font-weight: 700; vertical-align: middle; background: #e6e6e6; white-space: nowrap; }
thead tr.cols th { height: ${mm(TABLE_MM.columnHead)}; }
thead tr.caption th { height: ${mm(TABLE_MM.caption)}; font-size: 13pt; background: #fff; border-width: 1.2pt; padding: 1mm 2mm; }
thead tr.caption th .right { float: right; font-size: 11pt; font-weight: 400; }
table.sheet > tbody > tr:nth-child(even) > td { background: #f2f2f2; }
td.center, th.center { text-align: center; }

/* Lists */
.time { font-size: 13pt; font-weight: 700; }
.name { font-size: 12pt; font-weight: 700; }
.ids { font-size: 10pt; }
.box { display: inline-block; width: 6.5mm; height: 6.5mm; border: 1.2pt solid #000; background: #fff;
  text-align: center; line-height: 6mm; font-size: 12pt; font-weight: 700; vertical-align: middle; }
td.box-cell { text-align: center; vertical-align: middle; }
tr.cancelled td { font-style: italic; }
tr.cancelled .name { text-decoration: line-through; }
td.cancelled-cell { text-align: center; vertical-align: middle; font-weight: 700; font-style: normal; letter-spacing: 0.5pt; }
.flags { font-size: 10pt; }
.flags span { display: block; }
.reason { font-size: 9.5pt; }
.note { font-size: 9.5pt; font-style: italic; }
.empty td { height: 14mm; vertical-align: middle; text-align: center; font-size: 12pt; font-style: italic; background: #fff; }

table.clinician-list tbody tr { height: ${mm(TABLE_MM.clinicianListRow)}; }
table.master-list tbody tr { height: ${mm(TABLE_MM.masterListRow)}; }
table.master-list tbody tr.hour-start td { border-top: 1.8pt solid #000; }
table.master-list td { vertical-align: middle; }
table.master-list .time { font-size: 12pt; }
table.walk-in tbody tr { height: ${mm(TABLE_MM.walkInRow)}; }
table.walk-in tbody td { background: #fff; }
table.walk-in .number { font-size: 11pt; font-weight: 700; text-align: right; vertical-align: middle; }
table.callback tbody tr { height: ${mm(TABLE_MM.callbackRow)}; }
.phone { font-size: 12pt; font-weight: 700; white-space: nowrap; }

/* Consultation records: a page each, of fixed height so a record always fits its page exactly; the notes
   area gives way when a long name or many flags need more room above it. The page frame is part of the
   record (see PageStyle in layout.ts). Clipping (overflow: hidden) is kept to the two places that need it:
   each clip is a clip path in the PDF, and on lists of hundreds of cells they were a third of the print time. */
section.record { break-after: page; height: ${mm(RECORD_MM.page)}; overflow: hidden; display: flex; flex-direction: column; }
section.record:last-child { break-after: auto; }
.record .pframe { flex: none; min-height: ${mm(RECORD_MM.frame)}; padding-bottom: 1mm; font-size: 9pt; line-height: 1.25; }
.record .row { display: flex; justify-content: space-between; gap: 4mm; align-items: baseline; }
.record .pframe .big { font-size: 11pt; font-weight: 700; }
.record .pframe .sheetname { font-size: 11pt; font-weight: 700; text-transform: uppercase; white-space: nowrap; }
.record .pframe .stale { border: 1.5pt solid #000; padding: 0.4mm 1.5mm; font-weight: 700; margin-top: 0.6mm; }
.record .top { display: flex; gap: 4mm; border: 1.2pt solid #000; padding: 2.5mm 3mm; min-height: ${mm(RECORD_MM.top)}; }
.record .who { flex: 1; min-width: 0; }
.record .who .name { font-size: 17pt; white-space: normal; }
.record .who table.facts { border-collapse: collapse; margin-top: 1mm; }
.record .who table.facts td { border: none; padding: 0.4mm 2mm 0.4mm 0; font-size: 11.5pt; vertical-align: top; }
.record .who table.facts td.k { font-weight: 700; width: 30mm; white-space: nowrap; }
.record .ref { width: 78mm; text-align: center; border-left: 0.6pt solid #000; padding-left: 3mm; }
.record .ref .label { font-size: 9pt; text-transform: uppercase; letter-spacing: 0.3pt; }
.record .ref .code { font-size: 12pt; font-weight: 700; word-break: break-all; }
.record .ref svg { display: block; margin: 1.5mm auto 1mm auto; }
.record .appt { margin-top: 2.5mm; border: 0.6pt solid #000; padding: 2mm 3mm; font-size: 11.5pt; min-height: ${mm(RECORD_MM.appointment)}; }
.record .appt .when { font-size: 13pt; font-weight: 700; }
.record .flagline { margin-top: 1mm; }
.record .flagline span { display: inline-block; border: 1pt solid #000; padding: 0.3mm 1.5mm; margin: 0.6mm 1.5mm 0 0; font-size: 10.5pt; font-weight: 700; }
.record .notes { margin-top: 2.5mm; border: 0.6pt solid #000; padding: 1.5mm 3mm 0 3mm; flex: 1 1 ${mm(RECORD_MM.notes)}; min-height: 50mm; overflow: hidden; }
.record .notes .h { font-weight: 700; font-size: 11pt; }
.record .notes svg { display: block; }
.record table.fields { flex: none; margin-top: 2.5mm; width: 100%; border-collapse: collapse; table-layout: fixed; }
.record table.fields td { border: 0.6pt solid #000; height: ${mm(RECORD_MM.field)}; font-size: 10pt; font-weight: 700; padding: 1mm 2mm; vertical-align: top; }
.record table.fields .box { width: 5mm; height: 5mm; line-height: 4.5mm; margin: 0 1mm 0 3mm; }
.record .pfoot { flex: none; margin-top: 2mm; height: ${mm(RECORD_MM.foot)}; font-size: 9pt; white-space: nowrap; }
.record .pfoot .ref-line { white-space: normal; min-width: 0; }
.record .pfoot .page { font-size: 10pt; font-weight: 700; white-space: nowrap; }
`;
}
