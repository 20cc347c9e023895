/**
 * The recovery screen as one static HTML page, generated from the view (recovery.ts) and served at
 * app://recovery/. The page runs no script of its own: the recovery preload wires its buttons in the
 * isolated world, so the page's policy can say script-src 'none'. Its one <style> block is allowed by hash.
 */
import { createHash } from 'node:crypto';
import type { RecoveryView } from './recovery';

export interface RecoveryPage {
  html: string;
  contentSecurityPolicy: string;
}

/** Text into HTML text or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const STYLE = `
body { font: 16px/1.5 Arial, sans-serif; color: #212b32; background: #f0f4f5; margin: 0; }
main { max-width: 720px; margin: 0 auto; padding: 24px 32px 40px; }
h1 { font-size: 28px; line-height: 1.2; margin: 0 0 16px; }
h2 { font-size: 20px; margin: 24px 0 8px; }
.panel { background: #fff; border-left: 8px solid #da291c; padding: 16px 20px; margin-bottom: 16px; }
ol { list-style: none; padding: 0; margin: 0; }
li { background: #fff; padding: 12px 16px; margin-bottom: 8px; display: flex; justify-content: space-between; align-items: center; gap: 16px; }
li.recommended { border-left: 8px solid #007f3b; }
.tag { font-weight: bold; color: #007f3b; }
button { font: inherit; font-weight: bold; padding: 8px 16px; border: 0; border-radius: 4px; cursor: pointer; background: #007f3b; color: #fff; box-shadow: 0 4px 0 #00401e; }
button.secondary { background: #d8dde0; color: #212b32; box-shadow: 0 4px 0 #8f9a9f; }
button:focus-visible { outline: 4px solid #ffeb3b; outline-offset: 0; }
button:disabled { opacity: 0.5; cursor: default; }
.actions { display: flex; gap: 16px; margin-top: 24px; }
#status { min-height: 1.5em; font-weight: bold; }
details { margin-top: 24px; }
code { word-break: break-all; }
.unusable li { color: #4c6272; }
`.trim();

export const RECOVERY_STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

export function recoveryPage(view: RecoveryView): RecoveryPage {
  const e = escapeHtml;
  const offers = view.offers
    .map(
      (o) => `<li${o.recommended ? ' class="recommended"' : ''}>
  <span>Backup from <strong>${e(o.label)}</strong>${o.recommended ? ' <span class="tag">(newest good backup)</span>' : ''}</span>
  <button type="button" data-action="restore" data-backup="${e(o.name)}">Restore this backup</button>
</li>`,
    )
    .join('\n');
  const unusable = view.unusable.map((u) => `<li><span>${e(u.label)}: not usable (${e(u.why)})</span></li>`).join('\n');
  const html = `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>${e(view.heading)}</title>
<style>${STYLE}</style>
</head><body><main>
<h1>${e(view.heading)}</h1>
<div class="panel">${view.paragraphs.map((p) => `<p>${e(p)}</p>`).join('\n')}</div>
${view.offers.length > 0 ? `<h2>Backups you can restore</h2>\n<ol class="offers">\n${offers}\n</ol>` : ''}
${view.unusable.length > 0 ? `<h2>Backups that failed their check</h2>\n<ol class="unusable">\n${unusable}\n</ol>` : ''}
<p id="status" role="status" aria-live="polite"></p>
<div class="actions">
<button type="button" class="secondary" data-action="retry">Try again</button>
<button type="button" class="secondary" data-action="quit">Quit</button>
</div>
<details><summary>Details for IT support</summary>
<p>${e(view.detail)}</p>
<p>Data folder: <code>${e(view.dataDir)}</code><br>Backup folder: <code>${e(view.backupDir)}</code></p>
</details>
</main></body></html>`;
  const contentSecurityPolicy = [
    "default-src 'none'",
    "script-src 'none'",
    `style-src ${RECOVERY_STYLE_HASH}`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, contentSecurityPolicy };
}
