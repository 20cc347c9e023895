/**
 * An EMIS-shaped CSV extract (the bulk feed EMIS sends data processors; columns as FEEDS.md lists them from the
 * open-source parsers) into an UpstreamBatch: the same batch the FHIR and CSV readers make, so it goes into the
 * mirror by the one refresh.
 *
 *   Appointment_Session      -> session (room from Admin_Location, label from its description)
 *   Appointment_SessionUser  -> the session's clinician (the first user in role holding it)
 *   Appointment_Slot         -> slot; with a PatientGuid also the appointment (id: the SlotGuid), its desk status
 *                               from the outcome columns (see statusOf)
 *   Admin_Patient            -> the patients the slots are booked for
 *   Admin_UserInRole         -> clinician names and roles, when present (else the id stands as the name)
 *   Admin_Location           -> rooms, when present
 *   Admin_Organisation       -> the practice's name and ODS code, when present
 *
 * Rows marked Deleted are left out; on the extract's dates that removes them from the mirror. The extract is
 * read as the whole book for the dates its sessions and slots fall on.
 */
import {
  FHIR_STATUS_OF,
  isLocalDate,
  withNhsNumberStatus,
  type Appointment,
  type AppointmentType,
  type Clinician,
  type DeskStatus,
  type Patient,
  type Practice,
  type Session,
  type Slot,
} from '../../../../shared/domain';
import { earliestKnown, emptyBatch, type PatientListing, type ResourceType, type UpstreamBatch } from '../batch';
import { londonWallClock, makeLocalDateCache } from '../time';
import { roleFrom, squash } from '../vocabulary';
import { expectedOds, extractError, extractItem, joinAddress, joinName, rejectRow, RowRejected, sexOf, type ExtractReadOptions } from './common';
import { EMIS_LAYOUTS } from './layouts';
import { isTrue, readTable, type ExtractFile, type Table, type TableRow } from './table';

const SPECS = EMIS_LAYOUTS;
type EmisFile = keyof typeof SPECS;
/** The files a set cannot be read without. */
const REQUIRED_FILES: readonly EmisFile[] = ['session', 'slot', 'sessionUser', 'patient'];
/** How each file is named in EMIS's extract ("291_Appointment_Slot_20260720063000_<guid>.csv"), squashed. */
const NAME_PARTS: ReadonlyArray<[EmisFile, string]> = [
  ['sessionUser', 'appointmentsessionuser'],
  ['session', 'appointmentsession'],
  ['slot', 'appointmentslot'],
  ['patient', 'adminpatient'],
  ['user', 'adminuserinrole'],
  ['location', 'adminlocation'],
  ['organisation', 'adminorganisation'],
];
/** The same files named plainly ("Slot.csv"), as a folder of them exported by hand might be. */
const PLAIN_NAMES: ReadonlyMap<string, EmisFile> = new Map([
  ['sessionuser', 'sessionUser'],
  ['session', 'session'],
  ['slot', 'slot'],
  ['patient', 'patient'],
  ['userinrole', 'user'],
  ['location', 'location'],
  ['organisation', 'organisation'],
]);

/** Which file of an EMIS extract a file is, by its name; null for a file the desk does not read. */
function emisFileOf(baseName: string): EmisFile | null {
  const stem = squash(baseName.replace(/\.[^.]*$/, ''));
  for (const [kind, part] of NAME_PARTS) if (stem.includes(part)) return kind;
  return PLAIN_NAMES.get(stem) ?? null;
}

/** The time in an EMIS extract file's name ("..._20260720063000_..."), London wall clock; null without one. */
function nameTime(baseName: string): string | null {
  const m = /(?:^|_)(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:_|\.|$)/.exec(baseName);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const date = `${y ?? ''}-${mo ?? ''}-${d ?? ''}`;
  if (!isLocalDate(date) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  return londonWallClock(date, Number(h), Number(mi), Number(s));
}

/** EMIS writes yyyy-MM-dd; some exports of it dd/MM/yyyy. Anything else is a date in an unknown form. */
function emisDate(text: string): string | null {
  const t = text.trim();
  if (isLocalDate(t)) return t;
  const uk = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(t);
  if (uk) {
    const iso = `${uk[3] ?? ''}-${uk[2] ?? ''}-${uk[1] ?? ''}`;
    return isLocalDate(iso) ? iso : null;
  }
  return null;
}

/** A time of day ("09:30", "09:30:00", or a date and time whose date is the given one's), as an instant. */
function emisTime(date: string, text: string): string | null {
  const t = text.trim();
  const withDate = /^(\S+)[ T](\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?$/.exec(t);
  const day = withDate ? emisDate(withDate[1] ?? '') : date;
  const time = withDate ? (withDate[2] ?? '') : t;
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!m || day === null) return null;
  const [h, mi, s] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 0 : Number(m[3])];
  if (h > 23 || mi > 59 || s > 59) return null;
  return londonWallClock(day, h, mi, s);
}

/** A session's type read as the desk's appointment type; face to face unless it says otherwise. */
function typeOfSession(words: string): AppointmentType {
  const w = squash(words);
  if (w.includes('telephone') || w.includes('phone')) return 'telephone';
  if (w.includes('video') || w.includes('online')) return 'video';
  if (w.includes('homevisit') || w.includes('visit')) return 'home_visit';
  return 'face_to_face';
}

/**
 * A booked slot's desk status from its outcome columns (EMIS has no status text in the extract):
 *   DidNotAttend true            -> dna
 *   LeftTime set                 -> seen (the consultation is over; seenAt is the left time), as FHIR's fulfilled reads
 *   SendInTime set               -> sent_in (with the clinician)
 *   none of them                 -> booked
 * Arrival is SendInTime less PatientWaitInMin when both are given: the extract has no arrival column, so a patient
 * who has arrived and is still waiting reads as booked.
 */
function statusOf(didNotAttend: boolean, sentInAt: string | null, leftAt: string | null): DeskStatus {
  if (didNotAttend) return 'dna';
  if (leftAt !== null) return 'seen';
  if (sentInAt !== null) return 'sent_in';
  return 'booked';
}

export function readEmisExtract(files: readonly ExtractFile[], options: ExtractReadOptions): UpstreamBatch {
  const { problems } = options;
  const found = new Map<EmisFile, ExtractFile>();
  for (const f of files) {
    const kind = emisFileOf(f.baseName);
    if (kind === null) continue;
    const before = found.get(kind);
    if (before) throw extractError(f.name, 'the file', 'file', `is a second ${SPECS[kind].label} (the first is ${before.name}); give one extract at a time`);
    found.set(kind, f);
  }
  const setName = files.length ? [...new Set(files.map((f) => f.name.split('/')[0] ?? f.name))].join(', ') : 'the extract';
  for (const kind of REQUIRED_FILES) {
    if (!found.has(kind)) {
      throw extractError(setName, 'the extract', 'file', `${SPECS[kind].label} is missing; an EMIS extract needs ${REQUIRED_FILES.map((k) => SPECS[k].label).join(', ')}`);
    }
  }
  const tables = new Map<EmisFile, Table>();
  for (const [kind, f] of found) tables.set(kind, readTable(f, SPECS[kind], 'utf-8', problems));
  const table = (kind: EmisFile): Table | undefined => tables.get(kind);
  const must = (kind: EmisFile): Table => {
    const t = tables.get(kind);
    if (!t) throw new Error(`${kind} was checked above`);
    return t;
  };
  const sessionTable = must('session');
  const slotTable = must('slot');
  const sessionUserTable = must('sessionUser');
  const patientTable = must('patient');

  const batch = emptyBatch(options.source);
  batch.notes = [...tables.values()].map((t) => `${t.file.name}: ${t.layout}; ${t.rows.length} rows, ${t.removed.length} marked deleted`);
  const localDate = makeLocalDateCache();
  const dates = new Set<string>();

  // ---- whose extract: the sessions' organisation; every row of the practice's own files must be the same one.
  const practiceGuid = sessionTable.rows[0]?.cell('OrganisationGuid') || slotTable.rows[0]?.cell('OrganisationGuid') || null;
  const sameOrganisation = (t: Table, row: TableRow) => {
    const guid = row.cell('OrganisationGuid');
    if (practiceGuid !== null && guid !== '' && guid !== practiceGuid) {
      // Another practice's file in the set: nothing in it can be trusted to belong here, whatever --skip-invalid says.
      throw extractError(
        t.file.name,
        row.where,
        'OrganisationGuid',
        `is ${guid}, but this extract's sessions are for organisation ${practiceGuid}: the file is from another practice`,
      );
    }
  };
  for (const t of [sessionTable, slotTable, patientTable]) for (const row of t.rows) sameOrganisation(t, row);
  const orgTable = table('organisation');
  const orgRow = orgTable?.rows.find((r) => r.cell('OrganisationGuid') === practiceGuid);
  const ods = orgRow ? orgRow.cell('ODSCode').toUpperCase() || null : null;
  const wanted = expectedOds(options);
  if (wanted !== null && orgTable && orgRow && ods !== wanted) {
    throw extractError(orgTable.file.name, orgRow.where, 'ODSCode', `is ${ods ?? '(empty)'}, but this desk is for the practice ${wanted}: the extract is from another practice`);
  }
  if (practiceGuid !== null) {
    const practice: Practice = { id: ods ?? practiceGuid, name: (orgRow?.cell('OrganisationName') || 'Practice').slice(0, 200), odsCode: ods };
    batch.practice = extractItem(
      'Organization',
      practice.id,
      orgRow?.raw ?? { OrganisationGuid: practiceGuid },
      practice,
      orgTable?.file.name ?? sessionTable.file.name,
      orgRow?.where ?? 'row 2',
    );
  }

  // ---- reference data: rooms and clinicians' names
  const rooms = new Map<string, string>();
  for (const row of table('location')?.rows ?? []) rooms.set(row.cell('LocationGuid'), row.cell('LocationName'));
  const users = new Map<string, TableRow>();
  for (const row of table('user')?.rows ?? []) users.set(row.cell('UserInRoleGuid'), row);
  const holderOf = new Map<string, { userGuid: string; row: TableRow }>();
  for (const row of sessionUserTable.rows) {
    if (!holderOf.has(row.cell('SessionGuid')) && row.cell('UserInRoleGuid')) holderOf.set(row.cell('SessionGuid'), { userGuid: row.cell('UserInRoleGuid'), row });
  }
  const addClinician = (guid: string, t: Table, row: TableRow): void => {
    if (batch.clinicians.has(guid)) return;
    const user = users.get(guid);
    const userTable = table('user');
    if (userTable && !user) {
      rejectRow(problems, t.file.name, row, 'Practitioner', guid, 'UserInRoleGuid', `refers to user in role ${guid}, who is not in ${userTable.file.name}`);
    }
    const name = user ? joinName(user.cell('Title'), user.cell('GivenName'), user.cell('Surname')) : '';
    const clinician: Clinician = { id: guid, name: (name || guid).slice(0, 200), role: user ? (roleFrom(user.cell('JobCategoryName')) ?? 'other') : 'other', room: null };
    batch.clinicians.set(guid, extractItem('Practitioner', guid, user?.raw ?? { UserInRoleGuid: guid }, clinician, userTable?.file.name ?? t.file.name, user?.where ?? row.where));
  };

  // ---- sessions
  const sessionTypes = new Map<string, string>();
  for (const row of sessionTable.rows) {
    const id = row.cell('AppointmentSessionGuid');
    const file = sessionTable.file.name;
    const reject = (column: string, message: string): never => rejectRow(problems, file, row, 'Schedule', id || null, column, message);
    try {
      if (!id) reject('AppointmentSessionGuid', 'is empty');
      const twice = batch.sessions.get(id);
      if (twice) reject('AppointmentSessionGuid', `session ${id} is also on ${twice.where}`);
      const date = emisDate(row.cell('StartDate'));
      if (date === null) reject('StartDate', `"${row.cell('StartDate')}" is a date in an unknown form (EMIS writes yyyy-MM-dd)`);
      const endDate = emisDate(row.cell('EndDate'));
      if (endDate === null) reject('EndDate', `"${row.cell('EndDate')}" is a date in an unknown form (EMIS writes yyyy-MM-dd)`);
      const start = emisTime(date ?? '', row.cell('StartTime'));
      if (start === null) reject('StartTime', `"${row.cell('StartTime')}" is not a time of day (HH:mm)`);
      const end = emisTime(endDate ?? '', row.cell('EndTime'));
      if (end === null) reject('EndTime', `"${row.cell('EndTime')}" is not a time of day (HH:mm)`);
      if ((end ?? '') < (start ?? '')) reject('EndTime', 'the session ends before it starts');
      const holder = holderOf.get(id);
      if (!holder) reject('AppointmentSessionGuid', `no user in role holds session ${id} in ${sessionUserTable.file.name}`);
      const clinicianId = holder?.userGuid ?? '';
      if (holder) addClinician(clinicianId, sessionUserTable, holder.row);
      const locationGuid = row.cell('LocationGuid');
      const session: Session = {
        id,
        clinicianId,
        room: locationGuid ? (rooms.get(locationGuid)?.slice(0, 50) ?? null) : null,
        date: localDate(start ?? ''),
        start: start ?? '',
        end: end ?? '',
        label: (row.cell('Description') || row.cell('SessionTypeDescription')).slice(0, 100) || null,
      };
      sessionTypes.set(id, `${row.cell('SessionTypeDescription')} ${row.cell('SessionCategoryDisplayName')}`);
      batch.sessions.set(id, extractItem('Schedule', id, { session: row.raw, user: holder?.row.raw ?? null }, session, file, row.where));
      dates.add(session.date);
    } catch (error) {
      if (!(error instanceof RowRejected)) throw error;
    }
  }

  // ---- patients: the whole practice list (every row not deleted), those booked in the extract's slots first.
  // A patient whose registration has ended (DateOfDeactivation) is no longer on the list: read only if booked.
  const booked = new Set(slotTable.rows.map((r) => r.cell('PatientGuid')).filter((g) => g !== ''));
  const listed = patientTable.rows.filter((r) => r.cell('DateOfDeactivation') === '').map((r) => r.cell('PatientGuid'));
  batch.patientList = 'whole';
  batch.listings = new Map();
  const patientRows = new Map<string, TableRow>();
  for (const row of patientTable.rows) patientRows.set(row.cell('PatientGuid'), row);
  batch.notOnList = new Set([...booked].filter((guid) => patientRows.get(guid)?.cell('DateOfDeactivation')));
  const readPatient = (guid: string): void => {
    const row = patientRows.get(guid);
    if (!row || batch.patients.has(guid)) return;
    const file = patientTable.file.name;
    const reject = (column: string, message: string): never => rejectRow(problems, file, row, 'Patient', guid, column, message);
    const family = row.cell('Surname');
    if (!family) reject('Surname', 'is empty: a patient needs a family name');
    const dobText = row.cell('DateOfBirth');
    const dob = dobText === '' ? null : emisDate(dobText);
    if (dobText !== '' && dob === null) reject('DateOfBirth', `"${dobText}" is a date in an unknown form (EMIS writes yyyy-MM-dd)`);
    const sex = sexOf(row.cell('Sex'));
    if (sex === null) reject('Sex', `"${row.cell('Sex')}" is not F, M, I or U`);
    const phone = row.cell('MobilePhone') || row.cell('HomePhone');
    const patient: Patient = withNhsNumberStatus({
      id: guid,
      nhsNumber: row.cell('NhsNumber') ? row.cell('NhsNumber').slice(0, 20) : null,
      familyName: family.slice(0, 100),
      givenName: joinName(row.cell('GivenName'), row.cell('MiddleNames')).slice(0, 100),
      dateOfBirth: dob,
      sex: sex ?? 'unknown',
      phone: phone ? phone.slice(0, 40) : null,
      flags: [],
    });
    const deathText = row.cell('DateOfDeath');
    if (deathText !== '' && emisDate(deathText) === null) reject('DateOfDeath', `"${deathText}" is a date in an unknown form (EMIS writes yyyy-MM-dd)`);
    const listing: PatientListing = {
      deceased: deathText !== '',
      temporaryResident: /temporary/i.test(row.cell('PatientTypeDescription')),
      address: joinAddress(row.cell('HouseNameFlatNumber'), row.cell('NumberAndStreet'), row.cell('Village'), row.cell('Town'), row.cell('County'), row.cell('Postcode')),
      // Only when the extract carries one: a listing without it reads as it did before it was kept.
      ...(row.cell('PatientNumber') ? { emisNumber: row.cell('PatientNumber') } : {}),
    };
    batch.listings?.set(guid, listing);
    batch.patients.set(guid, extractItem('Patient', guid, row.raw, patient, file, row.where, listing));
  };
  for (const guid of new Set([...booked, ...listed])) {
    try {
      readPatient(guid);
    } catch (error) {
      if (!(error instanceof RowRejected)) throw error;
    }
  }
  const patientsInvalid = new Set(problems.list.filter((p) => p.resourceType === 'Patient').map((p) => p.id));

  // ---- slots, and the appointments booked into them
  for (const row of slotTable.rows) {
    const id = row.cell('SlotGuid');
    const file = slotTable.file.name;
    let type: ResourceType = 'Slot';
    const reject = (column: string, message: string): never => rejectRow(problems, file, row, type, id || null, column, message);
    try {
      if (!id) reject('SlotGuid', 'is empty');
      const twice = batch.slots.get(id);
      if (twice) reject('SlotGuid', `slot ${id} is also on ${twice.where}`);
      const patientGuid = row.cell('PatientGuid');
      if (patientGuid) type = 'Appointment';
      const sessionId = row.cell('SessionGuid');
      const session = batch.sessions.get(sessionId);
      if (!session) {
        const deleted = sessionTable.removed.some((r) => r.cell('AppointmentSessionGuid') === sessionId);
        reject(
          'SessionGuid',
          sessionId === ''
            ? 'is empty: a slot belongs to a session'
            : deleted
              ? `refers to session ${sessionId}, which ${sessionTable.file.name} marks deleted`
              : sessionTable.rows.some((r) => r.cell('AppointmentSessionGuid') === sessionId)
                ? `refers to session ${sessionId}, which could not be read (see its row in ${sessionTable.file.name})`
                : `refers to session ${sessionId}, which is not in ${sessionTable.file.name}`,
        );
      }
      const date = emisDate(row.cell('AppointmentDate'));
      if (date === null) reject('AppointmentDate', `"${row.cell('AppointmentDate')}" is a date in an unknown form (EMIS writes yyyy-MM-dd)`);
      const start = emisTime(date ?? '', row.cell('AppointmentStartTime'));
      if (start === null) reject('AppointmentStartTime', `"${row.cell('AppointmentStartTime')}" is not a time of day (HH:mm)`);
      const minutes = Number(row.cell('PlannedDurationInMinutes'));
      if (!Number.isFinite(minutes) || minutes <= 0 || row.cell('PlannedDurationInMinutes') === '') {
        reject('PlannedDurationInMinutes', `"${row.cell('PlannedDurationInMinutes')}" is not a number of minutes`);
      }
      const end = new Date(Date.parse(start ?? '') + minutes * 60000).toISOString();
      const clinicianId = session?.entity.clinicianId ?? '';
      const slot: Slot = { id, sessionId, clinicianId, start: start ?? '', end, status: patientGuid ? 'busy' : 'free' };
      let appointment: Appointment | null = null;
      if (patientGuid) {
        if (!batch.patients.has(patientGuid)) {
          reject(
            'PatientGuid',
            patientsInvalid.has(patientGuid)
              ? `refers to patient ${patientGuid}, who could not be read (see ${patientTable.file.name})`
              : patientTable.removed.some((r) => r.cell('PatientGuid') === patientGuid)
                ? `refers to patient ${patientGuid}, whom ${patientTable.file.name} marks deleted`
                : `refers to patient ${patientGuid}, who is not in ${patientTable.file.name}`,
          );
        }
        const outcome = (column: string): string | null => {
          const text = row.cell(column);
          if (text === '') return null;
          const at = emisTime(date ?? '', text);
          if (at === null) reject(column, `"${text}" is not a time of day (HH:mm)`);
          return at;
        };
        const sentInAt = outcome('SendInTime');
        const leftAt = outcome('LeftTime');
        const waitText = row.cell('PatientWaitInMin');
        const wait = waitText === '' ? null : Number(waitText);
        if (wait !== null && (!Number.isFinite(wait) || wait < 0)) reject('PatientWaitInMin', `"${waitText}" is not a number of minutes`);
        const status = statusOf(isTrue(row.cell('DidNotAttend')), sentInAt, leftAt);
        appointment = {
          id,
          patientId: patientGuid,
          clinicianId,
          sessionId,
          slotId: id,
          start: slot.start,
          end,
          type: typeOfSession(sessionTypes.get(sessionId) ?? ''),
          status,
          fhirStatus: FHIR_STATUS_OF[status],
          reason: null,
          cancelReason: null,
          arrivedAt: sentInAt !== null && wait !== null ? new Date(Date.parse(sentInAt) - wait * 60000).toISOString() : null,
          sentInAt,
          seenAt: leftAt,
          version: 0,
          upstreamVersion: null,
          updatedAt: slot.start,
        };
      }
      batch.slots.set(id, extractItem('Slot', id, row.raw, slot, file, row.where));
      dates.add(localDate(slot.start));
      if (appointment) {
        const it = extractItem('Appointment', id, row.raw, appointment, file, row.where);
        it.entity.upstreamVersion = it.version;
        batch.appointments.set(id, it);
      }
    } catch (error) {
      if (!(error instanceof RowRejected)) throw error;
    }
  }

  // A deleted slot's date is covered by the extract too: its removal is news about that day.
  for (const row of slotTable.removed) {
    const date = emisDate(row.cell('AppointmentDate'));
    if (date !== null) dates.add(date);
  }
  batch.dates = [...dates].sort();
  // When the extract was made: the time in its files' names, or (failing that, and never later than) their mtimes.
  batch.asOf = earliestKnown([...tables.values()].flatMap((t) => [nameTime(t.file.baseName), t.file.modifiedAt]));
  batch.invalid = problems.list;
  return batch;
}
