/**
 * The application menu as data. Electron's roles do the standard editing and zoom commands; what the desk
 * itself does is injected, so the template is tested without Electron. Windows and Linux only (the targets
 * in electron-builder.yml): there is no macOS application menu.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  print(): void;
  openWaitingRoom(): void;
  showHelp(): void;
}

export interface MenuOptions {
  /** Unpackaged (`npm start`): adds reload and the developer tools, which a practice PC must not offer. */
  development: boolean;
  /**
   * Offer the waiting-room display. Off until the renderer has its public view: a public screen must never
   * fall back to the reception page, which shows every patient's details.
   */
  waitingRoom: boolean;
  actions: MenuActions;
}

export const PRINT_ACCELERATOR = 'CmdOrCtrl+P';
export const HELP_ACCELERATOR = 'F1';
// Not Ctrl+Shift+W: in Chrome that closes the window, and receptionists know Chrome.
export const WAITING_ROOM_ACCELERATOR = 'CmdOrCtrl+Shift+D';

export function buildMenuTemplate({ development, waitingRoom, actions }: MenuOptions): MenuItemConstructorOptions[] {
  const developerItems: MenuItemConstructorOptions[] = development ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] : [];
  const waitingRoomItems: MenuItemConstructorOptions[] = waitingRoom
    ? [
        {
          id: 'waiting-room',
          label: 'Open &waiting-room display',
          accelerator: WAITING_ROOM_ACCELERATOR,
          click: () => actions.openWaitingRoom(),
        },
      ]
    : [];
  return [
    {
      label: '&File',
      submenu: [{ id: 'print', label: '&Print…', accelerator: PRINT_ACCELERATOR, click: () => actions.print() }, ...waitingRoomItems, { type: 'separator' }, { role: 'quit' }],
    },
    {
      label: '&Edit',
      submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
    },
    {
      label: '&View',
      submenu: [
        ...developerItems,
        // Zoom stays in production: text size is an accessibility need at a busy desk.
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: '&Help',
      submenu: [{ id: 'help', label: 'Standby Desk &help', accelerator: HELP_ACCELERATOR, click: () => actions.showHelp() }],
    },
  ];
}

export interface HelpMessage {
  title: string;
  message: string;
  detail: string;
}

/** Shown by F1 until there is a help page; the data folder is what support asks for first. */
export function helpMessage(version: string, dataDir: string, waitingRoom: boolean): HelpMessage {
  return {
    title: 'Standby Desk help',
    message: `Standby Desk ${version}`,
    detail: [
      'Keeps the front desk working while the clinical system is down. Every change you make here is recorded in',
      'the desk journal, so that it can be reconciled with the clinical system afterwards.',
      '',
      'Print (Ctrl+P) prints the screen you are looking at.',
      ...(waitingRoom ? ['Open waiting-room display (Ctrl+Shift+D) shows the public display, on a second screen when one is connected.'] : []),
      '',
      `Data folder: ${dataDir}`,
    ].join('\n'),
  };
}
