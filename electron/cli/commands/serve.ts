import { DEFAULT_PULL_EVERY_MS } from '../../desk/upstream/scheduler';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDesk } from '../../desk/open';
import { startServer } from '../../server/server';
import { dataDirOf, dateOption, intOption, parseOptions, UsageError, type Command } from '../common';
import { loadDemo } from './demo';
import { startUpkeep, type Upkeep } from '../../desk/upkeep';
import { startServeUpkeep } from '../serve-upkeep';
import { readUpkeepSettings, type UpkeepSettings } from '../../desk/upkeep-settings';
import { lastPulledSettings } from '../../desk/upstream/settings';
import type { OutagePack } from '../../desk/print';
import { UPSTREAM_OPTIONS, UPSTREAM_USAGE, upstreamSettingsFromFlags } from '../upstream-flags';
import { createDemoAccounts } from './users';
import { GroupNode } from '../../desk/group/node';
import { GroupStore } from '../../desk/group/store';
import { Address, DEFAULT_GROUP_PORT } from '../../desk/group/protocol';

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

const STATIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/renderer');
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
/** A demo desk needs days after today: rebooking and the callback list look ahead. */
const SERVE_DEMO_DAYS = 3;

export const serveCommand: Command = {
  name: 'serve',
  usage: `serve [--port 4780] [--host 127.0.0.1] [--allow-remote] [--demo] [--date YYYY-MM-DD] [--days 3] [--fhir URL]
        [--timeout SECONDS] [--page-size N] [--watch FOLDER] [--pack FOLDER] [--pack-days 1|2] [--pack-keep 5]
                        serve the desk to a browser on this PC (--port 0 picks a free port); everyone signs in;
                        --allow-remote with --host 0.0.0.0 serves other PCs over HTTPS (TLS 1.3) with the desk
                        group's certificate (a desk in a group only: plain HTTP never leaves this PC);
                        --demo loads the demo practice for --days working days from --date (default 3: today and
                        the next two, so there is somewhere to rebook to);
                        with --fhir, pull from that FHIR server every 5 minutes while online, and merge back to it
                        (${UPSTREAM_USAGE});
                        with --watch, import the newest .json or .csv export dropped in FOLDER once it stops changing;
                        with --pack, write the outage pack (today, and tomorrow with --pack-days 2) to FOLDER at
                        start and after every successful refresh, keeping the newest --pack-keep packs;
                        backs the database up as the app does (backup-settings.json, else the folder and interval
                        saved on screen, else <data>/backups every 15 minutes) and once more when it stops;
                        in a desk group (standby-desk group), the desks talk TLS 1.3 on --group-host (default
                        0.0.0.0) --group-port (default ${DEFAULT_GROUP_PORT}); a member follows the coordinator, which alone
                        pulls and imports; --group-advertise HOST:PORT says where other desks reach this one`,
  async run(args, out) {
    const { values: v } = parseOptions(args, {
      port: { type: 'string' },
      host: { type: 'string' },
      demo: { type: 'boolean', default: false },
      date: { type: 'string' },
      days: { type: 'string' },
      user: { type: 'string' },
      ...UPSTREAM_OPTIONS,
      watch: { type: 'string' },
      pack: { type: 'string' },
      'pack-days': { type: 'string' },
      'pack-keep': { type: 'string' },
      'allow-remote': { type: 'boolean', default: false },
      'group-host': { type: 'string' },
      'group-port': { type: 'string' },
      'group-advertise': { type: 'string' },
    });
    const dataDir = dataDirOf(v.data);
    const port = intOption('port', v.port, 4780, 0, 65535);
    const days = intOption('days', v.days, SERVE_DEMO_DAYS, 1, 14);
    const packDays = intOption('pack-days', v['pack-days'], 1, 1, 2);
    const packKeep = intOption('pack-keep', v['pack-keep'], 5, 1, 100);
    const groupPort = intOption('group-port', v['group-port'], DEFAULT_GROUP_PORT, 0, 65535);
    const groupHost = v['group-host'] ?? '0.0.0.0';
    if (v['group-advertise'] !== undefined && !Address.safeParse(v['group-advertise']).success)
      throw new UsageError(`--group-advertise "${v['group-advertise']}" is not HOST:PORT`);
    if (v.watch !== undefined && !isDirectory(v.watch)) throw new UsageError(`--watch ${v.watch}: not a folder`);
    // Never made by itself (a stick that is not plugged in must not leave the pack on this PC's disk instead).
    if (v.pack !== undefined && !isDirectory(v.pack)) throw new UsageError(`--pack ${v.pack}: not a folder (make it on the drive or share first)`);
    const host = v.host ?? '127.0.0.1';
    const allowRemote = v['allow-remote'] === true;
    if (!LOOPBACK.has(host) && !allowRemote) {
      // Serving other PCs exposes patient data on the network: it has to be asked for by name.
      throw new UsageError(`--host ${host}: serving other machines needs --allow-remote (HTTPS with the desk group's certificate: see README)`);
    }
    // One value for the scheduled pulls and for merge-back started from the review screen.
    const fhir = v.fhir === undefined ? undefined : upstreamSettingsFromFlags(v, v.fhir);
    // What this serve keeps fresh: its flags, else the settings in force (upkeep-settings.json over those saved on
    // screen), read again when a manager saves them. Readiness and merge-back read the same.
    let inForce: UpkeepSettings = {};
    const desk = openDesk({
      dataDir,
      upstreamSettings: () => inForce.fhir ?? lastPulledSettings(() => desk.service.upstream.status().fhirBaseUrl)(),
      upkeepSettings: () => ({ fhir: inForce.fhir ? { everyMs: inForce.fhir.everyMs ?? DEFAULT_PULL_EVERY_MS } : undefined, pack: inForce.pack }),
      drills: true,
    });
    try {
      const groupConfig = new GroupStore(desk.db).config();
      const groupRole = groupConfig?.role ?? null;
      if (allowRemote && groupConfig === null) {
        // Patient data on the network goes encrypted, with a certificate the practice's IT can trust (the group's).
        throw new UsageError(
          "--allow-remote serves other PCs over HTTPS with the desk group's certificate: make this desk part of a group first (standby-desk group create), or keep serve on this PC and put a TLS proxy in front (README)",
        );
      }
      if (groupRole === 'member' && (v.demo || v.fhir !== undefined || v.watch !== undefined)) {
        // A member's database follows the coordinator's and nothing else: its own import would fork the day.
        throw new UsageError('this data folder is a desk-group member: the coordinator pulls and imports (--demo, --fhir and --watch belong there)');
      }
      if (v.demo) {
        for (const a of createDemoAccounts(desk)) {
          out.log(`Demo account (demo data only): ${a.username} PIN ${a.pin} (${a.role})`);
        }
      }
      if (allowRemote && desk.service.auth.accountCount() === 0) {
        throw new UsageError('--allow-remote: create a practice manager first (standby-desk users add), so nobody on the network can claim the desk');
      }
      if (v.demo) {
        const date = dateOption(v.date, desk.service.today());
        if (!desk.service.mirrorDates().includes(date)) {
          const loaded = loadDemo(desk, date, days);
          out.error(`Loaded the demo practice: ${loaded.appointments} appointments from ${date} (${days} working day(s))`);
        }
      }
      const group = await GroupNode.start({
        desk,
        host: groupHost,
        port: groupPort,
        ...(v['group-advertise'] === undefined ? {} : { advertise: v['group-advertise'] }),
        log: (line) => {
          out.error(line);
          desk.service.log?.info(line);
        },
      });
      const server = await startServer({
        desk,
        staticDir: STATIC_DIR,
        host,
        port,
        allowRemote,
        user: v.user ?? 'anonymous',
        dispatch: (name, input, ctx) => group.dispatch(name, input, ctx),
      });
      out.log(`Standby Desk serving ${server.url}`);
      if (group.address() !== null) out.log(`Desk group link on ${group.address() ?? ''}`);
      desk.service.log?.info(`Standby Desk serving ${server.url}; data folder ${dataDir}`);
      const log = (level: 'info' | 'warn' | 'error', line: string) => {
        out.error(line);
        desk.service.log?.write(level, line);
      };
      const upkeepLog = (line: string) => log('info', line);
      const startFromSettings = (): Upkeep => {
        const read = readUpkeepSettings(dataDir, process.env, desk.service.practiceSettings.upkeepParts());
        for (const problem of read.problems) upkeepLog(problem);
        // A member's database follows the coordinator's and nothing else: the coordinator pulls and imports. Read
        // afresh: the set-up may have joined a group since serve started (electron/desk/setup-group.ts).
        const member = new GroupStore(desk.db).config()?.role === 'member';
        inForce = {
          fhir: fhir ?? (member ? undefined : read.settings.fhir),
          watch: v.watch === undefined ? (member ? undefined : read.settings.watch) : { folder: v.watch, feed: 'export' },
          pack: v.pack === undefined ? read.settings.pack : { folder: v.pack, days: packDays, keep: packKeep },
        };
        return startUpkeep(desk, {
          ...inForce,
          log: upkeepLog,
          ...(member ? { member: { recordPackPrint: (pack: OutagePack) => void group.dispatch('recordPrint', { what: 'outage-pack', pages: pack.pages }, desk.context) } } : {}),
        });
      };
      // Backups as the app takes them (backup-settings.json over the folder saved on screen), and at exit.
      const keeping = startServeUpkeep({ desk, dataDir, startUpkeep: startFromSettings, log });
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await keeping.stop();
      await server.close();
      await group.close();
      await keeping.lastBackup();
      desk.service.log?.info('Standby Desk stopped serving');
      return 0;
    } finally {
      desk.close();
    }
  },
};
