/**
 * The desk service: implements every contract operation and is the only code that writes. Each action is one
 * SQLite transaction that changes the mirror and appends to the journal together, so there is never a change
 * without its journal entry, nor an entry without its change. Events go out only after the commit.
 */
import { localDateOf, parsePatientQuery, type Appointment, type DeskStatus, type PracticeBook } from '../../shared/domain';
import { DeskError, type AppointmentRow, type DeskEvent, type MirrorInfo, type MirrorStatus } from '../../shared/api';
import { ReceptionDesk } from './actions/reception';
import { MergeDesk } from './merge/desk';
import { RecordsDesk } from './actions/records';
import { RoomSettingsDesk } from './actions/room-settings';
import { DeskSettingsDesk, refuseOnlineChanges } from './actions/desk-settings';
import { FeedMappingDesk } from './actions/feed-mapping';
import { bookAppointment } from './actions/booking';
import { acceptBacklog, backlogView } from './actions/backlog';
import { exportContactList, setMessagePreference } from './actions/contact-list';
import { CallbackDesk, callbackAttemptsBetween } from './actions/callbacks';
import { CallStore } from './store/calls';
import { AuditTrail, auditCsv } from './audit/audit';
import { RECOVERY_SHEET } from '../../shared/api/readiness';
import { AuthDesk } from './auth/auth';
import { deskClock, type Clock } from './clock';
import type { DeskLog } from './log';
import type { ScryptCost } from './auth/secrets';
import type { Handlers, RequestContext } from './dispatch';

/** The operations setup.ts answers (it reads the settings files, which depend on this service). */
type SetupOperationName = 'checkFolder' | 'testFhirConnection' | 'getFhirConnectionTest' | 'completeSetup' | 'joinGroupInSetup' | 'getGroupSetup' | 'getSettings' | 'saveSettings';
import { META, UpstreamDesk } from './refresh';
import { lastPulledSettings, type UpstreamSettingsProvider } from './upstream/settings';
import { Journal } from './store/journal';
import { MirrorStore } from './store/mirror';
import type { Db } from './store/sql';
import type { GroupControl } from './group/control';
import { StoredGroupControl } from './group/stored-control';
import { replicatedSeq } from './group/replica';
import { gatherReadinessFacts, readinessOf, type ReadinessUpkeep } from './readiness';
import { recoverySheetDocument } from './recovery/sheet';
import { keyFingerprint } from './recovery/words';
import type { PrintDocument } from './print';
import { resolveDatabaseKey } from './store/key';
import { DrillRecords, recordsOnlyDrillControl, type DrillControl } from './drill/records';
import { DRILL_META } from './drill/sandbox';
import { PracticeSettingsStore } from './practice-settings';

export type { Clock } from './clock';

export interface DeskServiceOptions {
  clock?: Clock;
  /** Lower only in tests: the default makes each sign-in cost a guesser ~0.1 s. */
  scryptCost?: ScryptCost;
  idleLockMinutes?: number;
  /**
   * The FHIR server, token, timeout and page size merge-back uses: the same ones this process pulls with
   * (upstream/settings.ts). Without it, the server last pulled from, with the token from the environment.
   */
  upstreamSettings?: UpstreamSettingsProvider;
  /** The data folder's log file (log.ts), which a manager may export; none for a desk without a data folder. */
  log?: DeskLog;
  /** What readiness checks (readiness.ts): the data folder, and the upkeep this process runs (default: its settings file). */
  readiness?: { dataDir: string; upkeep?: () => ReadinessUpkeep };
}

export class DeskService {
  readonly journal: Journal;
  readonly mirror: MirrorStore;
  /** Refresh from upstream, outage mode and freshness (refresh.ts). */
  readonly upstream: UpstreamDesk;
  /** Walk-ins, undo, batch DNA, rebooking, callbacks and the display (actions/reception.ts). */
  readonly reception: ReceptionDesk;
  /** Merge-back: plan, outcomes, decisions, worklist, impact, retention (merge/desk.ts). */
  readonly merge: MergeDesk;
  /** The practice's settings for clinicians' rooms and the waiting-room displays (actions/room-settings.ts). */
  readonly rooms: RoomSettingsDesk;
  /** Callback attempts and the practice's Late rule (actions/callbacks.ts). */
  readonly callbacks: CallbackDesk;
  /** Notes and contact changes (actions/records.ts). */
  readonly records: RecordsDesk;
  /** The practice's rules for the desk: changes while online (actions/desk-settings.ts). */
  readonly settings: DeskSettingsDesk;
  /** The practice's own CSV mapping, made on screen; the watched folder's (actions/feed-mapping.ts). */
  readonly feedMapping: FeedMappingDesk;
  /** Append-only, hash-chained record of every change, print, export, import and sign-in. */
  readonly audit: AuditTrail;
  /** The practice's settings saved on screen: source, pack and backup folders, the FHIR token (practice-settings.ts). */
  readonly practiceSettings: PracticeSettingsStore;
  /** Set-up and the settings screen's operations (setup.ts), handed in by openDesk. */
  private setupOperations: Pick<Handlers, SetupOperationName> | null = null;
  /** Accounts, sessions, the role table and the lock (auth/auth.ts). */
  readonly auth: AuthDesk;
  /** The desk's now (clock.ts): what "today", waits, ages and every journal time are read from. */
  readonly clock: Clock;
  readonly log: DeskLog | null;
  /** The group's own operations: the stored answer until a running group link replaces it (setGroupControl). */
  private groupControl: GroupControl;
  /** Outage drills: the records alone until the desk that serves screens runs them (setDrillControl, drill/drill-desk.ts). */
  private drillControl: DrillControl;
  private readonly drills: DrillRecords;
  private readonly readinessSources: DeskServiceOptions['readiness'];
  private readonly listeners = new Set<(event: DeskEvent) => void>();

  constructor(
    private readonly db: Db,
    options: DeskServiceOptions = {},
  ) {
    this.journal = new Journal(db);
    this.mirror = new MirrorStore(db);
    this.clock = options.clock ?? deskClock();
    this.audit = new AuditTrail(db);
    this.log = options.log ?? null;
    this.readinessSources = options.readiness;
    // Every journal entry gets its audit record inside the same transaction as the change.
    this.journal.onAppend((entry) => this.audit.appendJournal(entry));
    const authOptions = { db, audit: this.audit, clock: this.clock };
    this.auth = new AuthDesk({
      ...authOptions,
      ...(options.scryptCost ? { scryptCost: options.scryptCost } : {}),
      ...(options.idleLockMinutes ? { idleLockMinutes: options.idleLockMinutes } : {}),
    });
    this.upstream = new UpstreamDesk({ db, mirror: this.mirror, journal: this.journal, clock: this.clock, emit: (event) => this.emit(event) });
    this.reception = new ReceptionDesk({ db, mirror: this.mirror, journal: this.journal, calls: new CallStore(db), clock: this.clock, emit: (event) => this.emit(event) });
    this.rooms = new RoomSettingsDesk({ db, audit: this.audit, clock: this.clock });
    this.settings = new DeskSettingsDesk({ db, audit: this.audit, clock: this.clock });
    this.feedMapping = new FeedMappingDesk({ db, audit: this.audit, clock: this.clock });
    this.practiceSettings = new PracticeSettingsStore({ db, audit: this.audit, clock: this.clock });
    this.callbacks = new CallbackDesk({ db, mirror: this.mirror, audit: this.audit, clock: this.clock });
    this.records = new RecordsDesk({ db, mirror: this.mirror, journal: this.journal, clock: this.clock, emit: (event) => this.emit(event) });
    this.merge = new MergeDesk({
      db,
      mirror: this.mirror,
      journal: this.journal,
      clock: this.clock,
      emit: (event) => this.emit(event),
      upstreamSettings: options.upstreamSettings ?? lastPulledSettings(() => this.upstream.status().fhirBaseUrl),
    });
    this.drills = new DrillRecords(db);
    this.drillControl = recordsOnlyDrillControl(this.drills);
    this.groupControl = new StoredGroupControl({ db, audit: this.audit, clock: this.clock, seqOf: () => replicatedSeq(db.raw), mirror: this.mirror });
  }

  /** openDesk hands in set-up's operations (setup.ts), which read the settings files and so live outside the service. */
  useSetupOperations(operations: Pick<Handlers, SetupOperationName>): void {
    this.setupOperations = operations;
  }

  private setup(): Pick<Handlers, SetupOperationName> {
    if (this.setupOperations === null) throw new DeskError('unavailable', 'set-up and settings need a desk opened on its data folder');
    return this.setupOperations;
  }

  get group(): GroupControl {
    return this.groupControl;
  }

  /** The running group link (group/node.ts) takes over the group's operations from the stored answer. */
  setGroupControl(control: GroupControl): void {
    this.groupControl = control;
  }

  /** The desk that serves screens runs drills (drill/drill-desk.ts); elsewhere they are only read. */
  setDrillControl(control: DrillControl): void {
    this.drillControl = control;
  }

  onEvent(listener: (event: DeskEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A change the desk group's coordinator made, sent to this member's screens once its copy holds it. */
  relayEvent(event: DeskEvent): void {
    this.emit(event);
  }

  private emit(event: DeskEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken view must not undo or block a committed change; it re-reads the day when it reconnects.
      }
    }
  }

  today(): string {
    return localDateOf(this.clock());
  }

  /** The mirror as every screen and sheet shows it; a drill's sandbox says so (drill/sandbox.ts), on screen and on paper. */
  mirrorInfo(): MirrorInfo {
    const info = this.upstream.mirrorInfo();
    return this.mirror.getMeta(DRILL_META) === null ? info : { ...info, drill: true };
  }

  /**
   * The contract's operations, as the dispatcher calls them; the desk's changes refused while online when the
   * practice says so (actions/desk-settings.ts).
   */
  handlers(): Handlers {
    return refuseOnlineChanges(this.operations(), () => this.upstream.mode() === 'online' && this.settings.get().onlineChanges === 'refuse');
  }

  private operations(): Handlers {
    return {
      getDay: (input) => this.getDay(input.date, input.clinicianId ?? null),
      searchPatients: (input) => this.searchPatients(input.query, input.date ?? this.today(), input.limit ?? 25),
      setAppointmentStatus: (input, ctx) => this.setAppointmentStatus(input, ctx),
      getMirrorStatus: () => this.getMirrorStatus(),
      setMode: (input, ctx) => this.upstream.setMode(input.mode, ctx, input.reason),
      getJournal: (input) => this.journal.list(input.afterSeq ?? 0, input.limit ?? 200),
      getSession: (_input, ctx) => this.auth.session(ctx),
      signIn: (input, ctx) => this.auth.signIn(input, ctx),
      signOut: (_input, ctx) => this.auth.signOut(ctx),
      lock: (_input, ctx) => this.auth.lock(ctx),
      setUpFirstManager: (input, ctx) => this.auth.setUpFirstManager(input, ctx),
      checkFolder: (input, ctx) => this.setup().checkFolder(input, ctx),
      testFhirConnection: (input, ctx) => this.setup().testFhirConnection(input, ctx),
      getFhirConnectionTest: (input, ctx) => this.setup().getFhirConnectionTest(input, ctx),
      completeSetup: (input, ctx) => this.setup().completeSetup(input, ctx),
      joinGroupInSetup: (input, ctx) => this.setup().joinGroupInSetup(input, ctx),
      getGroupSetup: (input, ctx) => this.setup().getGroupSetup(input, ctx),
      getSettings: (input, ctx) => this.setup().getSettings(input, ctx),
      saveSettings: (input, ctx) => this.setup().saveSettings(input, ctx),
      listUsers: () => this.auth.listUsers(),
      addUser: (input, ctx) => this.auth.addUser(input, ctx),
      updateUser: (input, ctx) => this.auth.updateUser(input, ctx),
      setIdleLock: (input, ctx) => this.auth.setIdleLock(input, ctx),
      getAudit: (input) => this.audit.list(input),
      exportAudit: (input, ctx) => this.exportAudit(input, ctx),
      exportLog: (_input, ctx) => this.exportLog(ctx),
      // Read at call time: the group link may replace the control after the dispatcher took these handlers.
      getGroupStatus: () => this.group.status(),
      createPairingCode: (_input, ctx) => this.group.createPairingCode(ctx),
      removeGroupMember: (input, ctx) => this.group.removeMember(input.name, ctx),
      takeOverGroup: (_input, ctx) => this.group.takeOver(ctx),
      exportGroupCertificate: (_input, ctx) => this.group.exportCertificate(ctx),
      carryOnAlone: (_input, ctx) => this.group.carryOnAlone(ctx),
      rejoinGroup: (_input, ctx) => this.group.rejoin(ctx),
      getGroupReview: () => this.group.review(),
      resolveGroupReviewItem: (input, ctx) => this.group.resolveReviewItem(input.seq, input.action, ctx),
      // Main carries it out in the app (electron/main/print.ts); reaching the desk means there is no printer here.
      printSheet: () => {
        throw new DeskError('unknown_operation', "printSheet is the desktop app's: in a browser, open the sheet's PDF from the Print menu and print it from there");
      },
      recordPrint: (input, ctx) => ({
        seq: this.audit.append({ at: this.clock().toISOString(), user: ctx.user, desk: ctx.desk, kind: 'print', detail: this.printDetail(input, ctx) }).seq,
      }),
      // Like printSheet: main prints it in the app (printRecoverySheetInApp); a browser gets no key.
      printRecoverySheet: () => {
        throw new DeskError('unknown_operation', 'the recovery sheet is printed in the desktop app, or with "standby-desk recovery-sheet --out FILE.pdf"');
      },
      undoLastChange: (input, ctx) => this.reception.undoLastChange(input, ctx),
      markSessionDna: (input, ctx) => this.reception.markSessionDna(input, ctx),
      undoSessionDna: (input, ctx) => this.reception.undoSessionDna(input, ctx),
      registerWalkIn: (input, ctx) => this.reception.registerWalkIn(input, ctx),
      cancelWalkInInError: (input, ctx) => this.reception.cancelWalkInInError(input, ctx),
      findFreeSlots: (input) => this.reception.findFreeSlots(input),
      rebookAppointment: (input, ctx) => this.reception.rebook(input, ctx),
      bookAppointment: (input, ctx) => bookAppointment(this.deps(), input, ctx),
      getDeskSettings: () => this.settings.get(),
      setDeskSettings: (input, ctx) => this.settings.set(input, ctx),
      previewFeedMapping: (input) => this.feedMapping.preview(input),
      saveFeedMapping: (input, ctx) => this.feedMapping.save(input, ctx),
      getFeedMapping: () => this.feedMapping.state(),
      getCallbackList: (input) => this.reception.callbackList(input),
      getBacklog: (input) => backlogView(this.deps(), input),
      acceptBacklog: (input, ctx) => acceptBacklog(this.deps(), input, ctx),
      exportContactList: (input, ctx) => {
        const result = exportContactList({ ...this.deps(), audit: this.audit }, this.merge.outages(), input.format, ctx);
        return {
          fileName: `standby-desk-contacts-${input.format}-${fileStamp(this.clock().toISOString())}.csv`,
          content: result.csv,
          dates: result.dates,
          included: result.included,
          excluded: result.excluded,
        };
      },
      setMessagePreference: (input, ctx) => setMessagePreference({ ...this.deps(), audit: this.audit }, input, ctx),
      getDisplayBoard: (input) => this.reception.displayBoard(input),
      recallPatient: (input, ctx) => this.reception.recall(input, ctx),
      getRoomSettings: () => this.rooms.view(),
      setRoomSettings: (input, ctx) => this.rooms.set(input, ctx),
      recordCallbackAttempt: (input, ctx) => this.callbacks.record(input, ctx),
      recordPatientContact: (input, ctx) => this.callbacks.recordContact(input, ctx),
      getDaySettings: () => this.callbacks.daySettings(),
      setDaySettings: (input, ctx) => this.callbacks.setDaySettings(input, ctx),
      addAppointmentNote: (input, ctx) => this.records.addNote(input, ctx),
      updatePatientContact: (input, ctx) => this.records.updateContact(input, ctx),
      getReadiness: () => this.readiness(),
      getDrill: () => this.drillControl.state(),
      startDrill: (_input, ctx) => this.drillControl.start(ctx),
      endDrill: (input, ctx) => this.drillControl.end(input, ctx),
      getMergePlan: () => this.merge.planView(),
      resolveMergeConflict: (input, ctx) => this.merge.itemView(this.merge.resolve(input, ctx)),
      startMergeApply: (input, ctx) => ({ runId: this.merge.startApply(input, ctx).runId }),
      getWorklist: () => {
        const plan = this.merge.plan();
        return { complete: this.merge.complete(plan), patients: this.merge.worklist(plan) };
      },
      tickWorklistItem: (input, ctx) => this.merge.tick(input, ctx),
      getImpactReport: () => this.merge.impactView(),
      setMergeSettings: (input, ctx) => {
        const settings = () => ({ capability: this.merge.capability(), retentionDays: this.merge.retentionDays(), claim: this.merge.claimSettings() });
        // Audited like every other setting: the claim's minutes and costs price what the practice invoices.
        this.db.transaction(() => {
          const before = settings();
          if (input.capability !== undefined) this.merge.setCapability(input.capability);
          if (input.retentionDays !== undefined) this.merge.setRetentionDays(input.retentionDays);
          if (input.claim !== undefined) this.merge.setClaimSettings(input.claim);
          const after = settings();
          if (JSON.stringify(before) !== JSON.stringify(after))
            this.audit.append({ at: this.clock().toISOString(), user: ctx.user, desk: ctx.desk, kind: 'settings-changed', detail: { setting: 'merge', from: before, to: after } });
        });
        return settings();
      },
    };
  }

  private deps() {
    return { db: this.db, mirror: this.mirror, journal: this.journal, clock: this.clock, emit: (event: DeskEvent) => this.emit(event) };
  }

  getDay(date: string, clinicianId: string | null) {
    // One read transaction, so the day, its sessions and the journal position are one consistent picture.
    return this.db.raw.transaction(() => {
      const appointments = this.mirror.appointmentRowsOn(date, clinicianId);
      return {
        practice: this.mirror.practice(),
        date,
        clinicians: this.mirror.cliniciansOn(date, clinicianId),
        sessions: this.mirror.sessionsOn(date, clinicianId),
        appointments,
        dutyClinicianId: this.reception.dutyClinicianFor(date),
        callbackAttempts: callbackAttemptsBetween(this.db, date, date),
        rebookedElsewhere: this.rebookedElsewhere(appointments),
        mirror: this.mirrorInfo(),
        journalSeq: this.journal.lastSeq(),
      };
    })();
  }

  /** The other ends of the day's rebookings that are not in it: when and with whom, for the rows to say so. */
  private rebookedElsewhere(rows: readonly AppointmentRow[]): Array<{ id: string; start: string; clinicianName: string | null }> {
    const onDay = new Set(rows.map((r) => r.id));
    const ids = new Set(rows.flatMap((r) => [r.desk?.rebookedTo ?? null, r.desk?.rebookedFrom ?? null]).filter((id): id is string => id !== null && !onDay.has(id)));
    return [...ids].flatMap((id) => {
      const other = this.mirror.appointment(id);
      return other ? [{ id, start: other.start, clinicianName: this.mirror.clinician(other.clinicianId)?.name ?? null }] : [];
    });
  }

  searchPatients(text: string, date: string, limit: number) {
    const query = parsePatientQuery(text, this.today());
    if (!query) return [];
    return this.mirror.searchPatients(query, date, limit).map((patient) => ({
      patient,
      appointmentsOnDate: this.mirror.appointmentsOfPatientOn(patient.id, date),
    }));
  }

  /** The practice's readiness for an outage, checked now (readiness.ts). Needs the data folder the desk was opened on. */
  readiness(printers: string[] | null = null, upkeepGiven?: ReadinessUpkeep) {
    const sources = this.readinessSources;
    if (!sources) throw new DeskError('unavailable', 'readiness is checked on a desk opened on a data folder');
    const upkeep = upkeepGiven ?? sources.upkeep?.();
    const mirror = this.mirrorInfo();
    return readinessOf(
      gatherReadinessFacts({
        dataDir: sources.dataDir,
        now: this.clock(),
        mirror,
        upstream: this.upstream.status(),
        group: this.group.status(),
        printers,
        recoverySheetPrintedAt: this.audit.recoverySheetPrintedAt(keyFingerprint(this.databaseKey())),
        lastDrillAt: this.drills.last()?.endedAt ?? null,
        backupSaved: this.practiceSettings.backupParts(),
        ...(upkeep ? { upkeep } : {}),
      }),
    );
  }

  /** This desk's database key, from its data folder (store/key.ts), for the recovery sheet and its readiness check. */
  private databaseKey(): string {
    const sources = this.readinessSources;
    if (!sources) throw new DeskError('unavailable', 'the recovery sheet is printed on a desk opened on a data folder');
    return resolveDatabaseKey(sources.dataDir);
  }

  /** The recovery sheet for whoever asks (desk/recovery/sheet.ts): a manager only, as printRecoverySheet's policy says. */
  recoverySheet(ctx: RequestContext): PrintDocument {
    const acting = this.auth.authorize('printRecoverySheet', ctx);
    return recoverySheetDocument({ practice: this.mirror.practice(), printedAt: this.clock().toISOString(), printedBy: acting.user, key: this.databaseKey() });
  }

  /**
   * A print record's detail. The recovery sheet's names the key's fingerprint, which readiness's key check looks for;
   * only a manager's counts, so no one else can make that check green by recording a print.
   */
  private printDetail(input: { sheet?: string | undefined }, ctx: RequestContext): unknown {
    if (input.sheet !== RECOVERY_SHEET) return input;
    this.auth.authorize('printRecoverySheet', ctx);
    return { ...input, keyFingerprint: keyFingerprint(this.databaseKey()) };
  }

  getMirrorStatus(): MirrorStatus {
    const dates = new Map<string, { date: string; total: number; byStatus: Partial<Record<DeskStatus, number>> }>();
    for (const row of this.mirror.countsByDate()) {
      const entry = dates.get(row.date) ?? { date: row.date, total: 0, byStatus: {} };
      entry.total += row.n;
      entry.byStatus[row.status] = row.n;
      dates.set(row.date, entry);
    }
    const counts = this.mirror.counts();
    return {
      practice: this.mirror.practice(),
      mirror: this.mirrorInfo(),
      upstream: this.upstream.status(),
      dates: [...dates.values()],
      patients: counts.patients,
      bookedPatients: counts.bookedPatients,
      clinicians: counts.clinicians,
      journal: { ...this.journal.summary(), deskChanges: this.merge.unmerged() },
    };
  }

  setAppointmentStatus(input: Parameters<ReceptionDesk['setStatus']>[0], ctx: RequestContext): Appointment {
    return this.reception.setStatus(input, ctx);
  }

  /**
   * Loads a whole book into the mirror (the demo, or a first import). Refuses when the desk has changes not yet
   * merged back: replacing the book would lose them. Incremental refresh that keeps local changes is the
   * mirror's own job (upstream/), not this.
   */
  loadBook(book: PracticeBook, source: string, ctx: RequestContext): { appointments: number; seq: number } {
    const result = this.db.transaction(() => {
      const local = this.mirror.locallyChangedCount();
      if (local > 0) {
        throw new DeskError('conflict', `the mirror holds ${local} appointment(s) changed at the desk and not yet merged back; it was not replaced`);
      }
      const localPatients = this.mirror.localPatientCount();
      if (localPatients > 0) {
        throw new DeskError('conflict', `the mirror holds ${localPatients} patient(s) registered at the desk and not yet merged back; it was not replaced`);
      }
      const now = this.clock().toISOString();
      this.mirror.replaceBook(book);
      // A whole book handed over (the demo) is as of the moment it is loaded.
      this.mirror.setMeta(META.asOf, now);
      this.mirror.setMeta(META.loadedAt, now);
      this.mirror.setMeta(META.source, source);
      const dates = [...new Set(book.appointments.map((a) => localDateOf(a.start)))].sort();
      const entry = this.journal.append({
        at: now,
        user: ctx.user,
        desk: ctx.desk,
        op: 'mirror.load',
        entity: 'mirror',
        entityId: null,
        before: null,
        after: { source, dates, appointments: book.appointments.length, patients: book.patients.length, clinicians: book.clinicians.length },
        baseVersion: null,
      });
      return { appointments: book.appointments.length, seq: entry.seq, asOf: now };
    });
    this.emit({ kind: 'mirror.replaced', seq: result.seq, asOf: result.asOf });
    return { appointments: result.appointments, seq: result.seq };
  }

  /** The filtered audit trail as a file; the export itself is the trail's newest entry (same transaction). */
  exportAudit(input: { format: 'csv' | 'json' } & Parameters<AuditTrail['list']>[0], ctx: RequestContext) {
    return this.db.transaction(() => {
      const { format, ...filter } = input;
      const entries = this.audit.list({ ...filter, limit: filter.limit ?? 5000 });
      const at = this.clock().toISOString();
      this.audit.append({ at, user: ctx.user, desk: ctx.desk, kind: 'export', detail: { what: 'audit', format, filter, entries: entries.length } });
      const stamp = fileStamp(at);
      return format === 'csv'
        ? { fileName: `standby-desk-audit-${stamp}.csv`, contentType: 'text/csv; charset=utf-8', content: auditCsv(entries), entries: entries.length }
        : { fileName: `standby-desk-audit-${stamp}.json`, contentType: 'application/json', content: JSON.stringify(entries, null, 2), entries: entries.length };
    });
  }

  /** The log file, rotated files included, oldest line first; audited like every export. */
  exportLog(ctx: RequestContext) {
    const at = this.clock().toISOString();
    const files = this.log?.files().length ?? 0;
    const content = this.log?.read() ?? '';
    this.audit.append({ at, user: ctx.user, desk: ctx.desk, kind: 'export', detail: { what: 'log', files } });
    return { fileName: `standby-desk-log-${fileStamp(at)}.txt`, contentType: 'text/plain; charset=utf-8', content, files };
  }

  /** Prints and exports made outside the contract (CLI, the app's print menu) are audited through here. */
  recordAudit(kind: 'print' | 'export' | 'import' | 'group', detail: unknown, ctx: RequestContext): void {
    this.audit.append({ at: this.clock().toISOString(), user: ctx.user, desk: ctx.desk, kind, detail });
  }

  /** Dates the mirror holds appointments for, for choosing what "the day" is when none was asked for. */
  mirrorDates(): string[] {
    return this.mirror.countsByDate().reduce<string[]>((dates, row) => (dates.includes(row.date) ? dates : [...dates, row.date]), []);
  }

  isEmpty(): boolean {
    return this.mirror.counts().appointments === 0 && this.mirror.practice() === null;
  }
}

/** 20260720T081400Z: an instant as it goes into an exported file's name. */
function fileStamp(iso: string): string {
  return iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}
