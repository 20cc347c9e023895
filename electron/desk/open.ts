/**
 * Opens a desk on a data folder: the database (pragmas, integrity check, migrations), the journal check, the
 * service and its dispatcher. The Electron main process, the HTTP server, the CLI and the tests all come in here.
 */
import os from 'node:os';
import path from 'node:path';
import type { DeskEvent } from '../../shared/api';
import { createDispatch, type Dispatch, type RequestContext } from './dispatch';
import { createRoomScope } from './auth/room-scope';
import { deskClock } from './clock';
import { DeskLog } from './log';
import { DeskService, type Clock } from './service';
import type { ScryptCost } from './auth/secrets';
import { closeDatabase, databasePath, openDatabase } from './store/connection';
import { Db } from './store/sql';
import { GroupStore } from './group/store';
import { installCapture } from './group/replica';
import type { UpstreamSettingsProvider } from './upstream/settings';
import type { ReadinessUpkeep } from './readiness';
import { DrillDesk } from './drill/drill-desk';
import { createSetupOperations } from './setup';

export interface OpenDeskOptions {
  dataDir: string;
  /** Who and where, for actions not made through a transport (the CLI's demo load, say). */
  desk?: string;
  user?: string;
  clock?: Clock;
  /** Tests only: a cheaper scrypt so thousands of sign-ins stay fast. */
  scryptCost?: ScryptCost;
  idleLockMinutes?: number;
  /** The FHIR settings this process pulls with, for merge-back too (upstream/settings.ts). */
  upstreamSettings?: UpstreamSettingsProvider;
  /** The upkeep this process runs (serve's flags, the app's upkeep-settings.json), for readiness; none: no pack folder. */
  upkeepSettings?: () => ReadinessUpkeep;
  /**
   * This process serves the screens (the app's desk process, `serve`): it may run an outage drill, and a drill found
   * at opening was left by a desk that stopped during it, so it is discarded (drill/drill-desk.ts). The CLI's other
   * commands leave drills alone: one may be running in the desk beside them.
   */
  drills?: boolean;
}

export interface OpenDesk {
  service: DeskService;
  /** The desk's database, for the parts that work below the service (the desk group's replication). */
  db: Db;
  dispatch: Dispatch;
  onEvent(listener: (event: DeskEvent) => void): () => void;
  /** The desk whose day the screens and sheets read: the drill's sandbox while one runs, else `service`. */
  serving(): DeskService;
  /** The context for the desk's own actions (CLI, app main process). */
  context: RequestContext;
  close(): void;
}

export class JournalBrokenError extends Error {
  constructor(file: string, seq: number, reason: string) {
    super(`The journal in ${file} is broken at entry ${seq} (${reason}). The record of desk changes cannot be trusted; keep the file and restore a backup.`);
    this.name = 'JournalBrokenError';
  }
}

export function openDesk(options: OpenDeskOptions): OpenDesk {
  const file = databasePath(options.dataDir);
  const raw = openDatabase(file);
  const db = new Db(raw);
  const service = new DeskService(db, {
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.scryptCost ? { scryptCost: options.scryptCost } : {}),
    ...(options.idleLockMinutes ? { idleLockMinutes: options.idleLockMinutes } : {}),
    ...(options.upstreamSettings ? { upstreamSettings: options.upstreamSettings } : {}),
    log: new DeskLog(options.dataDir, { clock: options.clock ?? deskClock() }),
    readiness: { dataDir: options.dataDir, ...(options.upkeepSettings ? { upkeep: options.upkeepSettings } : {}) },
  });
  service.useSetupOperations(createSetupOperations({ dataDir: options.dataDir, service, db }));
  const verified = service.journal.verify();
  if (!verified.ok) {
    closeDatabase(raw);
    throw new JournalBrokenError(file, verified.seq, verified.reason);
  }
  const audited = service.audit.verify();
  if (!audited.ok) {
    closeDatabase(raw);
    throw new JournalBrokenError(file, audited.seq, `audit trail: ${audited.reason}`);
  }
  // A coordinator's every write is captured for its members, whichever process opened the folder (serve, or the CLI
  // beside it), and for the schema as it is now (a migration drops the triggers).
  if (new GroupStore(db).config()?.role === 'coordinator') installCapture(raw);
  const context = { user: options.user ?? osUser(), desk: options.desk ?? os.hostname() };
  // Retention runs whenever the desk opens (the app every morning, and each CLI command): a completed
  // reconciliation's patient data goes once its period has passed, whether or not anyone opens merge-back
  // again. A failure here must not keep the desk from opening; it is tried again next time.
  try {
    service.merge.retention(context);
  } catch (error) {
    console.error('standby-desk: the retention check failed; it runs again next time the desk opens:', error);
  }
  const onInternalError = (error: unknown, name: string) => console.error(`standby-desk: ${name} failed:`, error);
  const realDispatch = createDispatch(service.handlers(), {
    authorize: (name, ctx) => service.auth.authorize(name, ctx),
    // A clinician's own list (issue 17). Every call reaches this dispatcher, a group member's forwarded ones included
    // (the coordinator carries them out here), so the check is made once, where the data is.
    scope: createRoomScope(db),
    onInternalError,
  });
  const listeners = new Set<(event: DeskEvent) => void>();
  const emit = (event: DeskEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // As the service's own emitter: a broken view must not block the others; it re-reads when it reconnects.
      }
    }
  };
  const drill = options.drills ? new DrillDesk({ dataDir: options.dataDir, real: service, realDb: db, realDispatch, emit, onInternalError }) : null;
  if (drill) {
    drill.discardLeftover();
    service.setDrillControl(drill);
  }
  // During a drill the screens follow the sandbox: the real desk's own changes (a pull) would only confuse them.
  service.onEvent((event) => {
    if (drill === null || drill.passesRealEvents()) emit(event);
  });
  return {
    service,
    db,
    dispatch: drill ? drill.dispatch : realDispatch,
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    serving: () => drill?.serving() ?? service,
    context,
    close: () => {
      drill?.close();
      closeDatabase(raw);
    },
  };
}

function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'desk';
  }
}

/**
 * The app's own data folder, the same place Electron's app.getPath('userData') gives for "Standby Desk", so
 * the CLI and the installed app find one database.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const name = 'Standby Desk';
  if (platform === 'win32') return path.join(env['APPDATA'] ?? path.join(os.homedir(), 'AppData', 'Roaming'), name);
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', name);
  return path.join(env['XDG_CONFIG_HOME'] ?? path.join(os.homedir(), '.config'), name);
}
