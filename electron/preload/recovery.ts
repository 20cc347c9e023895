/**
 * The recovery page's preload. The page (recovery-page.ts) has no script and may run none (script-src 'none');
 * this preload, in its isolated world, wires the page's buttons to the recovery channels and writes what
 * happened into the status line. It exposes nothing to the page: there is no API a script there could call.
 * Bundled by build/bundle-electron.ts into dist/electron/recovery-preload.cjs.
 */
import { ipcRenderer } from 'electron';
import { RECOVERY_CHANNELS } from '../main/ipc-channels';

type Answer = { ok: true } | { ok: false; message: string };

const WORKING: Record<string, string> = {
  restore: 'Checking the backup and putting it in place…',
  retry: 'Restarting…',
  quit: 'Closing…',
};

function invoke(action: string, backup: string | undefined): Promise<Answer> {
  switch (action) {
    case 'restore':
      return ipcRenderer.invoke(RECOVERY_CHANNELS.restore, backup) as Promise<Answer>;
    case 'retry':
      return ipcRenderer.invoke(RECOVERY_CHANNELS.retry) as Promise<Answer>;
    case 'quit':
      return ipcRenderer.invoke(RECOVERY_CHANNELS.quit) as Promise<Answer>;
    default:
      return Promise.resolve({ ok: false, message: 'Unknown action.' });
  }
}

window.addEventListener('DOMContentLoaded', () => {
  const status = document.getElementById('status');
  const buttons = Array.from(document.querySelectorAll<HTMLButtonElement>('button[data-action]'));
  const setBusy = (busy: boolean) => {
    for (const b of buttons) b.disabled = busy;
  };
  for (const button of buttons) {
    button.addEventListener('click', () => {
      const action = button.dataset['action'] ?? '';
      setBusy(true);
      if (status) status.textContent = WORKING[action] ?? '';
      invoke(action, button.dataset['backup'])
        .then((answer) => {
          // On success the app restarts or quits; the buttons stay off until then.
          if (answer.ok) return;
          if (status) status.textContent = answer.message;
          setBusy(false);
        })
        .catch((error: unknown) => {
          if (status) status.textContent = `Something went wrong: ${error instanceof Error ? error.message : String(error)}`;
          setBusy(false);
        });
    });
  }
});
