/**
 * The practice's settings (issue 20 item 2), managers only: what set-up asked, changed here and audited. A value
 * the practice's IT put in upkeep-settings.json or backup-settings.json wins, and is shown read-only with the file
 * it came from. The token is never shown: only whether one is kept. Saved settings take effect at once.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { WATCH_FEEDS, WatchFeed, type PracticeSettingsView, type SettingField, type SettingInForce } from '../../../shared/api';
import { getDeskClient } from '../api/client';
import { FhirTest, FolderCheckButton, messageOf, WATCH_FEED_LABEL } from './setup-parts';
import { GroupSummary } from './GroupStep';
import './setup.css';

const LABEL: Record<SettingField, string> = {
  'practice.name': 'Practice name',
  'practice.odsCode': 'ODS code',
  'fhir.url': 'FHIR server',
  'fhir.token': 'Access token',
  'fhir.everyMinutes': 'Pull every (minutes)',
  'watch.dir': 'Watched folder',
  'watch.feed': 'Watched folder is given',
  'pack.dir': 'Outage pack folder',
  'pack.days': 'Days in the pack',
  'backup.dir': 'Backup folder',
  'backup.everyMinutes': 'Backup every (minutes)',
};

export function SettingsPanel() {
  const [view, setView] = useState<PracticeSettingsView | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [draft, setDraft] = useState({
    name: '',
    ods: '',
    kind: 'none',
    url: '',
    every: '5',
    token: '',
    removeToken: false,
    watch: '',
    feed: 'export' as WatchFeed,
    pack: '',
    packDays: '2',
    backup: '',
    backupEvery: '15',
  });
  const set = (patch: Partial<typeof draft>) => setDraft((d) => ({ ...d, ...patch }));

  const load = (next: PracticeSettingsView) => {
    setView(next);
    const s = next.saved;
    setDraft({
      name: s?.practice.name ?? '',
      ods: s?.practice.odsCode ?? '',
      kind: s?.book.kind ?? 'none',
      url: s?.book.kind === 'fhir' ? s.book.url : '',
      every: s?.book.kind === 'fhir' ? String(s.book.everyMinutes) : '5',
      token: '',
      removeToken: false,
      watch: s?.book.kind === 'watch' ? s.book.dir : '',
      feed: s?.book.kind === 'watch' ? s.book.feed : 'export',
      pack: s?.pack?.dir ?? '',
      packDays: String(s?.pack?.days ?? 2),
      backup: s?.backup?.dir ?? '',
      backupEvery: String(s?.backup?.everyMinutes ?? 15),
    });
  };

  useEffect(() => {
    getDeskClient()
      .send('getSettings', {})
      .then(load, (e: unknown) => setMessage({ kind: 'error', text: messageOf(e) }));
  }, []);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    try {
      const book =
        draft.kind === 'fhir'
          ? { kind: 'fhir' as const, url: draft.url, everyMinutes: Number(draft.every) }
          : draft.kind === 'watch'
            ? { kind: 'watch' as const, dir: draft.watch, feed: draft.feed }
            : { kind: 'none' as const };
      const saved = await getDeskClient().send('saveSettings', {
        settings: {
          practice: { name: draft.name, odsCode: draft.ods },
          book,
          pack: draft.pack.trim() === '' ? null : { dir: draft.pack, days: draft.packDays === '1' ? 1 : 2 },
          backup: draft.backup.trim() === '' ? null : { dir: draft.backup, everyMinutes: Number(draft.backupEvery) },
        },
        ...(draft.removeToken ? { fhirToken: null } : draft.token.trim() === '' ? {} : { fhirToken: draft.token }),
      });
      load(saved);
      setMessage({ kind: 'ok', text: 'Saved. The desk pulls, watches, packs and backs up with these settings from now on.' });
    } catch (e) {
      setMessage({ kind: 'error', text: messageOf(e) });
    }
  };

  if (view === null) return <div>{message ? <p className="signin-error">{message.text}</p> : <p>Reading the practice settings…</p>}</div>;
  const fromFile = (field: SettingField): SettingInForce | null => view.inForce.find((f) => f.field === field && f.source === 'file') ?? null;
  const box = (field: SettingField, id: string, value: string, onChange: (v: string) => void, type = 'text') => {
    const file = fromFile(field);
    return (
      <p>
        <label htmlFor={id}>{LABEL[field]}</label>{' '}
        {file ? (
          <span data-testid={`from-file-${field}`}>
            <input id={id} value={file.value ?? ''} readOnly aria-readonly="true" /> <em>from {file.file}</em>
          </span>
        ) : (
          <input id={id} type={type} value={value} onChange={(e) => onChange(e.target.value)} />
        )}
      </p>
    );
  };
  return (
    <div className="settings-panel">
      <h2>Practice settings</h2>
      <form onSubmit={(e) => void save(e)} aria-label="Practice settings">
        {box('practice.name', 'settings-name', draft.name, (name) => set({ name }))}
        {box('practice.odsCode', 'settings-ods', draft.ods, (ods) => set({ ods: ods.toUpperCase() }))}
        <p>
          <label htmlFor="settings-book">The book comes from</label>{' '}
          <select id="settings-book" value={draft.kind} onChange={(e) => set({ kind: e.target.value })}>
            <option value="fhir">the clinical system&apos;s FHIR server</option>
            <option value="watch">a watched folder</option>
            <option value="none">neither (imports by hand)</option>
          </select>
        </p>
        {draft.kind === 'fhir' ? (
          <>
            {box('fhir.url', 'settings-url', draft.url, (url) => set({ url }))}
            {fromFile('fhir.token') ? (
              box('fhir.token', 'settings-token', '', () => undefined)
            ) : (
              <p>
                <label htmlFor="settings-token">Access token</label>{' '}
                <input
                  id="settings-token"
                  type="password"
                  autoComplete="off"
                  value={draft.token}
                  onChange={(e) => set({ token: e.target.value })}
                  placeholder={view.tokenKept ? 'a token is kept: type to replace it' : 'none kept'}
                />{' '}
                {view.tokenKept ? (
                  <label className="setup-check">
                    <input type="checkbox" checked={draft.removeToken} onChange={(e) => set({ removeToken: e.target.checked })} /> remove the token kept
                  </label>
                ) : null}
              </p>
            )}
            {box('fhir.everyMinutes', 'settings-every', draft.every, (every) => set({ every }), 'number')}
            <FhirTest url={draft.url || (view.inForce.find((f) => f.field === 'fhir.url')?.value ?? '')} token={draft.token} odsCode={draft.ods} />
          </>
        ) : null}
        {draft.kind === 'watch' ? box('watch.dir', 'settings-watch', draft.watch, (watch) => set({ watch })) : null}
        {draft.kind === 'watch' && !fromFile('watch.feed') ? (
          <p>
            <label htmlFor="settings-watch-feed">{LABEL['watch.feed']}</label>{' '}
            <select id="settings-watch-feed" value={draft.feed} onChange={(e) => set({ feed: WatchFeed.parse(e.target.value) })}>
              {WATCH_FEEDS.map((feed) => (
                <option key={feed} value={feed}>
                  {WATCH_FEED_LABEL[feed]}
                </option>
              ))}
            </select>
          </p>
        ) : null}
        {draft.kind === 'watch' && fromFile('watch.feed') ? box('watch.feed', 'settings-watch-feed', draft.feed, () => undefined) : null}
        {box('pack.dir', 'settings-pack', draft.pack, (pack) => set({ pack }))}
        <FolderCheckButton dir={draft.pack} purpose="pack" />
        {box('pack.days', 'settings-pack-days', draft.packDays, (packDays) => set({ packDays }), 'number')}
        {box('backup.dir', 'settings-backup', draft.backup, (backup) => set({ backup }))}
        <FolderCheckButton dir={draft.backup} purpose="backup" />
        {box('backup.everyMinutes', 'settings-backup-every', draft.backupEvery, (backupEvery) => set({ backupEvery }), 'number')}
        <button type="submit" className="button">
          Save the practice settings
        </button>
        {message ? (
          <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'signin-error' : undefined}>
            {message.text}
          </p>
        ) : null}
      </form>
      <h3>In force now</h3>
      <table className="settings-in-force" data-testid="settings-in-force">
        <thead>
          <tr>
            <th scope="col">Setting</th>
            <th scope="col">Value</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {view.inForce.map((f) => (
            <tr key={f.field} data-field={f.field} data-source={f.source}>
              <td>{LABEL[f.field]}</td>
              <td>{f.value ?? '(not set)'}</td>
              <td>{f.source === 'file' ? `from ${f.file ?? 'a file'} (read-only)` : f.source === 'screen' ? 'saved on screen' : f.value === null ? '' : 'the default'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {view.problems.map((p) => (
        <p key={p} className="signin-error">
          {p}
        </p>
      ))}
      <GroupSummary />
    </div>
  );
}
