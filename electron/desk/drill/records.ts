/**
 * The drills' reports, in the real database (migration 0013): the only thing a drill leaves behind. The drill itself
 * runs on a sandbox copy (sandbox.ts) that is deleted when it ends.
 */
import { DeskError, type DrillEndInput, type DrillReport, type DrillState } from '../../../shared/api';
import type { RequestContext } from '../dispatch';
import { sql, type Db } from '../store/sql';

interface DrillRow {
  id: number;
  started_at: string;
  started_by: string;
  ended_at: string | null;
  ended_by: string | null;
  outcome: DrillReport['outcome'];
  minutes_to_first_check_in: number | null;
  pack_found: number | null;
  pack_printed: number | null;
  sheets_printed: number | null;
  problems: string | null;
}

const bool = (n: number | null): boolean | null => (n === null ? null : n === 1);

function reportOf(r: DrillRow): DrillReport {
  return {
    id: r.id,
    startedAt: r.started_at,
    startedBy: r.started_by,
    endedAt: r.ended_at,
    endedBy: r.ended_by,
    outcome: r.outcome,
    minutesToFirstCheckIn: r.minutes_to_first_check_in,
    packFound: bool(r.pack_found),
    packPrinted: bool(r.pack_printed),
    sheetsPrinted: r.sheets_printed,
    problems: r.problems,
  };
}

export interface DrillEnding {
  endedAt: string;
  endedBy: string;
  minutesToFirstCheckIn: number | null;
  packFound: boolean;
  packPrinted: boolean;
  sheetsPrinted: number;
  problems: string;
}

export class DrillRecords {
  constructor(private readonly db: Db) {}

  running(): DrillReport | null {
    const row = this.db.get<DrillRow>(sql`SELECT * FROM drill WHERE outcome = 'running'`);
    return row ? reportOf(row) : null;
  }

  /** The last drill that ended with a report: what readiness dates. A discarded one taught nothing and is not counted. */
  last(): DrillReport | null {
    const row = this.db.get<DrillRow>(sql`SELECT * FROM drill WHERE outcome = 'ended' ORDER BY ended_at DESC, id DESC LIMIT 1`);
    return row ? reportOf(row) : null;
  }

  start(startedAt: string, startedBy: string): DrillReport {
    const id = Number(this.db.run(sql`INSERT INTO drill (started_at, started_by, outcome) VALUES (${startedAt}, ${startedBy}, 'running')`).lastInsertRowid);
    return reportOf(this.db.get<DrillRow>(sql`SELECT * FROM drill WHERE id = ${id}`) as DrillRow);
  }

  end(id: number, e: DrillEnding): void {
    this.db.run(
      sql`UPDATE drill SET outcome = 'ended', ended_at = ${e.endedAt}, ended_by = ${e.endedBy}, minutes_to_first_check_in = ${e.minutesToFirstCheckIn},
        pack_found = ${e.packFound ? 1 : 0}, pack_printed = ${e.packPrinted ? 1 : 0}, sheets_printed = ${e.sheetsPrinted}, problems = ${e.problems}
        WHERE id = ${id} AND outcome = 'running'`,
    );
  }

  /** A drill that was running when the desk stopped: marked discarded, with no report. */
  discardRunning(at: string): number {
    return this.db.run(sql`UPDATE drill SET outcome = 'discarded', ended_at = ${at} WHERE outcome = 'running'`).changes;
  }
}

/** The drill operations as the service answers them (drill-desk.ts runs them where a desk serves screens). */
export interface DrillControl {
  state(): DrillState;
  start(ctx: RequestContext): DrillState;
  end(input: DrillEndInput, ctx: RequestContext): DrillState;
}

/** Where no drill can run (the CLI, a desk opened without screens): the records read, starting refused. */
export function recordsOnlyDrillControl(records: DrillRecords): DrillControl {
  const refuse = (): never => {
    throw new DeskError('conflict', 'a drill runs in the desk that serves the screens (the app, or standby-desk serve), not here');
  };
  return { state: () => ({ running: records.running(), last: records.last() }), start: refuse, end: refuse };
}
