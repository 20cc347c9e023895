/**
 * The Electron entry point: wiring only. Every decision (what is trusted, where windows go, which file a URL
 * means) lives in the plain modules beside this one and is tested under Node; this file connects them to
 * Electron's events and is only type-checked (electron/tsconfig.shell.json) and bundled to dist/electron/main.cjs.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  screen,
  session,
  shell,
  type IpcMainInvokeEvent,
  type WebContents,
} from 'electron';
import type { DeskEvent } from '../../shared/api';
import type { Dispatch, RequestContext } from '../desk/dispatch';
import { openDesk } from '../desk/open';
import { APP_SCHEME_PRIVILEGES, appResponseHeaders, resolveAppFile } from './app-protocol';
import { createIpcHandler, registerOperationHandlers } from './ipc';
import { EVENT_CHANNEL } from './ipc-channels';
import { buildMenuTemplate, helpMessage } from './menu';
import {
  APP_ORIGIN,
  APP_SCHEME,
  externalLinkAction,
  isAllowedNavigation,
  isAppUrl,
  isTrustedSender,
  permissionDecision,
} from './security';
import { pickDisplayBounds, RECEPTION_URL, receptionWindowOptions, WAITING_ROOM_URL, waitingRoomWindowOptions } from './windows';

/** Same as appId in electron-builder.yml: Windows groups taskbar entries and notifications by it. */
const APP_USER_MODEL_ID = 'org.standbydesk.app';

/** Flip when the renderer has its public `?view=waiting-room` page (see MenuOptions.waitingRoom). */
const WAITING_ROOM_VIEW_READY = false;

// main.cjs and preload.cjs are bundled side by side into dist/electron; the renderer build is dist/renderer.
const PRELOAD_PATH = path.join(__dirname, 'preload.cjs');
const RENDERER_DIR = path.join(__dirname, '..', 'renderer');

// Privileges can only be granted before 'ready'.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);

// One app per PC session: a second launch (a double-click on the shortcut) brings the first forward instead
// of opening a second set of windows on the same data.
if (app.requestSingleInstanceLock()) {
  start();
} else {
  app.quit();
}

function start(): void {
  let desk: ReturnType<typeof openDesk> | null = null;
  let reception: BrowserWindow | null = null;
  let waitingRoom: BrowserWindow | null = null;
  const readOnlyContents = new Set<number>();
  const dataDir = app.getPath('userData');
  const context: RequestContext = { desk: os.hostname(), user: currentUser() };

  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

  const closeDesk = (): void => {
    const open = desk;
    desk = null;
    open?.close();
  };

  app.on('second-instance', () => {
    if (!reception) return;
    if (reception.isMinimized()) reception.restore();
    reception.focus();
  });

  // Every webContents, including any we did not mean to create, gets the same guards.
  app.on('web-contents-created', (_event, contents) => guardContents(contents));

  app.on('window-all-closed', () => app.quit());

  // will-quit rather than before-quit: it comes after every window has closed, so no IPC call can arrive at a
  // closed database, and a quit that a window cancels leaves the desk open.
  app.on('will-quit', () => closeDesk());

  const dispatch: Dispatch = (name, rawInput, ctx) =>
    desk ? desk.dispatch(name, rawInput, ctx) : { ok: false, error: { code: 'internal', message: 'the desk is closing' } };

  const broadcast = (event: DeskEvent): void => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.isDestroyed() && isAppUrl(win.webContents.getURL(), APP_ORIGIN)) win.webContents.send(EVENT_CHANNEL, event);
    }
  };

  const openReception = (): void => {
    const win = new BrowserWindow(receptionWindowOptions(PRELOAD_PATH));
    reception = win;
    win.once('ready-to-show', () => win.show());
    // Windows does not emit will-quit when the user logs off or the PC shuts down; this is the last chance.
    win.on('session-end', () => closeDesk());
    win.on('closed', () => {
      reception = null;
      app.quit();
    });
    void win.loadURL(RECEPTION_URL);
  };

  const openWaitingRoom = (): void => {
    if (waitingRoom && !waitingRoom.isDestroyed()) {
      waitingRoom.showInactive();
      return;
    }
    const placement = pickDisplayBounds(screen.getAllDisplays(), screen.getPrimaryDisplay().id);
    const win = new BrowserWindow(waitingRoomWindowOptions(PRELOAD_PATH, placement));
    const contentsId = win.webContents.id;
    readOnlyContents.add(contentsId);
    waitingRoom = win;
    win.setMenu(null);
    // Inactive: the receptionist keeps the keyboard focus on the desk.
    win.once('ready-to-show', () => win.showInactive());
    win.on('closed', () => {
      readOnlyContents.delete(contentsId);
      waitingRoom = null;
    });
    void win.loadURL(WAITING_ROOM_URL);
  };

  const showHelp = (): void => {
    const help = { type: 'info' as const, ...helpMessage(app.getVersion(), dataDir, WAITING_ROOM_VIEW_READY) };
    const parent = BrowserWindow.getFocusedWindow() ?? reception;
    void (parent ? dialog.showMessageBox(parent, help) : dialog.showMessageBox(help));
  };

  const print = (): void => {
    (BrowserWindow.getFocusedWindow() ?? reception)?.webContents.print({});
  };

  app
    .whenReady()
    .then(() => {
      try {
        desk = openDesk({ dataDir, desk: context.desk, user: context.user });
      } catch (error) {
        // A broken journal or database must stop the app in front of a person, not leave an empty desk.
        const reason = error instanceof Error ? error.message : String(error);
        dialog.showErrorBox('Standby Desk cannot open its data', `${reason}\n\nData folder: ${dataDir}`);
        app.exit(1);
        return;
      }
      desk.onEvent(broadcast);

      protocol.handle(APP_SCHEME, serveRendererFile);

      const ses = session.defaultSession;
      ses.setPermissionRequestHandler((_contents, permission, callback) => callback(permissionDecision(permission)));
      ses.setPermissionCheckHandler((_contents, permission) => permissionDecision(permission));
      ses.setDevicePermissionHandler(() => false);

      registerOperationHandlers<IpcMainInvokeEvent>(
        ipcMain,
        createIpcHandler<IpcMainInvokeEvent>(dispatch, {
          isTrusted: (event) => isTrustedSender(event.senderFrame, APP_ORIGIN),
          // Until sign-in exists, every call acts as the OS user at this PC.
          contextOf: () => context,
          isReadOnly: (event) => readOnlyContents.has(event.sender.id),
        }),
      );

      Menu.setApplicationMenu(
        Menu.buildFromTemplate(
          buildMenuTemplate({
            development: !app.isPackaged,
            waitingRoom: WAITING_ROOM_VIEW_READY,
            actions: { print, openWaitingRoom, showHelp },
          }),
        ),
      );

      openReception();
    })
    .catch((error: unknown) => {
      dialog.showErrorBox('Standby Desk could not start', error instanceof Error ? (error.stack ?? error.message) : String(error));
      app.exit(1);
    });
}

async function serveRendererFile(request: Request): Promise<Response> {
  const notFound = () => new Response('Not found', { status: 404, headers: appResponseHeaders(null) });
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response('Method not allowed', { status: 405, headers: appResponseHeaders(null) });
  }
  const file = resolveAppFile(request.url, RENDERER_DIR, APP_ORIGIN);
  if (file === null) return notFound();
  try {
    const body = await readFile(file);
    return new Response(new Uint8Array(body), { status: 200, headers: appResponseHeaders(file) });
  } catch {
    return notFound();
  }
}

function guardContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    if (isAllowedNavigation(event.url, APP_ORIGIN)) return;
    event.preventDefault();
    openOutside(event.url);
  });
  // will-navigate covers the top frame only; iframes and server redirects are held to the same rule.
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedNavigation(event.url, APP_ORIGIN)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url, APP_ORIGIN)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function openOutside(url: string): void {
  if (externalLinkAction(url) === 'open-in-browser') void shell.openExternal(url);
}

function currentUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    // Some locked-down Windows accounts have no readable profile; the journal still needs a name.
    return 'desk';
  }
}
