/**
 * Refreshing the mirror from upstream, and the desk's view of upstream's health (DESIGN.md property 4).
 *
 * A refresh is one SQLite transaction: readers (WAL) see the old book or the new, never a mix, and a failure
 * anywhere leaves the old book as it was. Records whose fingerprint (upstream version plus what they were read
 * with) matches the base are skipped without a write, which keeps a five-minutely refresh of an unchanged
 * book cheap. An appointment the desk has changed (version > 0) is never overwritten or removed: the upstream
 * change is kept beside it (upstream_pending) for reconciliation, and counted as skipped.
 *
 * Outage: pulls that fail for want of an answer (unreachable, timeout, 5xx) switch the desk to outage mode and
 * say so. When upstream answers again the desk records that it is reachable but stays in outage mode: leaving
 * it, and merging back, are a person's decision (setMode).
 */
import { DEFAULT_STALE_AFTER_MINUTES, DeskError, isStaleAge, mirrorAgeMinutes, type MirrorInfo, type UpstreamInfo } from '../../shared/api';
import type { Appointment, Clinician, Patient, Session, Slot } from '../../shared/domain';
import type { DeskDeps } from './deps';
import type { RequestContext } from './dispatch';
import { earliestKnown, type InvalidRecord, type KnownFingerprints, type ResourceType, type UpstreamBatch, type UpstreamItem } from './upstream/batch';
import { PracticeListRefresh } from './upstream/practice-list';
import { UpstreamStore } from './upstream/store';
import { makeLocalDateCache } from './upstream/time';

export const META = {
  /** When the book was true upstream (UpstreamBatch.asOf); absent when that is unknown or nothing was loaded. */
  asOf: 'mirror.asOf',
  /** When the desk last wrote the book (a refresh or loadBook), by its own clock. */
  loadedAt: 'mirror.loadedAt',
  source: 'mirror.source',
  mode: 'desk.mode',
  /** When the desk last went into outage mode; cleared when it goes back online (MirrorInfo.outageSince). */
  outageSince: 'desk.outageSince',
  /** The mirror.loadedAt the base records belong to: when they differ, loadBook replaced the book since. */
  baseAsOf: 'upstream.baseAsOf',
  dates: 'upstream.dates',
  fhirBaseUrl: 'upstream.fhirBaseUrl',
  reachable: 'upstream.reachable',
  lastAttempt: 'upstream.lastAttempt',
  lastSuccess: 'upstream.lastSuccess',
  lastError: 'upstream.lastError',
  lastErrorAt: 'upstream.lastErrorAt',
  staleAfterMinutes: 'mirror.staleAfterMinutes',
} as const;

/** A refreshed book's "as of" in words, for logs and the command line. */
export function describeAsOf(asOf: string | null): string {
  return asOf === null ? 'age unknown (no time came with the data), so shown as stale' : `as of ${asOf}`;
}

export interface RefreshCounts {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  /** Not applied: held beside a local change, or invalid. */
  skipped: number;
}

export interface HeldChange {
  resourceType: ResourceType;
  id: string;
  change: 'changed' | 'removed';
}

export interface RefreshReport {
  source: string;
  /** When the data was true upstream; null when unknown (the mirror then counts as stale). */
  asOf: string | null;
  dates: string[];
  seq: number;
  appointments: RefreshCounts;
  patients: RefreshCounts;
  clinicians: RefreshCounts;
  sessions: RefreshCounts;
  slots: RefreshCounts;
  practice: 'added' | 'changed' | 'unchanged' | 'default';
  /** Upstream changes kept beside records with unreconciled local changes. */
  held: HeldChange[];
  /** Records left out because they could not be read. */
  invalid: InvalidRecord[];
}

/** Why a pull failed. The first three mean "no answer": they switch the desk to outage mode. */
export type PullFailureKind = 'unreachable' | 'timeout' | 'server' | 'client' | 'bad-response';
export const OUTAGE_FAILURES: ReadonlySet<PullFailureKind> = new Set(['unreachable', 'timeout', 'server']);

/** What getMirrorStatus reports of upstream and the mirror's freshness (shared/api UpstreamInfo). */
export type UpstreamStatus = UpstreamInfo;

const DEFAULT_PRACTICE = { id: 'practice', name: 'Practice', odsCode: null };

const zeroCounts = (): RefreshCounts => ({ added: 0, changed: 0, removed: 0, unchanged: 0, skipped: 0 });

export class UpstreamDesk {
  private readonly store: UpstreamStore;
  /** The base fingerprints as last read, with the write counter they were read at (knownFingerprints). */
  private fingerprintCache: KnownFingerprints | null = null;

  constructor(private readonly deps: DeskDeps) {
    this.store = new UpstreamStore(deps.db);
  }

  // ---- refresh ---------------------------------------------------------------------------------------------

  /**
   * Applies a batch to the mirror in one transaction, with its journal entry, and announces it after the
   * commit. `pulledFrom` marks a successful pull, so reachability is recorded in the same transaction.
   */
  refresh(batch: UpstreamBatch, ctx: RequestContext, options: { pulledFrom?: string } = {}): RefreshReport {
    const { db, mirror, journal } = this.deps;
    const report = db.transaction(() => {
      const now = this.deps.clock().toISOString();
      const r = this.apply(batch, now);
      // Never fresher than its data, nor than this moment (an exporter's clock ahead of the desk's).
      const asOf = batch.asOf === null ? null : earliestKnown([batch.asOf, now]);
      mirror.setMeta(META.asOf, asOf);
      mirror.setMeta(META.loadedAt, now);
      mirror.setMeta(META.source, batch.source);
      mirror.setMeta(META.baseAsOf, now);
      mirror.setMeta(META.dates, JSON.stringify(batch.dates));
      if (options.pulledFrom !== undefined) this.markAnswered(now, true, ctx, options.pulledFrom);
      const summary = (c: RefreshCounts) => ({ ...c });
      const entry = journal.append({
        at: now,
        user: ctx.user,
        desk: ctx.desk,
        op: 'mirror.refresh',
        entity: 'mirror',
        entityId: null,
        before: null,
        after: {
          source: batch.source,
          asOf,
          dates: batch.dates,
          practice: r.practice,
          appointments: summary(r.appointments),
          patients: summary(r.patients),
          clinicians: summary(r.clinicians),
          sessions: summary(r.sessions),
          slots: summary(r.slots),
          held: r.held,
          invalid: r.invalid.length,
        },
        baseVersion: null,
      });
      return { ...r, source: batch.source, asOf, dates: batch.dates, seq: entry.seq };
    });
    this.deps.emit({ kind: 'mirror.replaced', seq: report.seq, asOf: report.asOf });
    return report;
  }

  private apply(batch: UpstreamBatch, now: string): Omit<RefreshReport, 'source' | 'asOf' | 'dates' | 'seq'> {
    const { mirror } = this.deps;
    const store = this.store;
    const localDate = makeLocalDateCache();

    // After loadBook (the demo, say) the base records describe a book that is no longer there: start afresh.
    const baseStale = mirror.getMeta(META.baseAsOf) !== this.loadedAt();
    if (baseStale) store.clearBase();
    // Every write to the base records moves their counter (triggers), so when it has not moved since the batch
    // was read against the base, that reading is still the base: no second read.
    const base = !baseStale && batch.known && batch.known.generation === store.generation() ? batch.known.byType : store.fingerprints();
    const baseOf = (type: ResourceType, id: string) => base.get(type)?.get(id);
    /** Only what came from upstream (or from a whole-book load) may be removed for being absent upstream. */
    const fromUpstream = (type: ResourceType, id: string) => baseStale || baseOf(type, id) !== undefined;
    const invalidIds = new Map<ResourceType, Set<string>>();
    for (const p of batch.invalid) {
      if (p.resourceType === null || p.id === null) continue;
      const set = invalidIds.get(p.resourceType) ?? new Set<string>();
      set.add(p.id);
      invalidIds.set(p.resourceType, set);
    }
    const skippedAsInvalid = (type: ResourceType) => batch.invalid.filter((p) => p.resourceType === type).length;

    // ---- the practice: a first import needs one; a different practice's book is refused.
    const current = mirror.practice();
    let practice: RefreshReport['practice'] = 'unchanged';
    const incoming = batch.practice?.entity ?? null;
    if (incoming) {
      if (current?.odsCode && incoming.odsCode && current.odsCode !== incoming.odsCode && mirror.counts().appointments > 0) {
        throw new DeskError(
          'conflict',
          `this book is for the practice with ODS code ${incoming.odsCode}, but the mirror holds ${current.name} (${current.odsCode}); nothing was changed. ` +
            'Use a separate data folder for another practice.',
        );
      }
      if (!current || current.id !== incoming.id || current.name !== incoming.name || current.odsCode !== incoming.odsCode) {
        store.setPractice(incoming);
        practice = current ? 'changed' : 'added';
      }
      if (batch.practice && baseOf('Organization', incoming.id) !== batch.practice.fingerprint) {
        store.putBase(batch.practice, incoming, batch.source, now);
      }
    } else if (!current) {
      store.setPractice(DEFAULT_PRACTICE);
      practice = 'default';
    }

    // ---- upserts, in foreign-key order; patients with what the practice list says of them (upstream/practice-list.ts)
    const list = new PracticeListRefresh(store, batch);
    const upsertAll = <T extends { id: string }>(
      items: Map<string, UpstreamItem<T>>,
      type: ResourceType,
      existing: Set<string>,
      write: (entity: T) => void,
      counts: RefreshCounts,
    ) => {
      for (const item of items.values()) {
        const exists = existing.has(item.id);
        if (exists && baseOf(type, item.id) === item.fingerprint) {
          counts.unchanged++;
          if (type === 'Patient') list.unchanged(item.id);
          continue;
        }
        write(item.entity);
        store.putBase(item, item.entity, batch.source, now, type === 'Patient' ? list.listedOf(item.id) : null);
        if (exists) counts.changed++;
        else counts.added++;
      }
    };
    const clinicians = zeroCounts();
    const sessions = zeroCounts();
    const slots = zeroCounts();
    const patients = zeroCounts();
    const appointments = zeroCounts();
    // Read once: what exists decides added vs changed, and (for undated kinds) what may be removed.
    const clinicianIds = store.ids('clinician');
    const patientIds = store.ids('patient');
    upsertAll<Clinician>(batch.clinicians, 'Practitioner', clinicianIds, (c) => store.upsertClinician(c), clinicians);
    upsertAll<Session>(batch.sessions, 'Schedule', store.ids('session'), (s) => store.upsertSession(s), sessions);
    upsertAll<Slot>(batch.slots, 'Slot', store.ids('slot'), (s) => store.upsertSlot(s), slots);
    // A phone number changed at the desk stays until merge-back settles it; upstream's record is still the base.
    const pendingPhones = batch.patients.size > 0 ? store.pendingContactChanges() : new Map<string, string | null>();
    const patientWrite = (p: Patient) => store.upsertPatient(pendingPhones.has(p.id) ? { ...p, phone: pendingPhones.get(p.id) ?? null } : p);
    upsertAll<Patient>(batch.patients, 'Patient', patientIds, patientWrite, patients);

    // ---- appointments: local changes win until reconciled; upstream's change waits beside them.
    const held: HeldChange[] = [];
    const { existing: existingAppointments, onDates: appointmentsOnDates, local } = store.appointmentState(batch.dates);
    for (const item of batch.appointments.values()) {
      const mine = local.get(item.id);
      const same = baseOf('Appointment', item.id) === item.fingerprint;
      if (mine) {
        if (same) {
          store.release('Appointment', item.id);
          appointments.unchanged++;
        } else {
          store.hold({ resourceType: 'Appointment', id: item.id, change: 'changed', item }, mine, batch.source, now);
          held.push({ resourceType: 'Appointment', id: item.id, change: 'changed' });
          appointments.skipped++;
        }
        continue;
      }
      const exists = existingAppointments.has(item.id);
      if (exists && same) {
        appointments.unchanged++;
        continue;
      }
      const entity: Appointment = { ...item.entity, version: 0, updatedAt: now };
      store.upsertAppointment(entity, localDate(entity.start));
      store.putBase(item, entity, batch.source, now);
      if (exists) appointments.changed++;
      else appointments.added++;
    }

    // ---- removals: on the batch's dates, what upstream no longer has (and was not merely unreadable)
    const invalidAppointments = invalidIds.get('Appointment');
    for (const id of appointmentsOnDates) {
      if (batch.appointments.has(id) || invalidAppointments?.has(id) || !fromUpstream('Appointment', id)) continue;
      const mine = local.get(id);
      if (mine) {
        store.hold({ resourceType: 'Appointment', id, change: 'removed', item: null }, mine, batch.source, now);
        held.push({ resourceType: 'Appointment', id, change: 'removed' });
        appointments.skipped++;
        continue;
      }
      store.deleteAppointment(id);
      store.deleteBase('Appointment', id);
      appointments.removed++;
    }
    const dates = new Set(batch.dates);
    const removeUnreferenced = (
      table: 'slot' | 'session' | 'patient' | 'clinician',
      type: ResourceType,
      candidates: Iterable<string>,
      inBatch: Map<string, unknown>,
      counts: RefreshCounts,
      refsOf: (r: ReturnType<UpstreamStore['referenced']>) => Set<string>,
    ) => {
      let refs: Set<string> | null = null;
      const invalid = invalidIds.get(type);
      for (const id of candidates) {
        if (inBatch.has(id) || invalid?.has(id) || !fromUpstream(type, id)) continue;
        refs ??= refsOf(store.referenced());
        // Still in use by something the refresh kept (an appointment the desk changed, another day's booking).
        if (refs.has(id)) continue;
        store.deleteRow(table, id);
        store.deleteBase(type, id);
        counts.removed++;
      }
    };
    const slotsOnDates = store
      .slotsWithStart()
      .filter((s) => dates.has(localDate(s.start)))
      .map((s) => s.id);
    removeUnreferenced('slot', 'Slot', slotsOnDates, batch.slots, slots, (r) => r.slots);
    removeUnreferenced('session', 'Schedule', store.sessionsOn(batch.dates), batch.sessions, sessions, (r) => r.sessions);
    // Undated: patients and clinicians go when nothing refers to them; list patients only when a whole list drops them.
    removeUnreferenced('patient', 'Patient', list.removalCandidates(patientIds), batch.patients, patients, (r) => r.patients);
    list.unlistLeavers(patientIds, invalidIds.get('Patient'));
    removeUnreferenced('clinician', 'Practitioner', clinicianIds, batch.clinicians, clinicians, (r) => r.clinicians);

    appointments.skipped += skippedAsInvalid('Appointment');
    patients.skipped += skippedAsInvalid('Patient');
    clinicians.skipped += skippedAsInvalid('Practitioner');
    sessions.skipped += skippedAsInvalid('Schedule');
    slots.skipped += skippedAsInvalid('Slot');
    return { appointments, patients, clinicians, sessions, slots, practice, held, invalid: batch.invalid };
  }

  /**
   * What the mirror holds, by fingerprint, for a reader to skip records it would read to no effect. Empty when
   * the base records no longer describe the mirror (a whole-book load since): then everything is read.
   */
  knownFingerprints(): KnownFingerprints {
    const { mirror, db } = this.deps;
    // One read transaction, so the fingerprints and their counter describe the same moment.
    return db.raw.transaction(() => {
      const generation = this.store.generation();
      if (mirror.getMeta(META.baseAsOf) !== this.loadedAt()) return { generation, byType: new Map() };
      // Reused while no base record has been written (a scheduled pull of an unchanged book, every 5 minutes);
      // read again after any write. Nobody mutates the maps: readers only look records up.
      if (this.fingerprintCache?.generation !== generation) this.fingerprintCache = { generation, byType: this.store.fingerprints() };
      return this.fingerprintCache;
    })();
  }

  // ---- mode and upstream health ------------------------------------------------------------------------------

  mode(): MirrorInfo['mode'] {
    return this.deps.mirror.getMeta(META.mode) === 'outage' ? 'outage' : 'online';
  }

  /**
   * When the desk last wrote the book. A database from before mirror.loadedAt was kept has only mirror.asOf,
   * which was then that same moment.
   */
  private loadedAt(): string | null {
    const { mirror } = this.deps;
    return mirror.getMeta(META.loadedAt) ?? mirror.getMeta(META.asOf);
  }

  mirrorInfo(): MirrorInfo {
    const { mirror } = this.deps;
    const mode = this.mode();
    const outageSince = mode === 'outage' ? mirror.getMeta(META.outageSince) : null;
    return {
      asOf: mirror.getMeta(META.asOf),
      loadedAt: this.loadedAt(),
      source: mirror.getMeta(META.source),
      mode,
      ...(outageSince !== null ? { outageSince } : {}),
      staleAfterMinutes: this.staleAfterMinutes(),
    };
  }

  /** A receptionist switches the desk by hand. Journalled; switching to the mode it is already in changes nothing. */
  setMode(mode: MirrorInfo['mode'], ctx: RequestContext, reason?: string): MirrorInfo {
    const seq = this.deps.db.transaction(() => this.switchMode(mode, ctx, { automatic: false, ...(reason ? { reason } : {}) }));
    if (seq !== null) this.announce(seq);
    return this.mirrorInfo();
  }

  /** Records a failed pull. Returns true when it switched the desk to outage mode. */
  recordPullFailure(kind: PullFailureKind, message: string, ctx: RequestContext): boolean {
    const { db, mirror } = this.deps;
    const seq = db.transaction(() => {
      const now = this.deps.clock().toISOString();
      mirror.setMeta(META.lastAttempt, now);
      mirror.setMeta(META.lastError, message);
      mirror.setMeta(META.lastErrorAt, now);
      if (!OUTAGE_FAILURES.has(kind)) {
        // It answered (a 401, or data we could not read): reachable, but something needs fixing.
        this.markAnswered(now, false, ctx, null);
        return null;
      }
      this.setReachable(false, now, ctx, message);
      return this.switchMode('outage', ctx, { automatic: true, reason: `upstream did not answer: ${message}` });
    });
    if (seq !== null) this.announce(seq);
    return seq !== null;
  }

  /** Upstream answered (a probe while in outage mode). Recorded; the mode stays as it is until a person changes it. */
  recordReachable(ctx: RequestContext): void {
    this.deps.db.transaction(() => this.markAnswered(this.deps.clock().toISOString(), false, ctx, null));
  }

  private markAnswered(now: string, success: boolean, ctx: RequestContext, url: string | null): void {
    const { mirror } = this.deps;
    mirror.setMeta(META.lastAttempt, now);
    if (success) mirror.setMeta(META.lastSuccess, now);
    if (url !== null) mirror.setMeta(META.fhirBaseUrl, url);
    this.setReachable(true, now, ctx, null);
  }

  /** Journals only the changes of reachability, so a day of five-minutely pulls does not flood the journal. */
  private setReachable(reachable: boolean, now: string, ctx: RequestContext, error: string | null): void {
    const { mirror, journal } = this.deps;
    const before = mirror.getMeta(META.reachable);
    const after = reachable ? 'true' : 'false';
    if (before === after) return;
    mirror.setMeta(META.reachable, after);
    journal.append({
      at: now,
      user: ctx.user,
      desk: ctx.desk,
      op: 'upstream.reachability',
      entity: 'upstream',
      entityId: mirror.getMeta(META.fhirBaseUrl),
      before: { reachable: before === null ? null : before === 'true' },
      after: { reachable, ...(error ? { error } : {}) },
      baseVersion: null,
    });
  }

  private switchMode(mode: MirrorInfo['mode'], ctx: RequestContext, why: { automatic: boolean; reason?: string }): number | null {
    const before = this.mode();
    if (before === mode) return null;
    const now = this.deps.clock().toISOString();
    this.deps.mirror.setMeta(META.mode, mode);
    this.deps.mirror.setMeta(META.outageSince, mode === 'outage' ? now : null);
    return this.deps.journal.append({
      at: now,
      user: ctx.user,
      desk: ctx.desk,
      op: 'desk.setMode',
      entity: 'desk',
      entityId: null,
      before: { mode: before },
      after: { mode, ...why },
      baseVersion: null,
    }).seq;
  }

  /** Views re-read the day (and with it the mode banner) on mirror.replaced. */
  private announce(seq: number): void {
    this.deps.emit({ kind: 'mirror.replaced', seq, asOf: this.deps.mirror.getMeta(META.asOf) });
  }

  // ---- settings and status ----------------------------------------------------------------------------------

  setFhirBaseUrl(url: string): void {
    this.deps.db.transaction(() => this.deps.mirror.setMeta(META.fhirBaseUrl, url));
  }

  staleAfterMinutes(): number {
    const value = Number(this.deps.mirror.getMeta(META.staleAfterMinutes));
    return Number.isInteger(value) && value > 0 ? value : DEFAULT_STALE_AFTER_MINUTES;
  }

  setStaleAfterMinutes(minutes: number): void {
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 24 * 60) throw new RangeError('staleAfterMinutes must be 1 to 1440');
    this.deps.db.transaction(() => this.deps.mirror.setMeta(META.staleAfterMinutes, String(minutes)));
  }

  status(): UpstreamStatus {
    const { mirror } = this.deps;
    const asOf = mirror.getMeta(META.asOf);
    const loaded = this.loadedAt() !== null;
    const ageMinutes = asOf === null ? null : mirrorAgeMinutes(asOf, this.deps.clock().getTime());
    const staleAfterMinutes = this.staleAfterMinutes();
    const reachable = mirror.getMeta(META.reachable);
    let dates: string[] = [];
    try {
      const parsed: unknown = JSON.parse(mirror.getMeta(META.dates) ?? '[]');
      if (Array.isArray(parsed)) dates = parsed.filter((d): d is string => typeof d === 'string');
    } catch {
      dates = [];
    }
    return {
      fhirBaseUrl: mirror.getMeta(META.fhirBaseUrl),
      reachable: reachable === null ? null : reachable === 'true',
      lastAttemptAt: mirror.getMeta(META.lastAttempt),
      lastSuccessAt: mirror.getMeta(META.lastSuccess),
      lastError: mirror.getMeta(META.lastError),
      lastErrorAt: mirror.getMeta(META.lastErrorAt),
      asOf,
      ageMinutes,
      // An empty mirror is not stale, it is empty: nothing in it can be mistaken for the current book. A book of
      // unknown age may be any age: stale.
      stale: loaded && (ageMinutes === null || isStaleAge(ageMinutes, staleAfterMinutes)),
      staleAfterMinutes,
      dates,
      heldChanges: this.store.pendingCount(),
      localChanges: mirror.locallyChangedCount(),
    };
  }

  /** Upstream changes held beside local ones, for the reconciliation view. */
  heldChanges() {
    return this.store.pending();
  }
}
