/**
 * The recovery sheet (issue 20, item 4): the database key on paper, as 24 words and a QR code of the same words,
 * with the key's fingerprint and how to restore a backup with it, for the practice safe. One A4 page, black on
 * white, like every sheet. It is not one of the catalogue's sheets (shared/sheets/catalogue.ts): it holds no
 * patient data but the key to all of it, so it is never served at /sheets/, never filed in the outage pack, and
 * never kept on disk by the desk; only a manager prints it, and each print is audited (record.ts).
 */
import QRCode from 'qrcode';
import type { Practice } from '../../../shared/domain';
import { londonDateTime } from '../../../shared/sheets/format';
import { printCss } from '../print/css';
import type { PrintDocument } from '../print/html';
import { html, trusted } from '../print/safe-html';
import { keyFingerprint, keyToRecoveryWords } from './words';

export interface RecoverySheetInput {
  practice: Pick<Practice, 'name' | 'odsCode'> | null;
  printedAt: string;
  /** Who printed it, as the audit trail names them. */
  printedBy: string;
  key: string;
}

const MARGIN = { top: 14, bottom: 14, left: 16, right: 16 } as const;

const SHEET_CSS = `
h1 { font-size: 18pt; margin: 0 0 2mm 0; }
.meta td { padding: 0.5mm 4mm 0.5mm 0; font-size: 11pt; }
.meta .fp { font-size: 14pt; font-weight: 700; letter-spacing: 0.5mm; }
.warning { border: 2pt solid #000; padding: 2mm 3mm; margin: 3mm 0; font-weight: 700; }
.key { display: flex; gap: 6mm; align-items: flex-start; margin: 3mm 0; }
table.words { border-collapse: collapse; flex: 1; }
table.words td { border: 0.8pt solid #000; padding: 1.6mm 2mm; font-size: 13pt; width: 33%; }
table.words .n { display: inline-block; width: 8mm; font-size: 10pt; }
table.words .w { font-family: "Liberation Mono", "Courier New", monospace; font-weight: 700; }
.qr { width: 52mm; text-align: center; font-size: 9pt; }
.qr svg { width: 52mm; height: 52mm; display: block; }
h2 { font-size: 13pt; margin: 4mm 0 1mm 0; }
ol { margin: 0; padding-left: 6mm; } li { margin: 1mm 0; }
code { font-family: "Liberation Mono", "Courier New", monospace; font-size: 10.5pt; }
`;

/** The words in three columns, numbered down each column, as a person copies them. */
function wordGrid(words: readonly string[]) {
  const rows = Math.ceil(words.length / 3);
  return html`<table class="words"><tbody>${Array.from(
    { length: rows },
    (_r, row) =>
      html`<tr>${[0, 1, 2].map((col) => {
        const i = col * rows + row;
        const word = words[i];
        return word === undefined ? html`<td></td>` : html`<td><span class="n">${i + 1}.</span><span class="w">${word}</span></td>`;
      })}</tr>`,
  )}</tbody></table>`;
}

/**
 * The QR code as an SVG path, one square per dark module, with the standard 4-module quiet zone. Drawn here from the
 * library's matrix (QRCode.create, synchronous) so the sheet is built synchronously wherever it is asked for.
 */
export function qrSvg(text: string): string {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const side = modules.size + 2 * quiet;
  let d = '';
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) if (modules.get(row, col)) d += `M${col + quiet} ${row + quiet}h1v1h-1z`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" shape-rendering="crispEdges"><rect width="${side}" height="${side}" fill="#fff"/><path fill="#000" d="${d}"/></svg>`;
}

export function recoverySheetDocument(input: RecoverySheetInput): PrintDocument {
  const words = keyToRecoveryWords(input.key);
  const fingerprint = keyFingerprint(input.key);
  // The QR code holds the words themselves, so a scan gives exactly what the restore asks to be typed.
  const qr = qrSvg(words.join(' '));
  const practice = input.practice ? `${input.practice.name}${input.practice.odsCode ? ` (${input.practice.odsCode})` : ''}` : 'Practice not recorded';
  const printed = londonDateTime(input.printedAt);
  const title = `Standby Desk recovery sheet - ${practice} - key ${fingerprint}`;
  const style = { orientation: 'portrait', margin: MARGIN, frame: 'body' } as const;
  const page = html`<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${title}</title>
<style>${trusted(printCss(style) + SHEET_CSS)}</style>
</head><body class="recovery-sheet">
<h1>Standby Desk: database recovery sheet</h1>
<table class="meta"><tbody>
<tr><td>Practice</td><td><b>${practice}</b></td></tr>
<tr><td>Printed</td><td>${printed} by ${input.printedBy}</td></tr>
<tr><td>Key fingerprint</td><td class="fp">${fingerprint}</td></tr>
</tbody></table>
<p class="warning">Keep this sheet in the practice safe. With it, anyone who has a backup can read every patient's details on the desk.
Do not copy, scan or photograph it, and do not keep it on a computer.</p>
<div class="key">${wordGrid(words)}<div class="qr">${trusted(qr)}<div>The same ${words.length} words as a QR code</div></div></div>
<h2>To restore a backup on a new PC</h2>
<ol>
<li>Install Standby Desk on the new PC, and close it if it is open.</li>
<li>Copy the newest backup (<code>standby-desk-YYYYMMDDTHHMMSSZ.sqlite</code>) from the backup disk or share to the new PC.</li>
<li>In a command prompt, run <code>standby-desk restore BACKUP-FILE --recovery-words</code>, then type the ${words.length} words in order
(or scan the QR code into it) and press Enter. The words are checked before anything is changed.</li>
<li>It says the key fingerprint it used: check that it is <b>${fingerprint}</b>, as printed above. Then start Standby Desk.</li>
</ol>
<h2>If it is refused</h2>
<p>A mistyped or missing word is caught by the last word's checksum: check the words against this sheet and try again.
If it says this sheet's key does not open the backup, the backup was made with another key: find the sheet whose fingerprint
matches that desk. Nothing is changed on the new PC until the words open the backup.</p>
<p class="small">This sheet is for the key with fingerprint ${fingerprint} only. Printing it is recorded in the audit trail.</p>
</body></html>`;
  return {
    kind: 'recovery-sheet',
    title,
    orientation: 'portrait',
    html: page.value,
    displayHeaderFooter: false,
    headerTemplate: '<span></span>',
    footerTemplate: '<span></span>',
    margin: { top: `${MARGIN.top}mm`, bottom: `${MARGIN.bottom}mm`, left: `${MARGIN.left}mm`, right: `${MARGIN.right}mm` },
    pageFrameCss: '',
  };
}
