/**
 * Running a drill (issue 20 item 5). While one runs, the desk answers the screens from the sandbox (sandbox.ts): the
 * day, check-ins, walk-ins, bookings, the display board, the sheets. What stays with the real desk: who is signed in
 * (sessions, accounts, the lock), the audit trail (a print in a drill is still paper with patients on it), readiness,
 * the group's controls and the drill's own operations (the `thisDesk` ones). Pulls, backups, the pack and
 * retention keep running on the real desk, which never sees a drill's changes; merge-back from the sandbox is
 * refused. A desk in a group cannot start a drill: the drill is never replicated, and a member's work is the
 * coordinator's.
 *
 * Ending keeps the report in the real database (records.ts) and deletes the sandbox. A drill the desk stopped during
 * (a crash, a restart) is discarded when the desk opens again: no one is left working a copy they take for the day.
 */
import { authOperations, contract, DeskError, OPERATION_NAMES, type DeskEvent, type DrillEndInput, type DrillState, type OperationName } from '../../../shared/api';
import { createDispatch, type Dispatch, type Handlers, type RequestContext } from '../dispatch';
import { createRoomScope } from '../auth/room-scope';
import { GroupStore } from '../group/store';
import { DeskService } from '../service';
import { closeDatabase } from '../store/connection';
import { sql, type Db } from '../store/sql';
import { DrillRecords, type DrillControl } from './records';
import { openSandbox, removeSandbox, sandboxExists } from './sandbox';

/** Answered by the real desk even while a drill runs: sessions and accounts, the audit trail, this desk's own controls. */
const STAYS_REAL: ReadonlySet<OperationName> = new Set(
  OPERATION_NAMES.filter((name) => name in authOperations || (contract[name].policy as { thisDesk?: true }).thisDesk === true),
);

interface Sandbox {
  id: number;
  startedAt: string;
  db: Db;
  service: DeskService;
  dispatch: Dispatch;
  journalSeqAtStart: number;
  auditSeqAtStart: number;
  unsubscribe: () => void;
}

export interface DrillDeskOptions {
  dataDir: string;
  real: DeskService;
  realDb: Db;
  /** The real desk's own dispatcher: everything while no drill runs, and what STAYS_REAL during one. */
  realDispatch: Dispatch;
  /** Where the screens' events go (open.ts): the real desk's while no drill runs, the sandbox's during one. */
  emit: (event: DeskEvent) => void;
  onInternalError?: (error: unknown, name: string) => void;
}

export class DrillDesk implements DrillControl {
  private sandbox: Sandbox | null = null;
  private readonly records: DrillRecords;

  constructor(private readonly options: DrillDeskOptions) {
    this.records = new DrillRecords(options.realDb);
  }

  /** A drill the desk stopped during: its sandbox deleted, its record marked discarded. */
  discardLeftover(): void {
    if (sandboxExists(this.options.dataDir)) removeSandbox(this.options.dataDir);
    this.records.discardRunning(this.options.real.clock().toISOString());
  }

  get running(): boolean {
    return this.sandbox !== null;
  }

  /** The desk whose day the screens and the sheets read: the sandbox during a drill. */
  serving(): DeskService {
    return this.sandbox?.service ?? this.options.real;
  }

  /** Every operation, wherever it came from: to the sandbox during a drill, except what stays real. */
  readonly dispatch: Dispatch = (name, input, ctx) => {
    const sandbox = this.sandbox;
    if (sandbox === null || STAYS_REAL.has(name as OperationName)) return this.options.realDispatch(name, input, ctx);
    return sandbox.dispatch(name, input, ctx);
  };

  /** Whether the real desk's events reach the screens: not during a drill, whose screens show the sandbox. */
  passesRealEvents(): boolean {
    return this.sandbox === null;
  }

  state(): DrillState {
    return { running: this.records.running(), last: this.records.last() };
  }

  start(ctx: RequestContext): DrillState {
    const { real, realDb, dataDir } = this.options;
    if (this.sandbox !== null || this.records.running() !== null) throw new DeskError('conflict', 'a drill is already running: end it first');
    if (new GroupStore(realDb).config() !== null) {
      throw new DeskError('conflict', 'this desk is in a desk group: a drill runs on a desk on its own, never replicated (practise on a desk outside the group)');
    }
    const startedAt = real.clock().toISOString();
    const db = openSandbox(realDb.raw, dataDir, startedAt);
    try {
      const service = new DeskService(db, { clock: real.clock, ...(real.log ? { log: real.log } : {}) });
      const handlers: Handlers = {
        ...service.handlers(),
        startMergeApply: () => {
          throw new DeskError('conflict', 'a drill is never merged back: end the drill, and its changes are discarded');
        },
        getDisplayBoard: (input, c) => ({ ...service.handlers().getDisplayBoard(input, c), drill: true }),
      };
      const dispatch = createDispatch(handlers, {
        // Sessions are the real desk's: whoever is signed in carries on in the drill.
        authorize: (name, c) => real.auth.authorize(name, c),
        scope: createRoomScope(db),
        ...(this.options.onInternalError ? { onInternalError: this.options.onInternalError } : {}),
      });
      const record = this.records.start(startedAt, ctx.user);
      const unsubscribe = service.onEvent((event) => this.options.emit(event));
      this.sandbox = {
        id: record.id,
        startedAt,
        db,
        service,
        dispatch,
        journalSeqAtStart: service.journal.lastSeq(),
        auditSeqAtStart: lastAuditSeq(realDb),
        unsubscribe,
      };
    } catch (error) {
      closeDatabase(db.raw);
      removeSandbox(dataDir);
      throw error;
    }
    this.options.emit({ kind: 'mirror.replaced', seq: this.sandbox.service.journal.lastSeq(), asOf: this.sandbox.service.mirrorInfo().asOf });
    return this.state();
  }

  end(input: DrillEndInput, ctx: RequestContext): DrillState {
    const sandbox = this.sandbox;
    if (sandbox === null) throw new DeskError('conflict', 'no drill is running');
    const { real, realDb, dataDir } = this.options;
    const endedAt = real.clock().toISOString();
    const firstCheckIn = firstCheckInAt(sandbox.service, sandbox.journalSeqAtStart);
    this.records.end(sandbox.id, {
      endedAt,
      endedBy: ctx.user,
      minutesToFirstCheckIn: firstCheckIn === null ? null : Math.max(0, Math.round((Date.parse(firstCheckIn) - Date.parse(sandbox.startedAt)) / 6000) / 10),
      packFound: input.packFound,
      packPrinted: input.packPrinted,
      sheetsPrinted: printsSince(realDb, sandbox.auditSeqAtStart),
      problems: input.problems.trim(),
    });
    this.close();
    removeSandbox(dataDir);
    this.options.emit({ kind: 'mirror.replaced', seq: real.journal.lastSeq(), asOf: real.mirrorInfo().asOf });
    return this.state();
  }

  /** Closes the sandbox's database (the desk closing); its files stay for discardLeftover to find. */
  close(): void {
    const sandbox = this.sandbox;
    if (sandbox === null) return;
    this.sandbox = null;
    sandbox.unsubscribe();
    closeDatabase(sandbox.db.raw);
  }
}

/** The first check-in made in the drill: a journal entry after the copy was taken that leaves someone arrived. */
function firstCheckInAt(service: DeskService, afterSeq: number): string | null {
  for (let from = afterSeq; ;) {
    const entries = service.journal.list(from, 500);
    if (entries.length === 0) return null;
    for (const e of entries) {
      const after = e.after as { status?: unknown } | null;
      if (after !== null && typeof after === 'object' && after.status === 'arrived') return e.at;
    }
    from = entries[entries.length - 1]?.seq ?? from;
  }
}

function lastAuditSeq(db: Db): number {
  return db.get<{ seq: number | null }>(sql`SELECT max(seq) AS seq FROM audit`)?.seq ?? 0;
}

/** Sheets printed since the drill started: the real audit trail keeps every print, a drill's included. */
function printsSince(db: Db, afterSeq: number): number {
  return db.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit WHERE kind = 'print' AND seq > ${afterSeq}`)?.n ?? 0;
}
