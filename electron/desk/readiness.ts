/**
 * Readiness (issue 20, item 3): the checks, as pure functions over facts, and the one place those facts are
 * gathered from the data folder and the open desk. The checks read no clock and no disk, so each is tested with a
 * pinned `now`; gathering touches the disk (a probe file in the pack folder) and is what the op and the CLI call.
 *
 * Thresholds are named constants, not yet settings a practice can change: the pack and backup limits follow the
 * practice's own intervals (twice the pull interval, twice the backup interval), the mirror follows its stale limit.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isStaleAge, mirrorAgeMinutes, type GroupStatus, type MirrorInfo, type UpstreamInfo } from '../../shared/api';
import { overallOf, type Readiness, type ReadinessCheck } from '../../shared/api/readiness';
import { localDateOf } from '../../shared/domain';
import { listBackups } from './backup/names';
import { readBackupSettings } from './backup/settings';
import { LATEST_FILE, MANIFEST_FILE, readLatestPack } from './print/pack';

/** A pack is late after this many pull intervals (a missed pull is allowed for; two are not). */
export const PACK_LATE_AFTER_INTERVALS = 2;
/** Without scheduled pulls (a watched folder, or none), a pack older than this is late. */
export const DEFAULT_PACK_LATE_MINUTES = 30;
/** A backup is late after this many backup intervals (backup-settings.json everyMinutes, default 15). */
export const BACKUP_LATE_AFTER_INTERVALS = 2;

// ---- facts ---------------------------------------------------------------------------------------------------

/** A folder as found now: there, writable (a probe file was written and removed), on the data folder's disk. */
export interface FolderFacts {
  path: string;
  exists: boolean;
  writable: boolean;
  /** Same device as the data folder (fs.statSync().dev): it goes down with this PC. null when it could not be told. */
  sameDiskAsData: boolean | null;
}

export interface PackFacts {
  /** null when upkeep-settings.json names no pack folder. */
  folder: FolderFacts | null;
  lateAfterMinutes: number;
  /** The pack `latest` names, when its manifest could be read. */
  latest: { name: string; printedAt: string; complete: boolean; missing: string[] } | null;
}

export interface BackupFacts {
  folder: FolderFacts;
  lateAfterMinutes: number;
  newestAt: string | null;
  /** backup-settings.json could not be read: the defaults are in force. */
  settingsProblem: string | null;
}

export interface ReadinessFacts {
  now: string;
  mirror: Pick<MirrorInfo, 'asOf' | 'loadedAt' | 'source' | 'staleAfterMinutes'>;
  upstream: Pick<UpstreamInfo, 'lastAttemptAt' | 'lastSuccessAt' | 'lastError' | 'lastErrorAt' | 'fhirBaseUrl'>;
  pack: PackFacts;
  backup: BackupFacts;
  /** When a recovery sheet was last printed for the key in use (the audit trail's print records), or null. */
  recoverySheetPrintedAt: string | null;
  /** The printers the app can see; null where that cannot be known (the CLI, a browser). */
  printers: string[] | null;
  group: Pick<GroupStatus, 'role' | 'state' | 'members' | 'heldOnTwoPcs' | 'groupName'>;
  /** When the last drill ended with its report (the drill table, electron/desk/drill/records.ts); null: never. */
  lastDrillAt: string | null;
}

// ---- checks --------------------------------------------------------------------------------------------------

type Check = ReadinessCheck;

const minutesBetween = (from: string, to: string): number => mirrorAgeMinutes(from, to);

export function checkMirrorAge(f: Pick<ReadinessFacts, 'now' | 'mirror'>): Check {
  const base = { id: 'mirror-age', title: "The mirror's age" } as const;
  const { asOf, loadedAt, staleAfterMinutes } = f.mirror;
  if (asOf === null && loadedAt === null) {
    return { ...base, status: 'red', detail: 'the mirror has never been loaded', fix: 'set up a FHIR server or a watched export folder, then pull or import the book' };
  }
  if (asOf === null) {
    return {
      ...base,
      status: 'red',
      detail: `the book loaded at ${loadedAt ?? ''} came with no time, so its age is unknown`,
      fix: 'pull from the FHIR server, or use an export that says when it was made',
    };
  }
  const age = minutesBetween(asOf, f.now);
  if (isStaleAge(age, staleAfterMinutes)) {
    return {
      ...base,
      status: 'red',
      detail: `${age} min old, over the practice's ${staleAfterMinutes} min limit`,
      fix: 'check the FHIR server or the export job, then pull or import again (standby-desk pull / import)',
    };
  }
  return { ...base, status: 'green', detail: `${age} min old (the limit is ${staleAfterMinutes} min)`, fix: '' };
}

export function checkLastPull(f: Pick<ReadinessFacts, 'mirror' | 'upstream'>): Check {
  const base = { id: 'last-pull', title: "The last pull's result" } as const;
  const { lastErrorAt, lastSuccessAt, lastError, lastAttemptAt } = f.upstream;
  if (lastErrorAt !== null && (lastSuccessAt === null || lastErrorAt > lastSuccessAt)) {
    return {
      ...base,
      status: 'red',
      detail: `failed at ${lastErrorAt}: ${lastError ?? 'no reason recorded'}`,
      fix: 'check the FHIR server address, token and network, then pull again',
    };
  }
  if (lastAttemptAt === null) {
    if (f.mirror.source !== null) return { ...base, status: 'green', detail: `no pull from a FHIR server; the book came from ${f.mirror.source}`, fix: '' };
    return { ...base, status: 'amber', detail: 'nothing has been pulled or imported yet', fix: 'set up a FHIR server or a watched export folder (upkeep-settings.json)' };
  }
  return { ...base, status: 'green', detail: `last pulled at ${lastSuccessAt ?? lastAttemptAt}`, fix: '' };
}

const unusable = (folder: FolderFacts): boolean => !folder.exists || !folder.writable;

export function checkPack(f: Pick<ReadinessFacts, 'now' | 'pack'>): Check {
  const base = { id: 'pack', title: 'The outage pack' } as const;
  const { folder, latest, lateAfterMinutes } = f.pack;
  if (folder === null) {
    return { ...base, status: 'red', detail: 'no pack folder is set, so no outage pack is written', fix: 'name a share or USB stick as "pack.dir" in upkeep-settings.json' };
  }
  if (unusable(folder)) {
    return {
      ...base,
      status: 'red',
      detail: folder.exists ? `${folder.path} cannot be written to` : `${folder.path} cannot be reached`,
      fix: folder.exists ? 'give this PC write access to the pack folder' : 'plug in the USB stick or reconnect the share (the desk never creates it)',
    };
  }
  if (latest === null) return { ...base, status: 'red', detail: `no complete pack in ${folder.path}`, fix: 'write one now (standby-desk pack) and check the upkeep log' };
  if (!latest.complete) {
    return { ...base, status: 'red', detail: `${latest.name} is missing ${latest.missing.length} file(s) its manifest lists`, fix: 'write a new pack (standby-desk pack)' };
  }
  const age = minutesBetween(latest.printedAt, f.now);
  if (age > lateAfterMinutes) {
    return {
      ...base,
      status: 'red',
      detail: `the newest pack is ${age} min old (limit ${lateAfterMinutes} min)`,
      fix: 'check the upkeep log for pack failures; write one now (standby-desk pack)',
    };
  }
  if (folder.sameDiskAsData === true) {
    return {
      ...base,
      status: 'amber',
      detail: `written ${age} min ago, but to this PC's own disk`,
      fix: 'move "pack.dir" to a share or USB stick that can be read if this PC fails',
    };
  }
  return { ...base, status: 'green', detail: `${latest.name}, written ${age} min ago to ${folder.path}`, fix: '' };
}

export function checkBackup(f: Pick<ReadinessFacts, 'now' | 'backup'>): Check {
  const base = { id: 'backup', title: 'The backup' } as const;
  const { folder, newestAt, lateAfterMinutes, settingsProblem } = f.backup;
  if (unusable(folder)) {
    return {
      ...base,
      status: 'red',
      detail: folder.exists ? `${folder.path} cannot be written to` : `${folder.path} cannot be reached`,
      fix: folder.exists ? 'give this PC write access to the backup folder' : 'reconnect the backup disk or share named in the practice settings (or backup-settings.json)',
    };
  }
  if (newestAt === null) return { ...base, status: 'red', detail: `no backup in ${folder.path}`, fix: 'take one now (standby-desk backup) and check the backup log' };
  const age = minutesBetween(newestAt, f.now);
  if (age > lateAfterMinutes) {
    return {
      ...base,
      status: 'red',
      detail: `the newest backup is ${age} min old (limit ${lateAfterMinutes} min)`,
      fix: 'take one now (standby-desk backup) and check why the scheduled ones stopped',
    };
  }
  if (settingsProblem !== null) return { ...base, status: 'amber', detail: settingsProblem, fix: 'correct backup-settings.json' };
  if (folder.sameDiskAsData === true) {
    return {
      ...base,
      status: 'amber',
      detail: `taken ${age} min ago, but on this PC's own disk`,
      fix: 'choose a backup folder on a second disk or a share in the practice settings (or "dir" in backup-settings.json)',
    };
  }
  return { ...base, status: 'green', detail: `taken ${age} min ago to ${folder.path}`, fix: '' };
}

export function checkKeyKept(f: Pick<ReadinessFacts, 'recoverySheetPrintedAt'>): Check {
  const base = { id: 'key', title: 'The database key kept' } as const;
  if (f.recoverySheetPrintedAt === null) {
    return {
      ...base,
      status: 'amber',
      detail: 'no recovery sheet has been printed for this database key',
      fix: "print the recovery sheet from the manager's screen (or standby-desk recovery-sheet --out FILE.pdf) and keep it in the practice safe",
    };
  }
  return { ...base, status: 'green', detail: `recovery sheet printed at ${f.recoverySheetPrintedAt}`, fix: '' };
}

export function checkPrinter(f: Pick<ReadinessFacts, 'printers'>): Check {
  const base = { id: 'printer', title: 'A printer' } as const;
  if (f.printers === null)
    return { ...base, status: 'not-checked', detail: 'only the desktop app can see printers', fix: 'open the readiness panel in the app on the PC beside the printer' };
  if (f.printers.length === 0) return { ...base, status: 'red', detail: 'this PC has no printer', fix: 'install the reception printer on this PC' };
  return { ...base, status: 'green', detail: `${f.printers.length} printer(s): ${f.printers.join(', ')}`, fix: '' };
}

export function checkGroup(f: Pick<ReadinessFacts, 'group'>): Check {
  const base = { id: 'group', title: 'The desk group' } as const;
  const g = f.group;
  const others = g.members.filter((m) => !m.thisDesk);
  const online = others.filter((m) => m.online).length;
  const members = `${online} of ${others.length} other PC(s) online`;
  switch (g.state) {
    case 'fenced':
      return { ...base, status: 'red', detail: 'another PC took over this group: this desk changes nothing', fix: 'rejoin the group from this PC, or remove it' };
    case 'coordinator-lost':
      return { ...base, status: 'red', detail: 'this PC cannot reach the coordinator', fix: 'reconnect it, or have a manager take over on a member' };
    case 'not-running':
      return {
        ...base,
        status: 'not-checked',
        detail: `in group "${g.groupName ?? ''}", but no group link runs in this process`,
        fix: 'check from the app, where the group link runs',
      };
    default:
  }
  if (g.role === 'standalone') {
    return { ...base, status: 'amber', detail: 'no desk group: only this PC holds the day’s changes', fix: 'create a desk group and join a second PC' };
  }
  if (g.state === 'connected' && g.heldOnTwoPcs) return { ...base, status: 'green', detail: `${members}; changes held on two PCs`, fix: '' };
  return { ...base, status: 'amber', detail: `${members}; changes are held on this PC only`, fix: 'start Standby Desk on another member PC of the group' };
}

/** A drill is due after this many days: Epic's sites practise downtime monthly; a quarter is the least a practice should. */
export const DRILL_DUE_AFTER_DAYS = 90;

export function checkDrill(f: Pick<ReadinessFacts, 'now' | 'lastDrillAt'>): Check {
  const base = { id: 'drill', title: 'The last drill' } as const;
  const fix = "practise an outage with the reception team: Start a drill on the manager's screen, work the day on paper and on the desk, then end it with what went wrong";
  if (f.lastDrillAt === null) return { ...base, status: 'amber', detail: 'no drill recorded', fix };
  const days = Math.floor((Date.parse(f.now) - Date.parse(f.lastDrillAt)) / 86_400_000);
  const when = `last drill ended ${localDateOf(f.lastDrillAt)}${days >= 1 ? ` (${days} day${days === 1 ? '' : 's'} ago)` : ' (today)'}`;
  if (days > DRILL_DUE_AFTER_DAYS) return { ...base, status: 'amber', detail: `${when}: more than ${DRILL_DUE_AFTER_DAYS} days ago`, fix };
  return { ...base, status: 'green', detail: when, fix: '' };
}

/** Every check, in the order the panel and the CLI show them, and the worst of them. */
export function readinessOf(facts: ReadinessFacts): Readiness {
  const checks = [
    checkMirrorAge(facts),
    checkLastPull(facts),
    checkPack(facts),
    checkBackup(facts),
    checkKeyKept(facts),
    checkPrinter(facts),
    checkGroup(facts),
    checkDrill(facts),
  ];
  return { overall: overallOf(checks), checks, checkedAt: facts.now };
}

// ---- gathering -----------------------------------------------------------------------------------------------

function deviceOf(p: string): number | null {
  try {
    return fs.statSync(p).dev;
  } catch {
    return null;
  }
}

/**
 * A folder as it is now. Writable is proved by writing and removing a probe file: access() says yes to shares
 * that then refuse the write. The folder itself is never created (a missing USB stick must show as missing).
 */
export function folderFacts(folder: string, dataDir: string): FolderFacts {
  let exists = false;
  try {
    exists = fs.statSync(folder).isDirectory();
  } catch {
    exists = false;
  }
  let writable = false;
  if (exists) {
    const probe = path.join(folder, `.standby-desk-probe-${randomBytes(6).toString('hex')}`);
    try {
      fs.writeFileSync(probe, '');
      fs.rmSync(probe, { force: true });
      writable = true;
    } catch {
      writable = false;
    }
  }
  const dev = exists ? deviceOf(folder) : null;
  const dataDev = deviceOf(dataDir);
  return { path: folder, exists, writable, sameDiskAsData: dev === null || dataDev === null ? null : dev === dataDev };
}

/** The pack `latest` names, checked against its manifest: every file it lists is there, at its size. */
export function latestPackFacts(folder: string): PackFacts['latest'] {
  const name = readLatestPack(folder);
  if (name === null) return null;
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(folder, name, MANIFEST_FILE), 'utf8')) as { printedAt?: unknown; files?: unknown };
    if (typeof manifest.printedAt !== 'string' || !Array.isArray(manifest.files)) return null;
    const missing: string[] = [];
    for (const entry of manifest.files as Array<{ file?: unknown; bytes?: unknown }>) {
      if (typeof entry.file !== 'string') continue;
      try {
        if (fs.statSync(path.join(folder, name, entry.file)).size !== entry.bytes) missing.push(entry.file);
      } catch {
        missing.push(entry.file);
      }
    }
    return { name, printedAt: manifest.printedAt, complete: missing.length === 0, missing };
  } catch {
    return null;
  }
}

/** What readiness needs of the upkeep a process runs (UpkeepSettings has this shape and more). */
export interface ReadinessUpkeep {
  fhir?: { everyMs?: number | undefined } | undefined;
  pack?: { folder: string } | undefined;
}

export interface ReadinessSources {
  dataDir: string;
  now: Date;
  mirror: ReadinessFacts['mirror'];
  upstream: ReadinessFacts['upstream'];
  group: ReadinessFacts['group'];
  /**
   * The upkeep this process runs with (serve's flags, the app's upkeep-settings.json), given by whoever opened the
   * desk: upkeep-settings.ts is not read here, as it depends on the desk service that asks for readiness.
   */
  upkeep?: ReadinessUpkeep | undefined;
  /** The backup folder and interval saved on screen (practice-settings.ts); backup-settings.json's win over them. */
  backupSaved?: { dir?: string; everyMinutes?: number };
  printers?: string[] | null;
  /** When a recovery sheet was last printed for the key in use (AuditTrail.recoverySheetPrintedAt); none: never. */
  recoverySheetPrintedAt?: string | null;
  /** When the last drill ended with its report; null or absent: never. */
  lastDrillAt?: string | null;
}

/** The facts, from the data folder's settings files and the folders they name, as they are now. */
export function gatherReadinessFacts(s: ReadinessSources): ReadinessFacts {
  const upkeep: ReadinessUpkeep = s.upkeep ?? {};
  const packFolder = upkeep.pack?.folder ?? null;
  const pack: PackFacts = {
    folder: packFolder === null ? null : folderFacts(packFolder, s.dataDir),
    lateAfterMinutes: upkeep.fhir?.everyMs === undefined ? DEFAULT_PACK_LATE_MINUTES : Math.ceil((PACK_LATE_AFTER_INTERVALS * upkeep.fhir.everyMs) / 60_000),
    latest: packFolder === null || !fs.existsSync(path.join(packFolder, LATEST_FILE)) ? null : latestPackFacts(packFolder),
  };
  const { settings, problem } = readBackupSettings(s.dataDir, s.backupSaved);
  const newest = listBackups(settings.dir)[0];
  const backup: BackupFacts = {
    folder: folderFacts(settings.dir, s.dataDir),
    lateAfterMinutes: BACKUP_LATE_AFTER_INTERVALS * settings.everyMinutes,
    newestAt: newest ? newest.takenAt.toISOString() : null,
    settingsProblem: problem,
  };
  return {
    now: s.now.toISOString(),
    mirror: s.mirror,
    upstream: s.upstream,
    pack,
    backup,
    recoverySheetPrintedAt: s.recoverySheetPrintedAt ?? null,
    printers: s.printers ?? null,
    group: s.group,
    lastDrillAt: s.lastDrillAt ?? null,
  };
}
