/**
 * A SystmOne-shaped Strategic Reporting extract (TPP's bulk CSV files; columns as FEEDS.md lists them from the
 * open-source parsers) into an UpstreamBatch, the same batch the FHIR and CSV readers make.
 *
 *   SRAppointment            -> appointment (status from AppointmentStatus, arrival and "seen" times), and its
 *                               rota as the session (IDRota, RotaName, RotaLocation, IDRotaOwner)
 *   SRPatient                -> the patients the appointments are for
 *   SRPatientContactDetails  -> their phone (the latest mobile, else the latest number)
 *   SRPatientAddressHistory  -> when present: their current address (systmone-list.ts)
 *   SRPatientRegistration    -> when present: who is registered now, and who as a temporary resident (systmone-list.ts)
 *   SRStaffMember(+Profile)  -> clinician names and roles, when present (else the id stands as the name)
 *   SRRotaSlot               -> accepted and checked, not mirrored: its slots have a type, length and count but
 *                               no time, so they cannot be placed in the day
 *   SRManifest               -> when present: whether each file is a delta, and the extract's time
 *
 * Files are Windows-1252; dates "dd MMM yyyy HH:mm:ss". Rows with RemovedData set are left out. A full extract is
 * the whole book for its appointments' dates; a delta adds and changes, and removes the appointments it marks
 * removed (nothing for being absent from it: the refresh keeps one the desk has changed, beside upstream's removal),
 * and its rows may refer to patients, staff and rotas the mirror already holds from upstream without repeating them;
 * a patient it carries without address or registration rows keeps the mirror's address and temporary residence.
 * A rota's own times are in SRRota, which is not among the files read: a session's bounds are its appointments'.
 */
import {
  FHIR_STATUS_OF,
  localDateOf,
  withNhsNumberStatus,
  type Appointment,
  type Clinician,
  type DeskStatus,
  type Patient,
  type Practice,
  type Session,
} from '../../../../shared/domain';
import { earliestKnown, emptyBatch, type PatientListing, type UpstreamBatch } from '../batch';
import { londonWallClock } from '../time';
import { deskStatusFromWord, roleFrom, squash } from '../vocabulary';
import { expectedOds, extractError, extractItem, joinName, rejectRow, RowRejected, sexOf, type ExtractReadOptions } from './common';
import { SYSTMONE_LAYOUTS } from './layouts';
import { S1_STATUS, s1DateTime } from './systmone-words';
import { readSystmOneListFiles } from './systmone-list';
import { isTrue, readTable, type ExtractFile, type Table, type TableRow } from './table';

const SPECS = SYSTMONE_LAYOUTS;
type S1File = keyof typeof SPECS;
const REQUIRED_FILES: readonly S1File[] = ['SRAppointment', 'SRPatient', 'SRPatientContactDetails'];
const BY_STEM = new Map<string, S1File>(Object.keys(SPECS).map((k) => [k.toLowerCase(), k as S1File]));

/** Which file of a SystmOne extract a file is ("SRAppointment.csv", "SRAppointment_20260720.csv"); null if not read. */
function systmOneFileOf(baseName: string): S1File | null {
  const stem = /^(SR[A-Za-z]+)/i.exec(baseName)?.[1]?.toLowerCase();
  return stem === undefined ? null : (BY_STEM.get(stem) ?? null);
}

export function readSystmOneExtract(files: readonly ExtractFile[], options: ExtractReadOptions): UpstreamBatch {
  const { problems } = options;
  const found = new Map<S1File, ExtractFile>();
  for (const f of files) {
    const kind = systmOneFileOf(f.baseName);
    if (kind === null) continue;
    const before = found.get(kind);
    if (before) throw extractError(f.name, 'the file', 'file', `is a second ${SPECS[kind].label} (the first is ${before.name}); give one extract at a time`);
    found.set(kind, f);
  }
  const setName = files.length ? [...new Set(files.map((f) => f.name.split('/')[0] ?? f.name))].join(', ') : 'the extract';
  for (const kind of REQUIRED_FILES) {
    if (!found.has(kind)) {
      throw extractError(setName, 'the extract', 'file', `${SPECS[kind].label} is missing; a SystmOne extract needs ${REQUIRED_FILES.map((k) => SPECS[k].label).join(', ')}`);
    }
  }
  const tables = new Map<S1File, Table>();
  for (const [kind, f] of found) tables.set(kind, readTable(f, SPECS[kind], 'windows-1252', problems));
  const must = (kind: S1File): Table => {
    const t = tables.get(kind);
    if (!t) throw new Error(`${kind} was checked above`);
    return t;
  };
  const appointmentTable = must('SRAppointment');
  const patientTable = must('SRPatient');
  const contactTable = must('SRPatientContactDetails');

  const batch = emptyBatch(options.source);
  const notes = [...tables.values()].map((t) => `${t.file.name}: ${t.layout}; ${t.rows.length} rows, ${t.removed.length} marked removed`);
  batch.notes = notes;

  // ---- the manifest: a delta, and when the extract was made
  const manifest = tables.get('SRManifest');
  const manifestRow = manifest?.rows.find((r) => systmOneFileOf(r.cell('FileName')) === 'SRAppointment');
  const delta = manifestRow ? isTrue(manifestRow.cell('IsDelta')) : false;
  const mirrored = options.mirrored ?? (() => false);
  let extractedAt: string | null = null;
  if (manifest && manifestRow && manifest.columns.has('DateExtractTo') && manifestRow.cell('DateExtractTo') !== '') {
    const at = s1DateTime(manifestRow.cell('DateExtractTo'));
    if (at === null)
      throw extractError(
        manifest.file.name,
        manifestRow.where,
        'DateExtractTo',
        `"${manifestRow.cell('DateExtractTo')}" is a date in an unknown form (SystmOne writes 01 Jul 2026 09:30:00)`,
      );
    extractedAt = at.instant ?? londonWallClock(at.date, 0, 0);
  }

  // ---- whose extract: every row of the practice's files is visible to one organisation, the practice's ODS code
  const wanted = expectedOds(options);
  const practiceOds = wanted ?? (appointmentTable.rows[0]?.cell('IDOrganisationVisibleTo').toUpperCase() || null);
  for (const t of [appointmentTable, patientTable, tables.get('SRRotaSlot'), tables.get('SRPatientAddressHistory'), tables.get('SRPatientRegistration')]) {
    if (!t || !t.columns.has('IDOrganisationVisibleTo')) continue;
    for (const row of t.rows) {
      const org = row.cell('IDOrganisationVisibleTo').toUpperCase();
      if (practiceOds !== null && org !== '' && org !== practiceOds) {
        const whose = wanted !== null ? `this desk is for the practice ${wanted}` : `this extract's first appointment is for ${practiceOds}`;
        throw extractError(t.file.name, row.where, 'IDOrganisationVisibleTo', `is ${org}, but ${whose}: the file is from another practice`);
      }
    }
  }
  if (practiceOds !== null) {
    const orgRow = tables.get('SROrganisation')?.rows.find((r) => r.cell('ID').toUpperCase() === practiceOds);
    const practice: Practice = { id: practiceOds, name: (orgRow?.cell('Name') || 'Practice').slice(0, 200), odsCode: practiceOds.slice(0, 10) };
    batch.practice = extractItem(
      'Organization',
      practice.id,
      orgRow?.raw ?? { IDOrganisationVisibleTo: practiceOds },
      practice,
      tables.get('SROrganisation')?.file.name ?? appointmentTable.file.name,
      orgRow?.where ?? 'row 2',
    );
  }

  // ---- staff
  const staff = new Map<string, TableRow>();
  for (const row of tables.get('SRStaffMember')?.rows ?? []) staff.set(row.cell('RowIdentifier'), row);
  const profiles = new Map<string, TableRow>();
  const profileOfStaff = new Map<string, TableRow>();
  for (const row of tables.get('SRStaffMemberProfile')?.rows ?? []) {
    profiles.set(row.cell('RowIdentifier'), row);
    if (!profileOfStaff.has(row.cell('IDStaffMember'))) profileOfStaff.set(row.cell('IDStaffMember'), row);
  }
  const staffTable = tables.get('SRStaffMember');
  const clinicianFrom = (id: string, profileId: string, row: TableRow, column: string): void => {
    if (batch.clinicians.has(id)) return;
    const member = staff.get(id);
    // In a delta, a clinician the staff files do not repeat is the mirror's as it is: not renamed to their id.
    if (!member && delta && mirrored('Practitioner', id)) return;
    if (staffTable && !member)
      rejectRow(
        problems,
        appointmentTable.file.name,
        row,
        'Appointment',
        row.cell('RowIdentifier') || null,
        column,
        `refers to staff member ${id}, who is not in ${staffTable.file.name}`,
      );
    const profile = profiles.get(profileId) ?? profileOfStaff.get(id);
    const clinician: Clinician = {
      id,
      name: (member?.cell('StaffName') || id).slice(0, 200),
      role: profile ? (roleFrom(profile.cell('StaffRole')) ?? 'other') : 'other',
      room: null,
    };
    batch.clinicians.set(
      id,
      extractItem(
        'Practitioner',
        id,
        { member: member?.raw ?? null, profile: profile?.raw ?? null },
        clinician,
        staffTable?.file.name ?? appointmentTable.file.name,
        member?.where ?? row.where,
      ),
    );
  };

  // ---- patients and their phones
  const patientRows = new Map<string, TableRow>();
  for (const row of patientTable.rows) patientRows.set(row.cell('RowIdentifier'), row);
  // When the extract was made: what "current" means for an address or a registration.
  batch.asOf = earliestKnown([extractedAt, ...[...tables.values()].map((t) => t.file.modifiedAt)]);
  const registrations = tables.get('SRPatientRegistration');
  const list = readSystmOneListFiles(tables.get('SRPatientAddressHistory'), registrations, {
    problems,
    patientTable,
    known: (id) => patientRows.has(id) || (delta && mirrored('Patient', id)),
    carried: (id) => patientRows.has(id),
    delta,
    today: batch.asOf === null ? null : localDateOf(batch.asOf),
    practiceOds,
  });
  notes.push(...list.notes);
  const phones = new Map<string, { number: string; mobile: boolean; at: string }>();
  for (const row of contactTable.rows) {
    const number = row.cell('ContactNumber');
    if (!number) continue;
    const at = s1DateTime(row.cell('DateEvent'))?.instant ?? '';
    const mobile = squash(row.cell('ContactType')).includes('mobile');
    const held = phones.get(row.cell('IDPatient'));
    // A mobile first (the desk texts), then the latest.
    if (!held || (mobile && !held.mobile) || (mobile === held.mobile && at >= held.at)) phones.set(row.cell('IDPatient'), { number, mobile, at });
  }
  /** Each patient is read once, however many appointments they have: a bad row is listed once. */
  const triedPatients = new Set<string>();
  const readPatient = (id: string): void => {
    const row = patientRows.get(id);
    if (!row || triedPatients.has(id)) return;
    triedPatients.add(id);
    // One of its address or registration rows was refused (and listed): the mirror keeps the patient as it was.
    if (list.unreadable.has(id)) throw new RowRejected();
    const file = patientTable.file.name;
    const reject = (column: string, message: string): never => rejectRow(problems, file, row, 'Patient', id, column, message);
    const family = row.cell('Surname');
    if (!family) reject('Surname', 'is empty: a patient needs a family name');
    const dobText = row.cell('DateBirth');
    const dob = dobText === '' ? null : (s1DateTime(dobText)?.date ?? null);
    if (dobText !== '' && dob === null) reject('DateBirth', `"${dobText}" is a date in an unknown form (SystmOne writes 01 Jul 2026)`);
    const sex = sexOf(row.cell('Gender'));
    if (sex === null) reject('Gender', `"${row.cell('Gender')}" is not F, M, I or U`);
    const phone = phones.get(id)?.number ?? null;
    const patient: Patient = withNhsNumberStatus({
      id,
      nhsNumber: row.cell('NHSNumber') ? row.cell('NHSNumber').slice(0, 20) : null,
      familyName: family.slice(0, 100),
      givenName: joinName(row.cell('FirstName'), row.cell('MiddleNames')).slice(0, 100),
      dateOfBirth: dob,
      sex: sex ?? 'unknown',
      phone: phone === null ? null : phone.slice(0, 40),
      flags: [],
    });
    const deathText = row.cell('DateDeath');
    if (deathText !== '' && s1DateTime(deathText) === null) reject('DateDeath', `"${deathText}" is a date in an unknown form (SystmOne writes 01 Jul 2026)`);
    const registration = list.registrationOf?.get(id);
    const listing: PatientListing = {
      deceased: deathText !== '',
      temporaryResident: registration?.temporary ?? false,
      address: list.addressOf?.get(id) ?? null,
    };
    // A delta without rows on them says nothing of the address or the registration: the mirror's stand.
    const unsaid = delta ? ([list.addressOf?.has(id) ? null : 'address', registration ? null : 'temporaryResident'] as const).filter((f) => f !== null) : [];
    if (unsaid.length > 0) listing.keep = unsaid;
    batch.listings?.set(id, listing);
    batch.patients.set(id, extractItem('Patient', id, { patient: row.raw, phone }, patient, file, row.where, listing));
  };
  // The practice list. A full extract's SRPatient is the whole list: every patient row, or with SRPatientRegistration,
  // those registered now (one whose registration has ended is read only if booked, as not on the list). A delta's
  // holds the patients that changed, so it updates them and removes nobody.
  batch.patientList = delta ? 'referenced' : 'whole';
  batch.listings = new Map();
  const registeredNow = (id: string) => delta || !list.registrationOf || list.registrationOf.get(id)?.current === true;
  if (!delta && list.registrationOf) {
    batch.notOnList = new Set(appointmentTable.rows.map((r) => r.cell('IDPatient')).filter((id) => patientRows.has(id) && !registeredNow(id)));
  }
  for (const id of [...patientRows.keys()].filter(registeredNow)) {
    try {
      readPatient(id);
    } catch (error) {
      if (!(error instanceof RowRejected)) throw error;
    }
  }

  // ---- appointments, and their rotas as sessions
  const dates = new Set<string>();
  const rotas = new Map<string, { row: TableRow; clinicianId: string; start: string; end: string }>();
  for (const row of appointmentTable.rows) {
    const id = row.cell('RowIdentifier');
    const file = appointmentTable.file.name;
    const reject = (column: string, message: string): never => rejectRow(problems, file, row, 'Appointment', id || null, column, message);
    const when = (column: string, required: boolean): string | null => {
      const text = row.cell(column);
      if (text === '') {
        if (required) reject(column, 'is empty');
        return null;
      }
      const at = s1DateTime(text);
      if (at === null || at.instant === null) return reject(column, `"${text}" is a date in an unknown form (SystmOne writes 01 Jul 2026 09:30:00)`);
      return at.instant;
    };
    try {
      if (!id) reject('RowIdentifier', 'is empty');
      const twice = batch.appointments.get(id);
      if (twice) reject('RowIdentifier', `appointment ${id} is also on ${twice.where}`);
      const start = when('DateStart', true) ?? '';
      const end = when('DateEnd', true) ?? '';
      if (end < start) reject('DateEnd', 'ends before it starts');
      const patientId = row.cell('IDPatient');
      // A delta holds only the patients that changed: the others are the mirror's.
      const patientMirrored = delta && !patientRows.has(patientId) && mirrored('Patient', patientId);
      if (!patientRows.has(patientId) && !patientMirrored) {
        reject(
          'IDPatient',
          patientId === ''
            ? 'is empty'
            : patientTable.removed.some((r) => r.cell('RowIdentifier') === patientId)
              ? `refers to patient ${patientId}, whom ${patientTable.file.name} marks removed`
              : `refers to patient ${patientId}, who is not in ${patientTable.file.name}${delta ? ' nor in the mirror' : ''}`,
        );
      }
      try {
        readPatient(patientId);
      } catch (error) {
        if (!(error instanceof RowRejected)) throw error;
      }
      if (!batch.patients.has(patientId) && !patientMirrored) reject('IDPatient', `refers to patient ${patientId}, who could not be read (see ${patientTable.file.name})`);
      const clinicianColumn = row.cell('IDClinician') ? 'IDClinician' : 'IDRotaOwner';
      const clinicianId = row.cell(clinicianColumn);
      if (!clinicianId) reject('IDClinician', 'is empty, and so is IDRotaOwner');
      clinicianFrom(clinicianId, row.cell(clinicianColumn === 'IDClinician' ? 'IDProfileClinician' : 'IDProfileRotaOwner'), row, clinicianColumn);
      const statusText = row.cell('AppointmentStatus');
      let status = S1_STATUS.get(squash(statusText)) ?? deskStatusFromWord(statusText) ?? undefined;
      if (status === undefined) reject('AppointmentStatus', statusText === '' ? 'is empty' : `"${statusText}" is not a SystmOne appointment status the desk knows`);
      // A cancellation date is a cancellation, whatever the status column says.
      const cancelledAt = when('DateAppointmentCancelled', false);
      if (cancelledAt !== null) status = 'cancelled';
      const rotaId = row.cell('IDRota');
      if (!rotaId) reject('IDRota', 'is empty: an appointment belongs to a rota');
      const deskStatus: DeskStatus = status ?? 'booked';
      const appointment: Appointment = {
        id,
        patientId,
        clinicianId,
        sessionId: rotaId,
        slotId: null,
        start,
        end,
        type: isTrue(row.cell('TelephoneAppointment')) ? 'telephone' : 'face_to_face',
        status: deskStatus,
        fhirStatus: FHIR_STATUS_OF[deskStatus],
        reason: null,
        cancelReason: null,
        arrivedAt: when('DatePatientArrival', false),
        // SystmOne's "patient seen" is when the consultation began: the desk's sent in.
        sentInAt: when('DatePatientSeen', false),
        seenAt: null,
        version: 0,
        upstreamVersion: null,
        updatedAt: start,
      };
      const rota = rotas.get(rotaId);
      const rotaOwner = row.cell('IDRotaOwner') || clinicianId;
      if (rotaOwner !== clinicianId) clinicianFrom(rotaOwner, row.cell('IDProfileRotaOwner'), row, 'IDRotaOwner');
      if (!rota) rotas.set(rotaId, { row, clinicianId: rotaOwner, start, end });
      else {
        if (start < rota.start) rota.start = start;
        if (end > rota.end) rota.end = end;
      }
      const it = extractItem('Appointment', id, row.raw, appointment, file, row.where);
      it.entity.upstreamVersion = it.version;
      batch.appointments.set(id, it);
      dates.add(localDateOf(start));
    } catch (error) {
      if (!(error instanceof RowRejected)) throw error;
    }
  }
  for (const [id, rota] of rotas) {
    // A delta's appointments are some of a rota's: the mirror's session keeps its bounds.
    if (delta && mirrored('Schedule', id)) continue;
    const session: Session = {
      id,
      clinicianId: rota.clinicianId,
      room: rota.row.cell('RotaLocation').slice(0, 50) || null,
      date: localDateOf(rota.start),
      start: rota.start,
      end: rota.end,
      label: rota.row.cell('RotaName').slice(0, 100) || null,
    };
    batch.sessions.set(
      id,
      extractItem(
        'Schedule',
        id,
        { IDRota: id, RotaName: rota.row.cell('RotaName'), RotaLocation: rota.row.cell('RotaLocation') },
        session,
        appointmentTable.file.name,
        rota.row.where,
      ),
    );
  }

  if (delta) {
    // A delta is news about the rows it holds, not the whole book of any day: nothing is removed for being absent.
    batch.dates = [];
    // Its rows marked removed are news too: those appointments go (refresh.ts), wherever their day.
    const removed = appointmentTable.removed.map((row) => row.cell('RowIdentifier')).filter((id) => id !== '');
    if (removed.length > 0) batch.removedAppointments = new Set(removed);
  } else {
    for (const row of appointmentTable.removed) {
      const at = s1DateTime(row.cell('DateStart'));
      if (at) dates.add(at.date);
    }
    batch.dates = [...dates].sort();
  }
  batch.invalid = problems.list;
  return batch;
}
