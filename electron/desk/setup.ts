/**
 * First-run set-up and the settings screen's operations (shared/api/setup.ts): checking a folder, testing a FHIR
 * server, completing the set-up, and reading and saving the practice's settings. Here, not in the desk service,
 * because what is in force is read with the settings files' readers (upkeep-settings.ts), which depend on the
 * service; openDesk hands these to the service (useSetupOperations).
 *
 * While no account exists anyone at this PC may call them (the HTTP server lets them come from loopback only);
 * once one does, only a practice manager, and completeSetup not at all.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DeskError, type FhirConnectionTest, type FolderCheck, type PracticeSettings, type PracticeSettingsView, type SettingInForce } from '../../shared/api';
import { BACKUP_SETTINGS_FILE, readBackupSettings } from './backup/settings';
import type { Handlers, RequestContext } from './dispatch';
import type { DeskService } from './service';
import { readUpkeepSettings, UPKEEP_SETTINGS_FILE } from './upkeep-settings';
import { pullBook } from './upstream/fhir/client';
import { createGroupSetup } from './setup-group';
import type { Db } from './store/sql';

type SetupOperations = Pick<
  Handlers,
  'checkFolder' | 'testFhirConnection' | 'getFhirConnectionTest' | 'completeSetup' | 'joinGroupInSetup' | 'getGroupSetup' | 'getSettings' | 'saveSettings'
>;

/** Connection tests kept for their answer; the oldest go first. */
const MAX_TESTS = 20;
const TEST_TIMEOUT_MS = 15_000;

export function createSetupOperations(deps: { dataDir: string; service: DeskService; db: Db; env?: NodeJS.ProcessEnv }): SetupOperations {
  const { dataDir, service } = deps;
  const store = service.practiceSettings;
  const tests = new Map<string, FhirConnectionTest>();
  const group = createGroupSetup({ db: deps.db, service }, () => store.changed());

  const mayConfigure = (ctx: RequestContext): void => {
    if (service.auth.accountCount() === 0 || ctx.role === 'manager') return;
    throw new DeskError('forbidden', 'Standby Desk is set up: a practice manager changes its settings (sign in as one)');
  };

  const view = (): PracticeSettingsView => settingsInForce(dataDir, service, deps.env);

  const saved = (settings: PracticeSettings): void => {
    if (settings.pack) {
      // Never made here: a stick that is not plugged in must not leave the pack on this PC's disk instead.
      const check = checkFolderAt(path.resolve(dataDir, settings.pack.dir), 'pack', dataDir);
      if (!check.exists) throw new DeskError('invalid_input', check.message);
    }
  };

  return {
    checkFolder: (input, ctx) => {
      mayConfigure(ctx);
      return checkFolderAt(path.resolve(dataDir, input.dir), input.purpose, dataDir);
    },
    testFhirConnection: (input, ctx) => {
      mayConfigure(ctx);
      const testId = randomUUID();
      const token = input.token ?? store.fhirToken() ?? undefined;
      const date = service.today();
      tests.set(testId, { state: 'running' });
      for (const old of [...tests.keys()].slice(0, Math.max(0, tests.size - MAX_TESTS))) tests.delete(old);
      // Read and counted, never kept: the mirror changes only when the desk pulls for real.
      pullBook(
        {
          baseUrl: input.url,
          ...(token === undefined ? {} : { bearerToken: token }),
          ...(input.odsCode === undefined ? {} : { odsCode: input.odsCode }),
          timeoutMs: TEST_TIMEOUT_MS,
        },
        { dates: [date], clock: service.clock },
      ).then(
        (batch) => {
          const practice = batch.practice?.entity ?? null;
          tests.set(testId, {
            state: 'found',
            practice: practice === null ? null : { name: practice.name, odsCode: practice.odsCode },
            clinicians: batch.clinicians.size,
            appointmentsToday: batch.appointments.size,
            date,
          });
        },
        (error: unknown) => tests.set(testId, { state: 'failed', message: error instanceof Error ? error.message : String(error) }),
      );
      return { testId };
    },
    getFhirConnectionTest: (input, ctx) => {
      mayConfigure(ctx);
      return tests.get(input.testId) ?? { state: 'failed', message: 'that test is no longer kept: test the connection again' };
    },
    completeSetup: (input, ctx) => {
      if (input.receptionist?.username === input.manager.username) throw new DeskError('invalid_input', 'the receptionist needs a username of their own');
      saved(input.settings);
      if (input.startGroup) group.mayStart();
      const session = store.transaction(() => {
        if (service.auth.accountCount() > 0) throw new DeskError('forbidden', 'Standby Desk is already set up: a practice manager changes its settings');
        const as = { ...ctx, user: input.manager.username };
        store.save(input.settings, input.fhirToken, as, true);
        const signedIn = service.auth.setUpFirstManager(input.manager, ctx);
        if (input.receptionist) service.auth.addUser({ ...input.receptionist, role: 'receptionist' }, as);
        return signedIn;
      });
      store.changed();
      if (input.startGroup) group.start({ deskName: input.startGroup.deskName, groupName: input.settings.practice.name }, { ...ctx, user: input.manager.username });
      return session;
    },
    joinGroupInSetup: (input) => group.join(input),
    getGroupSetup: (_input, ctx) => {
      const progress = group.progress();
      // The pairing code is the manager's; how a join went is not, and the joined desk has the coordinator's
      // accounts by then, so the screen that joined is no manager yet (it goes to sign-in next).
      if (progress.state === 'started' || progress.state === 'none') mayConfigure(ctx);
      return progress;
    },
    getSettings: () => view(),
    saveSettings: (input, ctx) => {
      saved(input.settings);
      store.save(input.settings, input.fhirToken, ctx);
      store.changed();
      return view();
    },
  };
}

/**
 * Whether a folder is there and can be written (by writing and removing a small file); a watched folder only
 * needs to be read. Never creates the folder. A backup folder on the data folder's own disk is said to be one.
 */
export function checkFolderAt(folder: string, purpose: 'pack' | 'backup' | 'watch', dataDir: string): FolderCheck {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch {
    return {
      folder,
      exists: false,
      writable: false,
      message: `${folder} is not there: plug in the stick or connect the share, or make the folder first (Standby Desk never creates it)`,
    };
  }
  if (!stat.isDirectory()) return { folder, exists: false, writable: false, message: `${folder} is a file, not a folder` };
  if (purpose === 'watch') {
    try {
      const files = fs.readdirSync(folder).filter((name) => /\.(json|csv)$/i.test(name)).length;
      return { folder, exists: true, writable: false, message: `${folder} can be read: ${files} export file(s) in it now` };
    } catch (error) {
      return { folder, exists: true, writable: false, message: `${folder} cannot be read (${codeOf(error)})` };
    }
  }
  const probe = path.join(folder, `.standby-desk-check-${randomUUID()}`);
  try {
    fs.writeFileSync(probe, 'Standby Desk checked that this folder can be written; this file is removed at once.\n', { flag: 'wx' });
    fs.rmSync(probe, { force: true });
  } catch (error) {
    return { folder, exists: true, writable: false, message: `${folder} cannot be written (${codeOf(error)}): check the share's permissions or the stick's lock` };
  }
  const sameDisk = purpose === 'backup' && sameDevice(folder, dataDir);
  return {
    folder,
    exists: true,
    writable: true,
    message: sameDisk
      ? `${folder} can be written, but it is on the same disk as the desk's data: a backup there is lost with that disk. Choose a second disk or a share.`
      : `${folder} can be written`,
  };
}

function sameDevice(a: string, b: string): boolean {
  try {
    return fs.statSync(a).dev === fs.statSync(b).dev;
  } catch {
    return false;
  }
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}

/** Every value in force, where it came from; the token only as "a token is kept". */
export function settingsInForce(dataDir: string, service: DeskService, env: NodeJS.ProcessEnv = process.env): PracticeSettingsView {
  const store = service.practiceSettings;
  const saved = store.read();
  const upkeep = readUpkeepSettings(dataDir, env, store.upkeepParts());
  const backup = readBackupSettings(dataDir, store.backupParts());
  const fromUpkeep = (field: SettingInForce['field'], key: string, value: string | number | null | undefined): SettingInForce => {
    const source = upkeep.sources[key] ?? 'default';
    return { field, value: value === null || value === undefined ? null : String(value), source, file: source === 'file' ? UPKEEP_SETTINGS_FILE : null };
  };
  const fromBackup = (field: SettingInForce['field'], key: 'dir' | 'everyMinutes'): SettingInForce => {
    const source = backup.sources[key];
    return { field, value: String(backup.settings[key]), source, file: source === 'file' ? BACKUP_SETTINGS_FILE : null };
  };
  const fhir = upkeep.settings.fhir;
  const tokenKept = fhir?.bearerToken !== undefined && upkeep.sources['fhir.token'] !== undefined;
  const inForce: SettingInForce[] = [
    { field: 'practice.name', value: saved?.practice.name ?? null, source: saved ? 'screen' : 'default', file: null },
    upkeep.sources['fhir.ods'] === 'file'
      ? fromUpkeep('practice.odsCode', 'fhir.ods', fhir?.odsCode)
      : { field: 'practice.odsCode', value: saved?.practice.odsCode ?? null, source: saved ? 'screen' : 'default', file: null },
    fromUpkeep('fhir.url', 'fhir.url', fhir?.baseUrl),
    fromUpkeep('fhir.token', 'fhir.token', tokenKept ? 'a token is kept' : null),
    fromUpkeep('fhir.everyMinutes', 'fhir.everyMinutes', fhir?.everyMs === undefined ? null : fhir.everyMs / 60_000),
    fromUpkeep('watch.dir', 'watch.dir', upkeep.settings.watch?.folder),
    fromUpkeep('watch.feed', 'watch.feed', upkeep.settings.watch?.feed),
    fromUpkeep('pack.dir', 'pack.dir', upkeep.settings.pack?.folder),
    fromUpkeep('pack.days', 'pack.days', upkeep.settings.pack?.days),
    fromBackup('backup.dir', 'dir'),
    fromBackup('backup.everyMinutes', 'everyMinutes'),
  ];
  return { saved, tokenKept: store.fhirToken() !== null, inForce, problems: [...upkeep.problems, ...(backup.problem === null ? [] : [backup.problem])] };
}
