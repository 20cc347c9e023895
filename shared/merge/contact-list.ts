/**
 * Patient contact lists for batch messaging after an outage (issue 21), in the shapes practices upload to Accurx:
 *   - EMIS practices: "NHS Number and EMIS number";
 *   - SystmOne practices: "NHS Number, Telecom Number and Date of Birth", with the name to start "Dear Joe";
 *   - a plain CSV with the proposed new time, for any other tool or a mail merge.
 * Source: Accurx's batch messaging guides (FEEDS.md). Their exact current header spellings were not found, so every
 * header is here, in CONTACT_LIST_COLUMNS, and nowhere else: one place to change when the template says otherwise.
 * Deceased patients and those who declined messages are left out, as Accurx asks; so is anyone the format cannot
 * reach (no NHS number; no mobile for a text; no EMIS number for an EMIS upload), and each is listed with the reason.
 */
import { formatCsv } from '../csv';
import { formatUkDate, localDateOf, localTimeOf } from '../domain/time';

export const CONTACT_LIST_FORMATS = ['accurx-emis', 'accurx-systmone', 'csv'] as const;
export type ContactListFormat = (typeof CONTACT_LIST_FORMATS)[number];

export interface ContactCandidate {
  patient: {
    id: string;
    nhsNumber: string | null;
    nhsNumberValid: boolean;
    givenName: string;
    familyName: string;
    dateOfBirth: string | null;
    phone: string | null;
    /** The practice's own patient number in EMIS Web, when the feed carried it. */
    emisNumber: string | null;
  };
  /** The appointment the outage took away. */
  missed: { start: string; clinicianName: string };
  /** Their new appointment (rebooked) or the assistant's proposal, if any. */
  newTime: { start: string; clinicianName: string; booked: boolean } | null;
  deceased: boolean;
  declinesMessages: boolean;
}

type Column = { header: string; value: (c: ContactCandidate) => string };

const when = (iso: string) => `${formatUkDate(localDateOf(iso))} ${localTimeOf(iso)}`;
const dob = (c: ContactCandidate) => (c.patient.dateOfBirth ? formatUkDate(c.patient.dateOfBirth) : '');

/** Every format's columns, in order: the one place their headers are spelled. */
export const CONTACT_LIST_COLUMNS: Record<ContactListFormat, readonly Column[]> = {
  'accurx-emis': [
    { header: 'NHS Number', value: (c) => c.patient.nhsNumber ?? '' },
    { header: 'EMIS Number', value: (c) => c.patient.emisNumber ?? '' },
  ],
  'accurx-systmone': [
    { header: 'NHS Number', value: (c) => c.patient.nhsNumber ?? '' },
    { header: 'Telecom Number', value: (c) => mobileOf(c.patient.phone) ?? '' },
    { header: 'Date of Birth', value: dob },
    { header: 'First Name', value: (c) => c.patient.givenName },
    { header: 'Last Name', value: (c) => c.patient.familyName },
  ],
  csv: [
    { header: 'NHS Number', value: (c) => c.patient.nhsNumber ?? '' },
    { header: 'First Name', value: (c) => c.patient.givenName },
    { header: 'Last Name', value: (c) => c.patient.familyName },
    { header: 'Date of Birth', value: dob },
    { header: 'Mobile', value: (c) => mobileOf(c.patient.phone) ?? '' },
    { header: 'Missed Appointment', value: (c) => `${when(c.missed.start)} ${c.missed.clinicianName}` },
    { header: 'New Time', value: (c) => (c.newTime ? when(c.newTime.start) : '') },
    { header: 'New Clinician', value: (c) => c.newTime?.clinicianName ?? '' },
    { header: 'New Time Status', value: (c) => (c.newTime === null ? 'to be arranged' : c.newTime.booked ? 'booked' : 'proposed') },
  ],
};

/** A UK mobile number as written for a text (07…), or null: a landline cannot take a text message. */
export function mobileOf(phone: string | null): string | null {
  if (phone === null) return null;
  const digits = phone
    .replace(/[\s()-]/g, '')
    .replace(/^\+44/, '0')
    .replace(/^0044/, '0');
  return /^07\d{9}$/.test(digits) ? digits : null;
}

export interface ContactListResult {
  csv: string;
  included: number;
  /** Who is left out, and why: a person may still phone or write to them. */
  excluded: Array<{ patientId: string; name: string; reason: string }>;
}

/** Why this format cannot carry this patient, or null. */
function unreachable(c: ContactCandidate, format: ContactListFormat): string | null {
  if (c.deceased) return 'recorded as deceased';
  if (c.declinesMessages) return 'declined messages';
  if (!c.patient.nhsNumber || !c.patient.nhsNumberValid) return 'no valid NHS number';
  if (format === 'accurx-emis' && !c.patient.emisNumber) return 'no EMIS number in the feed';
  if (format !== 'accurx-emis' && mobileOf(c.patient.phone) === null) return 'no mobile number';
  return null;
}

/** One row per patient (their first missed appointment in the order given), with the header row. */
export function contactList(candidates: readonly ContactCandidate[], format: ContactListFormat): ContactListResult {
  const columns = CONTACT_LIST_COLUMNS[format];
  const seen = new Set<string>();
  const rows: string[][] = [columns.map((c) => c.header)];
  const excluded: ContactListResult['excluded'] = [];
  for (const c of candidates) {
    if (seen.has(c.patient.id)) continue;
    seen.add(c.patient.id);
    const reason = unreachable(c, format);
    if (reason !== null) excluded.push({ patientId: c.patient.id, name: `${c.patient.givenName} ${c.patient.familyName}`.trim(), reason });
    else rows.push(columns.map((col) => col.value(c)));
  }
  return { csv: formatCsv(rows), included: rows.length - 1, excluded };
}
