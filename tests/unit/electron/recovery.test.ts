import { describe, expect, it, vi } from 'vitest';
import type { Result } from '../../../shared/api';
import type { RestoreReport } from '../../../electron/desk/backup';
import type { BackupCandidate, OpenFailure } from '../../../electron/desk-process/protocol';
import { backupLabel, createRecoveryHandlers, findOffer, recoveryView, restoreConfirmation, type RecoveryView } from '../../../electron/main/recovery';
import { escapeHtml, RECOVERY_STYLE_HASH, recoveryPage } from '../../../electron/main/recovery-page';

const NOW = new Date('2026-07-20T11:00:00Z'); // 12:00 in London (BST)

function failure(kind: OpenFailure['kind']): OpenFailure {
  return { kind, message: `the desk said: ${kind}`, dataDir: 'C:\\Users\\r\\AppData\\Roaming\\Standby Desk', backupDir: 'D:\\Backups' };
}

function backup(hhmm: string, ok: boolean, problems: string[] = []): BackupCandidate {
  return {
    name: `standby-desk-20260720T${hhmm.replace(':', '')}00Z.sqlite`,
    takenAt: `2026-07-20T${hhmm}:00.000Z`,
    bytes: 4096,
    ok,
    problems,
    journalEntries: ok ? 12 : null,
  };
}

const BACKUPS = [backup('08:00', true), backup('10:45', false, ['quick_check: page 3 is never used']), backup('10:30', true), backup('09:00', true)];

describe('recoveryView', () => {
  it.each(['damaged', 'journal-broken'] as const)('for a %s database, offers the good backups newest first, the newest recommended', (kind) => {
    const view = recoveryView(failure(kind), BACKUPS, NOW);
    expect(view.offers.map((o) => [o.name, o.recommended])).toEqual([
      ['standby-desk-20260720T103000Z.sqlite', true],
      ['standby-desk-20260720T090000Z.sqlite', false],
      ['standby-desk-20260720T080000Z.sqlite', false],
    ]);
    expect(view.unusable).toEqual([{ name: 'standby-desk-20260720T104500Z.sqlite', label: '20/07/2026 at 11:45 (15 minutes ago)', why: 'quick_check: page 3 is never used' }]);
    expect(view.offers[0]?.label).toBe('20/07/2026 at 11:30 (30 minutes ago)');
    expect(view.paragraphs.join(' ')).toMatch(/not deleted.*before-restore/);
    expect(view.detail).toBe(`the desk said: ${kind}`);
    expect(view.heading).toBe('The desk data needs attention');
  });

  it('with no good backup, offers none, says where it looked, and says to keep the folder', () => {
    const view = recoveryView(failure('damaged'), [backup('10:45', false, ['not a database'])], NOW);
    expect(view.offers).toEqual([]);
    expect(view.paragraphs.join(' ')).toMatch(/No good backup was found in D:\\Backups.*paper forms.*Do not delete/);
  });

  it('for a database written by a newer version, offers no restore even with good backups', () => {
    const view = recoveryView(failure('too-new'), BACKUPS, NOW);
    expect(view.offers).toEqual([]);
    expect(view.heading).toMatch(/newer Standby Desk/);
    expect(view.paragraphs.join(' ')).toMatch(/install the newer version/);
  });

  it('for anything else (a locked or unreadable file), offers a retry, not a restore', () => {
    const view = recoveryView(failure('other'), BACKUPS, NOW);
    expect(view.offers).toEqual([]);
    expect(view.paragraphs.join(' ')).toMatch(/Try again/);
  });

  it('labels backups in London time, winter and summer alike', () => {
    expect(backupLabel('2026-01-15T09:05:00Z', new Date('2026-01-17T09:05:00Z'))).toBe('15/01/2026 at 09:05 (2 days ago)');
    expect(backupLabel('2026-07-20T10:59:40Z', NOW)).toBe('20/07/2026 at 11:59 (just now)');
    expect(backupLabel('2026-07-20T09:00:00Z', NOW)).toBe('20/07/2026 at 10:00 (2 hours ago)');
  });
});

describe('findOffer', () => {
  const view = recoveryView(failure('damaged'), BACKUPS, NOW);

  it('finds only what was offered, by exact name', () => {
    expect(findOffer(view, 'standby-desk-20260720T090000Z.sqlite')?.recommended).toBe(false);
    for (const name of ['standby-desk-20260720T104500Z.sqlite', '../standby-desk.sqlite', 'C:\\Windows\\win.ini', '', 42, null, undefined, { name: 'x' }]) {
      expect(findOffer(view, name)).toBeNull();
    }
    expect(findOffer(null, 'standby-desk-20260720T090000Z.sqlite')).toBeNull();
  });
});

describe('restoreConfirmation', () => {
  it('names the backup, says what is lost and kept, and defaults to Cancel (button 1)', () => {
    const offer = recoveryView(failure('damaged'), BACKUPS, NOW).offers[0];
    if (!offer) throw new Error('no offer');
    const c = restoreConfirmation(offer);
    expect(c.message).toBe('Put the backup from 20/07/2026 at 11:30 (30 minutes ago) in place?');
    expect(c.detail).toMatch(/not in it.*kept as standby-desk\.sqlite\.before-restore-<time>.*restarts/);
    expect(c.buttons).toEqual(['Restore and restart', 'Cancel']);
  });
});

describe('createRecoveryHandlers', () => {
  interface FakeEvent {
    trusted: boolean;
  }
  const ok: Result<RestoreReport> = { ok: true, value: { restored: '/b/x.sqlite', database: '/d/standby-desk.sqlite', keptAs: null, schemaVersion: 2, journalEntries: 3 } };

  function setup(options: { view?: RecoveryView | null; confirm?: boolean; restore?: Result<RestoreReport> } = {}) {
    const deps = {
      isTrusted: vi.fn((e: FakeEvent) => e.trusted),
      view: () => (options.view === undefined ? recoveryView(failure('damaged'), BACKUPS, NOW) : options.view),
      confirm: vi.fn(async () => options.confirm ?? true),
      restore: vi.fn(async (_name: string) => options.restore ?? ok),
      relaunch: vi.fn(),
      quit: vi.fn(),
    };
    return { deps, handlers: createRecoveryHandlers<FakeEvent>(deps) };
  }
  const trusted = { trusted: true };
  const untrusted = { trusted: false };
  const NAME = 'standby-desk-20260720T103000Z.sqlite';

  it('restores the chosen backup after confirmation, then relaunches', async () => {
    const { deps, handlers } = setup();
    expect(await handlers.restore(trusted, NAME)).toEqual({ ok: true });
    expect(deps.confirm).toHaveBeenCalledWith(expect.objectContaining({ name: NAME, recommended: true }));
    expect(deps.restore).toHaveBeenCalledWith(NAME);
    expect(deps.relaunch).toHaveBeenCalledOnce();
  });

  it('refuses an untrusted sender before anything else, for every button', async () => {
    const { deps, handlers } = setup();
    expect(await handlers.restore(untrusted, NAME)).toEqual({ ok: false, message: 'refused' });
    expect(handlers.retry(untrusted)).toEqual({ ok: false, message: 'refused' });
    expect(handlers.quit(untrusted)).toEqual({ ok: false, message: 'refused' });
    expect(deps.confirm).not.toHaveBeenCalled();
    expect(deps.restore).not.toHaveBeenCalled();
    expect(deps.relaunch).not.toHaveBeenCalled();
    expect(deps.quit).not.toHaveBeenCalled();
  });

  it('treats a trust check that throws as a refusal', async () => {
    const deps = {
      ...setup().deps,
      isTrusted: () => {
        throw new Error('frame gone');
      },
    };
    const handlers = createRecoveryHandlers<FakeEvent>(deps);
    expect(await handlers.restore(trusted, NAME)).toEqual({ ok: false, message: 'refused' });
  });

  it('refuses a name that was not offered, or anything that is not a name', async () => {
    const { deps, handlers } = setup();
    for (const name of ['standby-desk-20260720T104500Z.sqlite', '/etc/passwd', 7]) {
      expect(await handlers.restore(trusted, name)).toMatchObject({ ok: false });
    }
    expect(await setup({ view: null }).handlers.restore(trusted, NAME)).toMatchObject({ ok: false });
    expect(deps.restore).not.toHaveBeenCalled();
  });

  it('changes nothing when the person cancels', async () => {
    const { deps, handlers } = setup({ confirm: false });
    expect(await handlers.restore(trusted, NAME)).toEqual({ ok: false, message: 'Nothing was changed.' });
    expect(deps.restore).not.toHaveBeenCalled();
    expect(deps.relaunch).not.toHaveBeenCalled();
  });

  it('says why a restore failed, and does not relaunch', async () => {
    const { deps, handlers } = setup({ restore: { ok: false, error: { code: 'internal', message: 'integrity_check: bad page' } } });
    expect(await handlers.restore(trusted, NAME)).toEqual({ ok: false, message: 'The backup was not restored: integrity_check: bad page' });
    expect(deps.relaunch).not.toHaveBeenCalled();
  });

  it('runs one restore at a time: a second click while the first waits is refused', async () => {
    const { deps, handlers } = setup();
    let answer: (yes: boolean) => void = () => undefined;
    deps.confirm.mockImplementationOnce(() => new Promise<boolean>((resolve) => (answer = resolve)));
    const first = handlers.restore(trusted, NAME);
    expect(await handlers.restore(trusted, NAME)).toEqual({ ok: false, message: 'A restore is already under way.' });
    expect(handlers.quit(trusted)).toEqual({ ok: false, message: 'refused' });
    answer(true);
    expect(await first).toEqual({ ok: true });
    expect(deps.restore).toHaveBeenCalledOnce();
  });

  it('retries by relaunching, and quits', () => {
    const { deps, handlers } = setup();
    expect(handlers.retry(trusted)).toEqual({ ok: true });
    expect(deps.relaunch).toHaveBeenCalledOnce();
    expect(handlers.quit(trusted)).toEqual({ ok: true });
    expect(deps.quit).toHaveBeenCalledOnce();
  });
});

describe('recoveryPage', () => {
  it('shows the view as static HTML, a restore button per offer, and no script', () => {
    const view = recoveryView(failure('damaged'), BACKUPS, NOW);
    const { html, contentSecurityPolicy } = recoveryPage(view);
    expect(html).toContain('<h1>The desk data needs attention</h1>');
    expect(html.match(/data-action="restore"/g)).toHaveLength(3);
    expect(html).toContain('data-backup="standby-desk-20260720T103000Z.sqlite"');
    expect(html).toMatch(/data-action="retry"[\s\S]*data-action="quit"/);
    expect(html).toContain('(newest good backup)');
    expect(html).toContain('D:\\Backups');
    expect(html).not.toMatch(/<script|on\w+=/i);
    expect(contentSecurityPolicy).toContain("script-src 'none'");
    expect(contentSecurityPolicy).toContain(`style-src ${RECOVERY_STYLE_HASH}`);
    expect(contentSecurityPolicy).not.toMatch(/unsafe/);
  });

  it('allows exactly its own <style> block by hash', async () => {
    const { createHash } = await import('node:crypto');
    const { html } = recoveryPage(recoveryView(failure('other'), [], NOW));
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    expect(RECOVERY_STYLE_HASH).toBe(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
  });

  it('escapes whatever the error or a file name says', () => {
    const hostile: OpenFailure = { ...failure('damaged'), message: '<img src=x onerror=alert(1)> & "quotes"', backupDir: '"><script>alert(1)</script>' };
    const { html } = recoveryPage(recoveryView(hostile, [{ ...backup('10:30', true), name: 'x" data-action="quit' }], NOW));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;');
    expect(html).toContain('data-backup="x&quot; data-action=&quot;quit"');
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });
});
