/**
 * What `serve` keeps doing beside answering browsers, as the app's desk process does (desk-process/host.ts): the
 * upkeep that its flags and the settings in force ask for (pulls, the watched folder, the outage pack), and the
 * scheduled backups. A desk-group member backs up too, as in the app: its database is the copy this PC would open.
 * Both start again when a manager saves the practice settings on screen.
 */
import { ScheduledBackups, type BackupLog } from '../desk/backup/scheduled';
import type { OpenDesk } from '../desk/open';
import type { Timers } from '../desk/timers';
import type { Upkeep } from '../desk/upkeep';

export interface ServeUpkeepOptions {
  desk: OpenDesk;
  dataDir: string;
  /** The upkeep with the settings in force now (serve's flags over them); called again after every save. */
  startUpkeep: () => Upkeep;
  log: BackupLog;
  timers?: Timers;
}

export interface ServeUpkeep {
  /** No more restarts; the upkeep stopped and the scheduled backups with it (one in flight finished). */
  stop(): Promise<void>;
  /** After stop(), once nothing else writes to the desk: one last backup holding the last change. */
  lastBackup(timeoutMs?: number): Promise<void>;
}

export function startServeUpkeep({ desk, dataDir, startUpkeep, log, timers }: ServeUpkeepOptions): ServeUpkeep {
  const settings = desk.service.practiceSettings;
  let upkeep = startUpkeep();
  const backups = ScheduledBackups.start({ dataDir, saved: () => settings.backupParts(), log, ...(timers ? { timers } : {}) });
  // Settings saved on screen take effect at once: the pulls, the watched folder, the pack and the backups start again.
  let restarting = Promise.resolve();
  const unfollow = settings.onChange(() => {
    restarting = restarting
      .then(async () => {
        await upkeep.stop();
        log('info', 'The practice settings were changed on screen: keeping the mirror fresh with the new ones, and backing up as they say');
        upkeep = startUpkeep();
        await backups.restart();
      })
      .catch((error: unknown) => log('error', `starting again with the new settings: ${error instanceof Error ? error.message : String(error)}`));
  });
  return {
    async stop() {
      unfollow();
      await restarting;
      await upkeep.stop();
      await backups.stop();
    },
    lastBackup: (timeoutMs) => backups.close(timeoutMs),
  };
}
