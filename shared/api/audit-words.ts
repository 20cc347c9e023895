/**
 * The audit trail in words, for the practice manager (issue 18 item 10): "09:12:04 Sam Jones (receptionist, desk
 * FRONT-1) checked in Ada Test's 09:10 with Dr Patel". Each entry is worded from what it records: a journal
 * entry's op (with the change the journal holds, when the reader has it), a sign-in, a print, an export. The
 * words for what a person did are kept per operation of the contract (OPERATION_WORDS, typed so a new operation
 * cannot be left out), and every audit record is traced back to the operation that wrote it; a record from
 * anything else (an op not known here) still reads as words, made from its name.
 *
 * Imports no value from the contract (only its types): the contract loads the auth operations, which this sits beside.
 */
import { CALLBACK_OUTCOME_LABEL, CONTACT_STATUS_LABEL, type CallbackOutcome, type ContactStatus } from '../domain/reception';
import { DESK_STATUS_LABEL, type DeskStatus } from '../domain/status';
import { formatUkDate, localDateOf, localTimeOf } from '../domain/time';
import { SHEET_CATALOGUE } from '../sheets/catalogue';
import type { AuditEntry, AuditKind } from './auth';
import type { JournalEntry, OperationName } from './contract';

/**
 * What each operation of the contract reads as when someone did it: past tense, after the person's name. Reads
 * are here too (the trail records none of them today, but a record that names one must still read as words).
 */
export const OPERATION_WORDS: { readonly [N in OperationName]: string } = {
  getDay: 'looked at the day',
  searchPatients: 'searched for a patient',
  setAppointmentStatus: 'changed an appointment',
  getMirrorStatus: "looked at the mirror's status",
  setMode: "switched the desk's mode",
  getJournal: 'read the journal',
  undoLastChange: 'undid the last change to an appointment',
  markSessionDna: "marked a session's no-shows as did not attend",
  undoSessionDna: "put a session's no-shows marked DNA back, all at once",
  registerWalkIn: 'registered a walk-in',
  cancelWalkInInError: 'took back a walk-in registered in error',
  findFreeSlots: 'looked for free slots',
  rebookAppointment: 'rebooked an appointment',
  getCallbackList: 'looked at the callback list',
  addAppointmentNote: 'added a note to an appointment',
  updatePatientContact: "changed a patient's phone number",
  bookAppointment: 'booked an appointment',
  recordPatientContact: 'recorded what came of messaging a patient',
  exportContactList: 'exported a patient contact list for batch messaging',
  setMessagePreference: "recorded whether a patient wants the practice's messages",
  getBacklog: "looked at the rebooking assistant's proposals",
  acceptBacklog: "booked the rebooking assistant's proposals",
  getDeskSettings: "looked at the desk's rules",
  getReadiness: "checked the practice's readiness",
  getDrill: 'looked at whether a drill is running',
  startDrill: 'started an outage drill',
  endDrill: 'ended an outage drill',
  setDeskSettings: "changed the desk's rules",
  getMergePlan: 'looked at the merge-back plan',
  resolveMergeConflict: 'settled a merge-back conflict',
  startMergeApply: 'started merging back into the clinical system',
  getWorklist: 'looked at the merge-back worklist',
  tickWorklistItem: 'ticked off a merge-back worklist item',
  getImpactReport: 'looked at the impact report',
  setMergeSettings: "changed merge-back's settings",
  getSession: 'checked who is signed in',
  signIn: 'signed in',
  signOut: 'signed out',
  lock: 'locked the screen',
  setUpFirstManager: 'set up the desk as its first practice manager',
  listUsers: 'looked at the users',
  addUser: 'added a user',
  setIdleLock: 'changed the screen-lock time',
  checkFolder: 'checked that a folder can be written',
  testFhirConnection: 'tested the connection to the clinical system',
  getFhirConnectionTest: 'read the connection test',
  completeSetup: 'set up Standby Desk for the practice',
  joinGroupInSetup: "joined the practice's desk group while setting up",
  getGroupSetup: "looked at the set-up's desk group",
  getSettings: "looked at the practice's settings",
  saveSettings: "changed the practice's settings",
  updateUser: 'changed a user',
  getAudit: 'read the audit trail',
  recordPrint: 'printed',
  printSheet: 'printed a sheet',
  printRecoverySheet: 'printed the recovery sheet (the database key)',
  exportAudit: 'exported the audit trail',
  exportLog: "exported the desk's log",
  getGroupStatus: "looked at the desk group's status",
  createPairingCode: 'showed a pairing code for a new desk',
  removeGroupMember: 'removed a desk from the group',
  takeOverGroup: 'took over as the group coordinator',
  carryOnAlone: 'carried on alone, out of the desk group',
  rejoinGroup: 'rejoined the desk group',
  getGroupReview: "looked at the group's changes to review",
  resolveGroupReviewItem: "settled one of the group's changes to review",
  exportGroupCertificate: "exported the group's certificate",
  getDisplayBoard: 'looked at the waiting-room board',
  recallPatient: 'called a patient again on the waiting-room display',
  getRoomSettings: 'looked at the room settings',
  setRoomSettings: 'changed the room settings',
  recordCallbackAttempt: 'tried calling a patient back',
  getDaySettings: "looked at the day's rules",
  setDaySettings: "changed the day's rules",
  previewFeedMapping: 'tried a feed mapping on a sample file',
  saveFeedMapping: "saved the practice's feed mapping",
  getFeedMapping: "looked at the practice's feed mapping",
};

/** The contract operation that writes each journal op (electron/desk: the actions, refresh, merge-back). */
export const JOURNAL_OP_OPERATION: Readonly<Record<string, OperationName>> = {
  'appointment.setStatus': 'setAppointmentStatus',
  'appointment.undo': 'undoLastChange',
  'appointment.walkIn': 'registerWalkIn',
  'walkIn.signpost': 'registerWalkIn',
  'appointment.book': 'bookAppointment',
  'appointment.rebook': 'rebookAppointment',
  'appointment.note': 'addAppointmentNote',
  'patient.contact': 'updatePatientContact',
  'desk.setMode': 'setMode',
  'merge.resolve': 'resolveMergeConflict',
  'merge.keyed': 'tickWorklistItem',
  'merge.dismiss': 'tickWorklistItem',
  'merge.complete': 'startMergeApply',
};

/** Journal ops the desk writes by itself (no one's operation): what happened, worded here. */
const DESK_JOURNAL_WORDS: Readonly<Record<string, string>> = {
  'mirror.load': 'loaded the book into the desk',
  'mirror.refresh': 'refreshed the book from the clinical system',
  'upstream.reachability': 'recorded whether the clinical system answers',
  'merge.purge': "removed the outage's patient data after the retention period",
};

/** The operation each kind of audit record comes from (a journal or import record: see its op). */
export const AUDIT_KIND_OPERATION: { readonly [K in AuditKind]: OperationName | null } = {
  journal: null,
  print: 'recordPrint',
  export: 'exportAudit',
  import: null,
  'sign-in': 'signIn',
  'sign-in-failed': 'signIn',
  'sign-out': 'signOut',
  lock: 'lock',
  unlock: 'signIn',
  'switch-user': 'signIn',
  'user-added': 'addUser',
  'user-changed': 'updateUser',
  'settings-changed': 'setIdleLock',
  group: null,
  callback: 'recordCallbackAttempt',
};

/** What the reader knows besides the audit record: all optional, each making the sentence fuller. */
export interface AuditWordsContext {
  /** A user's name and role as the users list has them. */
  person?: (username: string) => { name: string; role: string } | undefined;
  /** The journal entry an audit record points to (its before and after say what changed). */
  journal?: (seq: number) => JournalEntry | undefined;
  /** An appointment as a receptionist names it: "Ada Test's 09:10 with Dr Patel". */
  appointment?: (appointmentId: string) => string | undefined;
}

/** "setDeskSettings" → "set desk settings"; "merge.keyed" → "merge keyed": any name read as words. */
export function nameAsWords(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[._-]+/g, ' ')
    .trim()
    .toLowerCase();
}

/** An operation's words, for any name: a contract operation's own, else its name as words. */
export function operationWords(name: string): string {
  return Object.prototype.hasOwnProperty.call(OPERATION_WORDS, name) ? OPERATION_WORDS[name as OperationName] : `did "${nameAsWords(name)}"`;
}

type Detail = Readonly<Record<string, unknown>>;

function asDetail(value: unknown): Detail {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Detail) : {};
}
function str(detail: Detail, key: string): string | null {
  const value = detail[key];
  return typeof value === 'string' && value !== '' ? value : null;
}
function num(detail: Detail, key: string): number | null {
  const value = detail[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
function ukDate(value: string | null): string | null {
  return value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatUkDate(value) : value;
}

/** What a status change did, from the status it left the appointment in. */
const STATUS_WORDS: Readonly<Record<DeskStatus, string>> = {
  booked: 'put back to booked',
  arrived: 'checked in',
  late: 'checked in (late)',
  sent_in: 'sent in',
  quiet_sent_in: 'sent in quietly (not on the display)',
  seen: 'marked as seen',
  left: 'marked as left',
  walked_out: 'marked as walked out',
  dna: 'marked as did not attend',
  cancelled: 'cancelled',
};

function statusOf(value: unknown): DeskStatus | null {
  const status = asDetail(value)['status'];
  return typeof status === 'string' && Object.prototype.hasOwnProperty.call(STATUS_WORDS, status) ? (status as DeskStatus) : null;
}

/** A journal entry (a change to the book, or the desk's own doing) in words. */
function journalWords(detail: Detail, context: AuditWordsContext): string {
  const op = str(detail, 'op') ?? 'unknown';
  const seq = num(detail, 'journalSeq');
  const entry = seq === null ? undefined : context.journal?.(seq);
  const entityId = str(detail, 'entityId');
  const named = entityId === null ? undefined : context.appointment?.(entityId);
  const what = named ?? 'an appointment';
  const after = asDetail(entry?.after);
  switch (op) {
    case 'appointment.setStatus': {
      const status = statusOf(entry?.after);
      if (status === null) return `changed ${what}`;
      const reason = status === 'cancelled' ? str(after, 'reason') : null;
      // markSessionDna writes its batch as { id, kind: 'session-dna', ... } on each entry (actions/reception.ts).
      const batch = status === 'dna' && str(asDetail(after['batch']), 'kind') === 'session-dna' ? " with the session's other no-shows" : '';
      return `${STATUS_WORDS[status]} ${what}${batch}${reason === null ? '' : ` (${reason})`}`;
    }
    case 'appointment.undo': {
      const status = statusOf(entry?.after);
      const together = str(asDetail(after['batch']), 'kind') === 'session-dna-undo' ? " with the session's other no-shows" : '';
      return `undid the last change to ${what}${together}${status === null ? '' : `, back to ${DESK_STATUS_LABEL[status]}`}`;
    }
    case 'appointment.walkIn':
      return named === undefined ? 'registered a walk-in' : `registered a walk-in: ${named}`;
    case 'walkIn.signpost': {
      const to = str(after, 'signpostedTo');
      return `signposted a walk-in elsewhere${to === null ? '' : ` (to ${to})`}`;
    }
    case 'appointment.book':
      return named === undefined ? 'booked an appointment' : `booked ${named}`;
    case 'appointment.rebook': {
      const booked = asDetail(after['booked']);
      const start = str(booked, 'start');
      return `rebooked ${what}${start === null ? '' : ` to ${formatUkDate(localDateOf(start))} ${localTimeOf(start)}`}`;
    }
    case 'appointment.note':
      return `added a note to ${what}`;
    case 'patient.contact':
      return "changed a patient's phone number";
    case 'desk.setMode': {
      const mode = str(after, 'mode');
      return mode === 'outage' ? 'switched the desk to outage mode' : mode === 'online' ? 'switched the desk back online' : "switched the desk's mode";
    }
    case 'merge.dismiss': {
      const reason = str(detail, 'reason');
      return `set a merge-back item aside${reason === null ? '' : ` (${reason})`}`;
    }
    case 'merge.keyed':
      return 'keyed a merge-back item into the clinical system';
    default: {
      const desk = DESK_JOURNAL_WORDS[op];
      if (desk !== undefined) return desk;
      const operation = JOURNAL_OP_OPERATION[op];
      return operation === undefined ? `recorded "${nameAsWords(op)}"` : OPERATION_WORDS[operation];
    }
  }
}

function sheetTitle(sheet: string | null): string | null {
  if (sheet === null) return null;
  if (sheet === 'outage-pack') return 'the outage pack';
  const entry = (SHEET_CATALOGUE as Readonly<Record<string, { title: string } | undefined>>)[sheet];
  return entry === undefined ? nameAsWords(sheet) : entry.title.replace(/^The /, '').replace(/^./, (c) => c.toLowerCase());
}

function printWords(detail: Detail): string {
  const what = str(detail, 'what');
  if (what === 'screen') return 'printed the screen';
  const title = sheetTitle(str(detail, 'sheet'));
  const from = str(detail, 'from');
  const date = ukDate(str(detail, 'date'));
  const dates = Array.isArray(detail['dates']) ? detail['dates'].length : null;
  const automatic = detail['automatic'] === true ? ' (automatically)' : '';
  if (title === 'the outage pack') return `printed the outage pack${dates === null ? '' : ` for ${plural(dates, 'day')}`}${automatic}`;
  const name = title === null ? 'a sheet' : `the ${from === null ? '' : 'rest-of-day '}${title}`;
  return `printed ${name}${from === null ? '' : ` from ${from}`}${date === null ? '' : ` for ${date}`}${automatic}`;
}

const SETTING_WORDS: Readonly<Record<string, string>> = {
  idleLockMinutes: 'the screen-lock time',
  rooms: 'the room settings',
  desk: "the desk's rules",
  day: "the day's rules (the late rule)",
  'feed-mapping': "the practice's feed mapping (the watched folder's columns)",
  practice: "the practice's settings (book source, pack and backup folders)",
  merge: "merge-back's settings (what the clinical system takes, how long outage data is kept, the claim's minutes and costs)",
};

const GROUP_WORDS: Readonly<Record<string, string>> = {
  'group-created': 'created the desk group',
  'pairing-code': 'showed a pairing code for a new desk',
  'pairing-refused': "refused a desk's pairing",
  'member-joined': 'let a desk join the group',
  'member-rejoined': 'let a desk rejoin the group',
  'member-removed': 'removed a desk from the group',
  left: 'left the desk group',
  'take-over': 'took over as the group coordinator',
  'carry-on-alone': 'carried on alone, out of the desk group',
  rejoin: 'rejoined the desk group',
  fenced: 'stood down: another desk took over the group',
};

/** What the person did, as words after their name ("checked in Ada Test's 09:10 with Dr Patel"). */
export function describeAuditEntry(entry: Pick<AuditEntry, 'kind' | 'detail'>, context: AuditWordsContext = {}): string {
  const detail = asDetail(entry.detail);
  switch (entry.kind) {
    case 'journal':
    case 'import':
      if (str(detail, 'op') !== null) return journalWords(detail, context);
      if (entry.kind === 'import')
        return `imported ${str(detail, 'file') ?? 'a file'}${num(detail, 'appointments') === null ? '' : ` (${plural(num(detail, 'appointments') ?? 0, 'appointment')})`}`;
      return 'changed the book';
    case 'print':
      return printWords(detail);
    case 'export': {
      const what = str(detail, 'what');
      return what === 'log' ? OPERATION_WORDS.exportLog : what === null || what === 'audit' ? OPERATION_WORDS.exportAudit : `exported ${sheetTitle(what) ?? nameAsWords(what)}`;
    }
    case 'sign-in':
      return OPERATION_WORDS.signIn;
    case 'sign-in-failed': {
      const reason = str(detail, 'reason');
      return reason === 'locked-out' ? 'tried to sign in while locked out' : 'failed to sign in';
    }
    case 'sign-out':
      return OPERATION_WORDS.signOut;
    case 'lock':
      return str(detail, 'reason') === 'idle' ? `left the desk idle: the screen locked after ${plural(num(detail, 'minutes') ?? 0, 'minute')}` : OPERATION_WORDS.lock;
    case 'unlock':
      return 'unlocked the screen';
    case 'switch-user': {
      const from = str(detail, 'from');
      return `signed in in place of ${from === null ? 'the last user' : (context.person?.(from)?.name ?? from)}`;
    }
    case 'user-added': {
      const username = str(detail, 'username');
      return detail['firstRun'] === true
        ? OPERATION_WORDS.setUpFirstManager
        : `added the user ${username ?? ''}`.trim() + (str(detail, 'role') === null ? '' : ` (${str(detail, 'role')})`);
    }
    case 'user-changed':
      return `changed the user ${str(detail, 'username') ?? ''}`.trim();
    case 'settings-changed': {
      const setting = str(detail, 'setting');
      if (setting === 'idleLockMinutes') return `changed the screen-lock time to ${plural(num(detail, 'to') ?? 0, 'minute')}`;
      return `changed ${setting === null ? 'a setting' : (SETTING_WORDS[setting] ?? nameAsWords(setting))}`;
    }
    case 'group': {
      const what = str(detail, 'what');
      return what === null ? 'changed the desk group' : (GROUP_WORDS[what] ?? `did "${nameAsWords(what)}" in the desk group`);
    }
    case 'callback': {
      const outcome = str(detail, 'outcome');
      const appointmentId = str(detail, 'appointmentId');
      const who = appointmentId === null ? undefined : context.appointment?.(appointmentId);
      const status = str(detail, 'status');
      if (typeof detail['declinesMessages'] === 'boolean')
        return detail['declinesMessages'] ? 'recorded that a patient does not want messages' : 'recorded that a patient may be messaged again';
      if (status !== null) {
        const said = Object.prototype.hasOwnProperty.call(CONTACT_STATUS_LABEL, status) ? CONTACT_STATUS_LABEL[status as ContactStatus] : status;
        return `recorded messaging ${who ?? 'a patient'}: ${said.toLowerCase()}`;
      }
      const label = outcome !== null && Object.prototype.hasOwnProperty.call(CALLBACK_OUTCOME_LABEL, outcome) ? CALLBACK_OUTCOME_LABEL[outcome as CallbackOutcome] : null;
      return `tried calling back ${who ?? 'a patient'}${label === null ? '' : `: ${label.toLowerCase()}`}`;
    }
  }
}

/** The audit's instants as the practice reads them: London time to the second. */
const LONDON_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** "Sam Jones (receptionist, desk FRONT-1)", or the username when the reader does not know them. */
export function auditActor(entry: Pick<AuditEntry, 'user' | 'desk'>, context: AuditWordsContext = {}): string {
  const person = context.person?.(entry.user);
  const who = person === undefined ? entry.user : person.name;
  return `${who} (${person === undefined ? '' : `${person.role}, `}desk ${entry.desk})`;
}

/** The whole line: "09:12:04 Sam Jones (receptionist, desk FRONT-1) checked in Ada Test's 09:10 with Dr Patel". */
export function auditSentence(entry: Pick<AuditEntry, 'at' | 'user' | 'desk' | 'kind' | 'detail'>, context: AuditWordsContext = {}): string {
  return `${LONDON_TIME.format(new Date(entry.at))} ${auditActor(entry, context)} ${describeAuditEntry(entry, context)}`;
}
