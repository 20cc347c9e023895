/**
 * What a SystmOne extract's two list files say of each patient beyond SRPatient, read as the open-source
 * transformer reads them (endeavourhealth/Transforms, transform/tpp/csv/transforms/patient/
 * SRPatientAddressHistoryTransformer.java and SRPatientRegistrationTransformer.java):
 *
 *   SRPatientAddressHistory  -> the current address: a row is current until its DateTo; of the current rows, a home
 *                               one (AddressType "Home", or none: the transformer's fallback), else a temporary one,
 *                               the latest DateEvent winning. Lines: NameOfBuilding, NumberOfBuilding NameOfRoad,
 *                               NameOfLocality, NameOfTown, NameOfCounty, FullPostCode (the EMIS patient file's order).
 *   SRPatientRegistration    -> registered now (a registration here, IDOrganisation blank or the practice, without a
 *                               DateDeRegistration on or before the extract's date) and as what: RegistrationStatus
 *                               holds the type ("GMS", "Temporary Resident < 16 days", "GMS,Contraception"); of
 *                               several, the most significant, ranked as the transformer ranks them.
 *
 * Both files are optional. A row for a patient who is not there, or with a date or type the desk cannot read, is
 * refused naming its file, row and column; skipped (--skip-invalid), its patient is left out of the batch, as a
 * patient row that cannot be read is, so the mirror keeps what it had rather than take a half-read address.
 */
import type { Problems } from '../batch';
import { londonWallClock } from '../time';
import { squash } from '../vocabulary';
import { joinAddress, joinName, rejectRow, RowRejected } from './common';
import { s1DateTime } from './systmone-words';
import type { Table, TableRow } from './table';

export interface SystmOneListFacts {
  /** The current address of each patient the address file has rows for (null: none current); null without the file. */
  addressOf: Map<string, string | null> | null;
  /** Each patient with a registration here in the registration file; null without the file. */
  registrationOf: Map<string, { current: boolean; temporary: boolean }> | null;
  /** Patients one of whose rows was refused (and listed): left out of the batch. */
  unreadable: Set<string>;
  /** What the person importing should know: a delta's rows for patients its SRPatient does not repeat. */
  notes: string[];
}

export interface SystmOneListContext {
  problems: Problems;
  /** The patient file's name and its patients (present or marked removed), for the messages. */
  patientTable: Table;
  /** Whether a patient id may be referred to: in SRPatient, or (a delta) in the mirror. */
  known: (patientId: string) => boolean;
  /** Whether SRPatient carries the patient: a delta's rows for others are noted, not applied. */
  carried: (patientId: string) => boolean;
  delta: boolean;
  /** The extract's London date: a DateTo or DateDeRegistration on or before it has ended. null: any has ended. */
  today: string | null;
  /** The practice's organisation (IDOrganisationVisibleTo): a registration at another is not the practice's. */
  practiceOds: string | null;
}

type AddressKind = 'home' | 'temporary' | 'other';
/** The transformer's address terms (TppMappingRef) and what the desk takes them as. */
const ADDRESS_KINDS: ReadonlyMap<string, AddressKind> = new Map([
  ['home', 'home'],
  ['temporary', 'temporary'],
  ['official', 'other'],
  ['correspondenceonly', 'other'],
]);

/**
 * Registration types (mapToFhirRegistrationType's words, squashed), most significant first as it ranks several:
 * GMS, emergency, applied (pre-registration), private, temporary, immediately necessary; the rest after.
 */
const REGISTRATION_RANK: ReadonlyMap<string, number> = new Map([
  ['gms', 0],
  ['standard', 0],
  ['emergency', 1],
  ['applied', 2],
  ['private', 3],
  ['temporary', 4],
  ['temporaryresident16days', 4],
  ['temporaryresident16daysto3months', 4],
  ['temporaryresidenttelephoneconsultation', 4],
  ['immediatelynecessary', 5],
  ['immediatelynecessarytreatment', 5],
  ['minorsurgery', 6],
  ['contraception', 6],
  ['childhealthsurveillance', 6],
  ['maternity', 6],
  ['walkinpatient', 6],
  ['other', 6],
  ['patient', 6],
  ['incomplete', 6],
  ['remotelyregistered', 6],
]);
const TEMPORARY_RANK = 4;

export function readSystmOneListFiles(address: Table | undefined, registration: Table | undefined, ctx: SystmOneListContext): SystmOneListFacts {
  const facts: SystmOneListFacts = { addressOf: null, registrationOf: null, unreadable: new Set(), notes: [] };
  /** Reads each row: its patient (checked) or null for a row the facts do not take; a refused row taints its patient. */
  const eachRow = (table: Table, read: (row: TableRow, patientId: string) => void): void => {
    let notCarried = 0;
    for (const row of table.rows) {
      const patientId = row.cell('IDPatient');
      try {
        if (!patientId) rejectRow(ctx.problems, table.file.name, row, null, null, 'IDPatient', 'is empty');
        if (!ctx.known(patientId)) {
          const removed = ctx.patientTable.removed.some((r) => r.cell('RowIdentifier') === patientId);
          const where = ctx.patientTable.file.name;
          rejectRow(
            ctx.problems,
            table.file.name,
            row,
            'Patient',
            patientId,
            'IDPatient',
            removed
              ? `refers to patient ${patientId}, whom ${where} marks removed`
              : `refers to patient ${patientId}, who is not in ${where}${ctx.delta ? ' nor in the mirror' : ''}`,
          );
        }
        if (!ctx.carried(patientId)) {
          notCarried++;
          continue;
        }
        read(row, patientId);
      } catch (error) {
        if (!(error instanceof RowRejected)) throw error;
        if (patientId) facts.unreadable.add(patientId);
      }
    }
    if (notCarried > 0) {
      facts.notes.push(`${table.file.name}: ${notCarried} rows are for patients this delta's SRPatient does not repeat: not applied until an extract carries those patients`);
    }
  };
  const dateIn = (table: Table, row: TableRow, patientId: string, column: string): { date: string; instant: string | null } | null => {
    const text = row.cell(column);
    if (text === '') return null;
    const at = s1DateTime(text);
    if (at === null) rejectRow(ctx.problems, table.file.name, row, 'Patient', patientId, column, `"${text}" is a date in an unknown form (SystmOne writes 01 Jul 2026)`);
    return at;
  };
  /** Ended on or before the extract's date (or whenever, when that date is unknown). */
  const ended = (end: { date: string } | null): boolean => end !== null && (ctx.today === null || end.date <= ctx.today);

  if (address) {
    const best = new Map<string, { kind: AddressKind; from: string; line: string | null }>();
    const addressOf = new Map<string, string | null>();
    eachRow(address, (row, patientId) => {
      const file = address.file.name;
      const typeText = row.cell('AddressType');
      // A number is a code in SRMapping, which the desk does not read: taken as home, the transformer's fallback.
      const kind: AddressKind | undefined = typeText === '' || /^-?\d+$/.test(typeText) ? 'home' : ADDRESS_KINDS.get(squash(typeText));
      if (kind === undefined) {
        rejectRow(
          ctx.problems,
          file,
          row,
          'Patient',
          patientId,
          'AddressType',
          `"${typeText}" is not a SystmOne address type the desk knows (Home, Temporary, Official, Correspondence only)`,
        );
      }
      const from = dateIn(address, row, patientId, 'DateEvent');
      const to = dateIn(address, row, patientId, 'DateTo');
      if (!addressOf.has(patientId)) addressOf.set(patientId, null);
      if (ended(to) || kind === 'other') return;
      const fromKey = from ? (from.instant ?? londonWallClock(from.date, 0, 0)) : '';
      const held = best.get(patientId);
      const better = !held || (kind === 'home' && held.kind !== 'home') || (kind === held.kind && fromKey >= held.from);
      if (!better) return;
      const line = joinAddress(
        row.cell('NameOfBuilding'),
        joinName(row.cell('NumberOfBuilding'), row.cell('NameOfRoad')),
        row.cell('NameOfLocality'),
        row.cell('NameOfTown'),
        row.cell('NameOfCounty'),
        row.cell('FullPostCode'),
      );
      best.set(patientId, { kind, from: fromKey, line });
    });
    for (const [id, b] of best) addressOf.set(id, b.line);
    facts.addressOf = addressOf;
  }

  if (registration) {
    const rankOf = new Map<string, number>();
    const registrationOf = new Map<string, { current: boolean; temporary: boolean }>();
    eachRow(registration, (row, patientId) => {
      const file = registration.file.name;
      // A registration elsewhere (the feed carries them) says nothing of this practice's list; blank means here.
      const at = row.cell('IDOrganisation').toUpperCase();
      const here = row.cell('IDOrganisationVisibleTo').toUpperCase() || ctx.practiceOds;
      if (at !== '' && here !== null && at !== here) return;
      const typeText = row.cell('RegistrationStatus');
      let rank = REGISTRATION_RANK.get('other') ?? 6;
      if (typeText !== '') {
        const ranks = typeText.split(',').map((word) => REGISTRATION_RANK.get(squash(word)));
        const unknown = ranks.findIndex((r) => r === undefined);
        if (unknown >= 0) {
          rejectRow(
            ctx.problems,
            file,
            row,
            'Patient',
            patientId,
            'RegistrationStatus',
            `"${typeText.split(',')[unknown]?.trim() ?? ''}" is not a SystmOne registration type the desk knows`,
          );
        }
        rank = Math.min(...ranks.map((r) => r ?? 6));
      }
      dateIn(registration, row, patientId, 'DateRegistration');
      const current = !ended(dateIn(registration, row, patientId, 'DateDeRegistration'));
      const held = registrationOf.get(patientId) ?? { current: false, temporary: false };
      if (current && rank < (rankOf.get(patientId) ?? Infinity)) {
        rankOf.set(patientId, rank);
        held.temporary = rank === TEMPORARY_RANK;
      }
      held.current ||= current;
      registrationOf.set(patientId, held);
    });
    facts.registrationOf = registrationOf;
  }
  return facts;
}
