/**
 * Code 128, subset B (ASCII 32-127), written out here rather than taken from a package: the whole symbology
 * is a table and a checksum, and the print path should not grow a dependency for it.
 *
 * Each symbol is six element widths in modules (bar, space, bar, space, bar, space) summing to 11; the stop
 * symbol has a seventh, a final bar, for 13. The checksum is (start + sum of position x value) mod 103.
 * Reference: ISO/IEC 15417; the table matches zxing's Code128Reader and python-barcode's charset
 * (the unit test compares against the latter, written as module bits).
 */

// Symbol values 0-106. Index = value.
const PATTERNS: readonly string[] = [
  '212222',
  '222122',
  '222221',
  '121223',
  '121322',
  '131222',
  '122213',
  '122312',
  '132212',
  '221213',
  '221312',
  '231212',
  '112232',
  '122132',
  '122231',
  '113222',
  '123122',
  '123221',
  '223211',
  '221132',
  '221231',
  '213212',
  '223112',
  '312131',
  '311222',
  '321122',
  '321221',
  '312212',
  '322112',
  '322211',
  '212123',
  '212321',
  '232121',
  '111323',
  '131123',
  '131321',
  '112313',
  '132113',
  '132311',
  '211313',
  '231113',
  '231311',
  '112133',
  '112331',
  '132131',
  '113123',
  '113321',
  '133121',
  '313121',
  '211331',
  '231131',
  '213113',
  '213311',
  '213131',
  '311123',
  '311321',
  '331121',
  '312113',
  '312311',
  '332111',
  '314111',
  '221411',
  '431111',
  '111224',
  '111422',
  '121124',
  '121421',
  '141122',
  '141221',
  '112214',
  '112412',
  '122114',
  '122411',
  '142112',
  '142211',
  '241211',
  '221114',
  '413111',
  '241112',
  '134111',
  '111242',
  '121142',
  '121241',
  '114212',
  '124112',
  '124211',
  '411212',
  '421112',
  '421211',
  '212141',
  '214121',
  '412121',
  '111143',
  '111341',
  '131141',
  '114113',
  '114311',
  '411113',
  '411311',
  '113141',
  '114131',
  '311141',
  '411131',
  '211412',
  '211214',
  '211232',
  '2331112',
];

export const START_B = 104;
export const STOP = 106;
/** Clear space each side, in modules: scanners need at least ten. */
export const QUIET_ZONE_MODULES = 10;

export interface Code128 {
  text: string;
  /** Symbol values: start B, the data, the checksum, stop. */
  values: number[];
  /** Element widths in modules, bar first, alternating bar and space, from start to the stop's final bar. */
  widths: number[];
  /** Width of the symbol in modules, without quiet zones. */
  modules: number;
}

export type Code128Result = { ok: true; value: Code128 } | { ok: false; reason: string };

export function code128Pattern(value: number): string {
  const pattern = PATTERNS[value];
  if (pattern === undefined) throw new RangeError(`no Code 128 symbol ${value}`);
  return pattern;
}

export function code128Checksum(values: readonly number[]): number {
  // values[0] is the start symbol, weighted 1 like the first data symbol.
  let sum = values[0] ?? 0;
  for (let i = 1; i < values.length; i++) sum += i * (values[i] ?? 0);
  return sum % 103;
}

export function encodeCode128B(text: string): Code128Result {
  if (text.length === 0) return { ok: false, reason: 'nothing to encode' };
  const data: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 32 || code > 127) return { ok: false, reason: `"${ch}" is outside Code 128 subset B (ASCII 32-127)` };
    data.push(code - 32);
  }
  const values = [START_B, ...data];
  values.push(code128Checksum(values), STOP);
  const widths = values.flatMap((v) => [...code128Pattern(v)].map(Number));
  return { ok: true, value: { text, values, widths, modules: widths.reduce((n, w) => n + w, 0) } };
}

/** The bars as [x, width] in modules from the symbol's left edge (quiet zone not included). */
export function code128Bars(code: Code128): Array<[number, number]> {
  const bars: Array<[number, number]> = [];
  let x = 0;
  code.widths.forEach((w, i) => {
    if (i % 2 === 0) bars.push([x, w]);
    x += w;
  });
  return bars;
}
