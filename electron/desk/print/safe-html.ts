/**
 * HTML built only through the `html` tag: every interpolated value is escaped unless it is already SafeHtml,
 * so a patient called O'Brien prints as O'Brien and a name like `<img onerror=...>` prints as text. Building
 * markup by string concatenation anywhere else in print/ would bypass this; don't.
 * Pure (no node:*), so a renderer preview or a contract operation can reuse it unchanged.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return escapeHtml(value);
  return value.map(render).join('');
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** For markup this module generated itself (the stylesheet, the barcode's path); never for data. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
