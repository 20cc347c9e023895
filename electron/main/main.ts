/**
 * The Electron entry point: wiring only. Every decision (what is trusted, where windows go, which file a URL
 * means, what the recovery screen offers) lives in the plain modules beside this one and is tested under Node;
 * this file connects them to Electron's events and is only type-checked (electron/tsconfig.shell.json) and
 * bundled to dist/electron/main.cjs.
 *
 * The desk itself runs in a utility process (electron/desk-process/): main never opens the database, so no SQLite call
 * or disk flush can freeze a window (docs/adr/0001-desk-in-utility-process.md).
 */
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session, shell, utilityProcess, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { DeskEvent } from '../../shared/api';
import { localDateOf, localTimeOf } from '../../shared/domain';
import { WindowSessions } from './window-sessions';
import { appDatabaseKey } from './database-key';
import { KEY_ENV } from '../desk/store/key';
import { APP_SCHEME_PRIVILEGES, appResponseHeaders, generatedPageHeaders, routeAppRequest } from './app-protocol';
import { DeskClient, type HostChannel } from './desk-client';
import { hostArgs, type HostMessage } from '../desk-process/protocol';
import { createIpcHandler, registerOperationHandlers, routeByPolicy } from './ipc';
import { EVENT_CHANNEL, RECOVERY_CHANNELS } from './ipc-channels';
import { buildMenuTemplate, helpMessage } from './menu';
import { PRINT_CONTENT_SECURITY_POLICY, printRecoverySheetInApp, printSheetInApp, PrintPages, type SheetPrintDeps } from './print';
import { argsAfterCrash, crashBefore, crashLogLine, withoutCrashMark } from './desk-restart';
import { SheetPrinter } from './printing';
import { createRecoveryHandlers, recoveryView, restoreConfirmation, type RecoveryView } from './recovery';
import { recoveryPage } from './recovery-page';
import { APP_ORIGIN, APP_SCHEME, createSecureWindow, externalLinkAction, isAllowedNavigation, isAppUrl, isTrustedSender, permissionDecision, RECOVERY_ORIGIN } from './security';
import { mainWindowUrl, pickDisplayBounds, receptionWindowOptions, RECOVERY_URL, recoveryWindowOptions, WAITING_ROOM_URL, waitingRoomWindowOptions } from './windows';

/** Same as appId in electron-builder.yml: Windows groups taskbar entries and notifications by it. */
const APP_USER_MODEL_ID = 'org.standbydesk.app';

/** The renderer has its public `?view=waiting-room` page (renderer/src/display), so the menu offers it. */
const WAITING_ROOM_VIEW_READY = true;

// Bundled side by side into dist/electron; the renderer build is dist/renderer.
const PRELOAD_PATH = path.join(__dirname, 'preload.cjs');
const RECOVERY_PRELOAD_PATH = path.join(__dirname, 'recovery-preload.cjs');
const DESK_HOST_PATH = path.join(__dirname, 'desk-host.cjs');
const RENDERER_DIR = path.join(__dirname, '..', 'renderer');

/** The exit backup and the checkpoint normally take well under a second; past this, the desk process is stopped. */
const DESK_CLOSE_TIMEOUT_MS = 20_000;

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
  let desk: DeskClient | null = null;
  let reception: BrowserWindow | null = null;
  let waitingRoom: BrowserWindow | null = null;
  let recoveryWindow: BrowserWindow | null = null;
  let recovery: RecoveryView | null = null;
  let deskClosed = false;
  const displayContents = new Set<number>();
  const printPages = new PrintPages();
  const sheetPrinter = new SheetPrinter(printPages);
  const dataDir = app.getPath('userData');
  const windowSessions = new WindowSessions(os.hostname());

  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

  app.on('second-instance', () => {
    const front = reception ?? recoveryWindow;
    if (!front) return;
    if (front.isMinimized()) front.restore();
    front.focus();
  });

  // Every webContents, including any we did not mean to create, gets the same guards.
  app.on('web-contents-created', (_event, contents) => {
    guardContents(contents);
    // A reload starts signed out (patient data must not survive into a fresh page unasked), and so does a new window.
    contents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) windowSessions.forget(contents.id);
    });
    contents.once('destroyed', () => windowSessions.forget(contents.id));
  });

  app.on('window-all-closed', () => app.quit());

  // will-quit comes after every window has closed, so no call can arrive at a closing desk. Quitting waits
  // for the desk process to take its exit backup, checkpoint the WAL and close; a quit a window cancels
  // leaves the desk open.
  app.on('will-quit', (event) => {
    if (deskClosed || !desk) return;
    event.preventDefault();
    const closing = desk;
    void closing.close(DESK_CLOSE_TIMEOUT_MS).finally(() => {
      deskClosed = true;
      app.quit();
    });
  });

  const broadcast = (event: DeskEvent): void => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (win.isDestroyed() || !isAppUrl(win.webContents.getURL(), APP_ORIGIN)) continue;
      // A clinician's room window follows only its own list (window-sessions.ts).
      const visible = windowSessions.eventFor(win.webContents.id, event);
      if (visible !== null) win.webContents.send(EVENT_CHANNEL, visible);
    }
  };

  const openReception = (): void => {
    const win = createSecureWindow(BrowserWindow, receptionWindowOptions(), { preload: PRELOAD_PATH, javascript: true });
    reception = win;
    win.once('ready-to-show', () => win.show());
    // Windows does not emit will-quit when the user logs off or the PC shuts down: start closing the desk
    // now. Every acknowledged change is already on disk (WAL, synchronous=FULL); this is the tidy-up.
    win.on('session-end', () => void desk?.close(DESK_CLOSE_TIMEOUT_MS));
    win.on('closed', () => {
      reception = null;
      app.quit();
    });
    // A room PC (`--room`) opens the clinician's room view in the same window and renderer.
    void win.loadURL(mainWindowUrl(process.argv.slice(1)));
  };

  const openWaitingRoom = (): void => {
    if (waitingRoom && !waitingRoom.isDestroyed()) {
      waitingRoom.showInactive();
      return;
    }
    const placement = pickDisplayBounds(screen.getAllDisplays(), screen.getPrimaryDisplay().id);
    const win = createSecureWindow(BrowserWindow, waitingRoomWindowOptions(placement), { preload: PRELOAD_PATH, javascript: true, soundWithoutGesture: true });
    const contentsId = win.webContents.id;
    displayContents.add(contentsId);
    waitingRoom = win;
    win.setMenu(null);
    // Inactive: the receptionist keeps the keyboard focus on the desk.
    win.once('ready-to-show', () => win.showInactive());
    win.on('closed', () => {
      displayContents.delete(contentsId);
      waitingRoom = null;
    });
    void win.loadURL(WAITING_ROOM_URL);
  };

  const openRecovery = (view: RecoveryView): void => {
    recovery = view;
    // Nothing in the desk's menu applies, and a reload or the developer tools have no place here.
    Menu.setApplicationMenu(null);
    const win = createSecureWindow(BrowserWindow, recoveryWindowOptions(), { preload: RECOVERY_PRELOAD_PATH, javascript: true });
    recoveryWindow = win;
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      recoveryWindow = null;
      app.quit();
    });
    void win.loadURL(RECOVERY_URL);
  };

  const showHelp = (): void => {
    const help = { type: 'info' as const, ...helpMessage(app.getVersion(), dataDir, WAITING_ROOM_VIEW_READY) };
    const parent = BrowserWindow.getFocusedWindow() ?? reception;
    void (parent ? dialog.showMessageBox(parent, help) : dialog.showMessageBox(help));
  };

  const print = (): void => {
    const win = BrowserWindow.getFocusedWindow() ?? reception;
    if (!win) return;
    // Paper carries patient details out of the database: audited under whoever is signed in at that window.
    void desk?.call('recordPrint', { what: 'screen' }, windowSessions.contextOf(win.webContents.id));
    win.webContents.print({ printBackground: true });
  };

  /** The Print dialog's sheets (printSheet): built by the desk, printed or saved here. */
  const sheetPrintDeps = (client: DeskClient): SheetPrintDeps => ({
    sheet: (request, ctx) => client.sheet(request, ctx),
    print: (doc) => sheetPrinter.print(doc, { kind: 'dialog' }),
    toPdf: async (doc) => new Uint8Array(await sheetPrinter.toPdf(doc)),
    choosePdfFile: async (suggestedName) => {
      const options = { title: 'Save the sheet as a PDF', defaultPath: path.join(app.getPath('documents'), suggestedName), filters: [{ name: 'PDF', extensions: ['pdf'] }] };
      const parent = BrowserWindow.getFocusedWindow() ?? reception;
      const chosen = await (parent ? dialog.showSaveDialog(parent, options) : dialog.showSaveDialog(options));
      return chosen.canceled || !chosen.filePath ? null : chosen.filePath;
    },
    writeFile: (file, data) => writeFile(file, data),
    recordPrint: (input, ctx) => client.call('recordPrint', input, ctx),
    localNow: () => {
      const now = new Date();
      return { date: localDateOf(now), time: localTimeOf(now) };
    },
  });

  const recoveryHandlers = createRecoveryHandlers<IpcMainInvokeEvent>({
    isTrusted: (event) => recoveryWindow !== null && event.sender.id === recoveryWindow.webContents.id && isTrustedSender(event.senderFrame, RECOVERY_ORIGIN),
    view: () => recovery,
    confirm: async (offer) => {
      const c = restoreConfirmation(offer);
      const options = { type: 'warning' as const, title: c.title, message: c.message, detail: c.detail, buttons: c.buttons, defaultId: 1, cancelId: 1 };
      const answer = await (recoveryWindow ? dialog.showMessageBox(recoveryWindow, options) : dialog.showMessageBox(options));
      return answer.response === 0;
    },
    restore: (name) => (desk ? desk.restore(name) : Promise.resolve({ ok: false, error: { code: 'internal', message: 'the desk process is not running' } })),
    relaunch: () => {
      app.relaunch({ args: withoutCrashMark(process.argv.slice(1)) });
      app.quit();
    },
    quit: () => app.quit(),
  });

  const serveApp = async (request: Request): Promise<Response> => {
    const notFound = () => new Response('Not found', { status: 404, headers: appResponseHeaders(null) });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405, headers: appResponseHeaders(null) });
    }
    const route = routeAppRequest(request.url, RENDERER_DIR);
    if (route === null) return notFound();
    switch (route.kind) {
      case 'desk':
        try {
          return new Response(new Uint8Array(await readFile(route.file)), { status: 200, headers: appResponseHeaders(route.file) });
        } catch {
          return notFound();
        }
      case 'recovery': {
        if (recovery === null) return notFound();
        const page = recoveryPage(recovery);
        return new Response(page.html, { status: 200, headers: generatedPageHeaders(page.contentSecurityPolicy) });
      }
      case 'print': {
        const html = printPages.get(route.url);
        return html === null ? notFound() : new Response(html, { status: 200, headers: generatedPageHeaders(PRINT_CONTENT_SECURITY_POLICY) });
      }
    }
  };

  const startDesk = (): DeskClient => {
    // A utility process: a Node process of Electron's own, so better-sqlite3 (rebuilt for Electron) loads there
    // and a crash in it cannot take the windows down.
    // The key travels in the child's environment only (database-key.ts): never on its command line, never on disk in the clear.
    const warnings: string[] = [];
    const key = appDatabaseKey(dataDir, (message) => {
      console.warn(`standby-desk: ${message}`);
      warnings.push(message);
    });
    const child = utilityProcess.fork(DESK_HOST_PATH, hostArgs(dataDir), {
      serviceName: 'Standby Desk data',
      stdio: 'inherit',
      env: { ...process.env, [KEY_ENV]: key },
    });
    const channel: HostChannel = {
      postMessage: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (message: HostMessage) => listener(message)),
      onExit: (listener) => child.on('exit', listener),
      kill: () => void child.kill(),
    };
    const client = new DeskClient(channel, (level, message) => console[level === 'info' ? 'log' : level](`standby-desk: ${message}`));
    client.onEvent(broadcast);
    // Main keeps no log file of its own: its warnings go to the desk process's, in the data folder.
    const crash = crashBefore(process.argv.slice(1));
    if (crash) client.logToFile('error', crashLogLine(crash));
    for (const warning of warnings) client.logToFile('warn', warning);
    // The outage pack (upkeep-settings.json) is written by the desk process; its pages are drawn here, by
    // Electron's Chromium, in hidden windows with JavaScript off.
    client.setPdfRenderer(async (doc) => new Uint8Array(await sheetPrinter.toPdf(doc)));
    client.onExit((code, expected) => {
      if (expected || client.state === 'starting') return;
      // After the desk was open: its data is safe (every acknowledged change is on disk), the windows are not
      // usable without it. Restart once; a second crash in a row stops in front of a person instead of looping.
      // A second crash in a row stops in front of a person instead of looping (desk-restart.ts).
      const again = crashBefore(process.argv.slice(1)) !== null;
      dialog.showErrorBox(
        'Standby Desk stopped unexpectedly',
        `The part of Standby Desk that keeps the desk's data stopped (exit code ${code}). Every change the desk confirmed is saved.\n\n` +
          (again ? 'It has happened twice in a row: call IT support. Carry on with the paper forms meanwhile.' : 'Standby Desk will now restart.'),
      );
      deskClosed = true;
      if (!again) app.relaunch({ args: argsAfterCrash(process.argv.slice(1), code) });
      app.exit(1);
    });
    return client;
  };

  app
    .whenReady()
    .then(async () => {
      protocol.handle(APP_SCHEME, serveApp);

      const ses = session.defaultSession;
      ses.setPermissionRequestHandler((_contents, permission, callback) => callback(permissionDecision(permission)));
      ses.setPermissionCheckHandler((_contents, permission) => permissionDecision(permission));
      ses.setDevicePermissionHandler(() => false);

      desk = startDesk();
      const client = desk;
      const sheetPrinting = sheetPrintDeps(client);
      registerOperationHandlers<IpcMainInvokeEvent>(
        ipcMain,
        // Each operation goes where its policy says: printSheet is main's own (the desk has no printer), the rest the desk's.
        createIpcHandler<IpcMainInvokeEvent>(
          routeByPolicy((name, rawInput, ctx) => client.call(name, rawInput, ctx), {
            printSheet: (_name, rawInput, ctx) => printSheetInApp(rawInput, ctx, sheetPrinting),
            printRecoverySheet: (_name, rawInput, ctx) => printRecoverySheetInApp(rawInput, ctx, sheetPrinting),
          }),
          {
            isTrusted: (event) => isTrustedSender(event.senderFrame, APP_ORIGIN),
            // Each window signs in on its own session (window-sessions.ts); main's own jobs use `context`.
            contextOf: (event) => windowSessions.contextOf(event.sender.id),
            // The waiting-room window may call only what a display may (the contract's policy).
            isDisplay: (event) => displayContents.has(event.sender.id),
            onSession: (event, session) => windowSessions.noteSession(event.sender.id, session),
          },
        ),
      );
      ipcMain.handle(RECOVERY_CHANNELS.restore, (event, name: unknown) => recoveryHandlers.restore(event, name));
      ipcMain.handle(RECOVERY_CHANNELS.retry, (event) => recoveryHandlers.retry(event));
      ipcMain.handle(RECOVERY_CHANNELS.quit, (event) => recoveryHandlers.quit(event));

      const opened = await client.whenOpen();
      if (opened.ok) {
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
      } else if ('failure' in opened) {
        // A damaged database or a broken journal stops the app in front of a person, with its backups offered.
        openRecovery(recoveryView(opened.failure, opened.backups, new Date()));
      } else {
        dialog.showErrorBox(
          'Standby Desk could not start',
          `The part of Standby Desk that keeps the desk's data stopped before it opened (exit code ${opened.exited}).\n\nData folder: ${dataDir}`,
        );
        deskClosed = true;
        app.exit(1);
      }
    })
    .catch((error: unknown) => {
      dialog.showErrorBox('Standby Desk could not start', error instanceof Error ? (error.stack ?? error.message) : String(error));
      app.exit(1);
    });
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
  // Only https: links with no credentials get past externalLinkAction (tested in security.test.ts).
  if (externalLinkAction(url) === 'open-in-browser') void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK: https only, checked on the line itself
}
