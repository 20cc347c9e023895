/**
 * A PracticeBook as CSV in a given column mapping: the inverse of csv/read.ts. One row per appointment, then
 * one row per slot no appointment uses. Statuses are written as FHIR codes, what an upstream export says, so a
 * CSV and a FHIR Bundle of the same book import to the same mirror.
 */
import { FHIR_STATUS_OF, formatUkDate, localDateOf, localTimeOf, type Appointment, type PracticeBook, type Slot } from '../../../../shared/domain';
import { formatCsv } from '../../../../shared/csv';
import { CSV_FIELD_NAMES, DEFAULT_CSV_MAPPING, type CsvField, type CsvMapping } from './mapping';

/**
 * A time cell relative to the row's date: "08:30" (London) when it is on that date, "20/07/2026 08:30" when it
 * is not, and the exact UTC instant when it has milliseconds a wall-clock time cannot carry.
 */
function timeCell(iso: string | null, date: string): string {
  if (iso === null) return '';
  const d = new Date(iso);
  if (d.getUTCMilliseconds() !== 0) return d.toISOString();
  const seconds = d.getUTCSeconds();
  const time = localTimeOf(d) + (seconds ? `:${String(seconds).padStart(2, '0')}` : '');
  const day = localDateOf(d);
  return day === date ? time : `${formatUkDate(day)} ${time}`;
}

/** `extractedAt`: when the book was read, written on every row; without it the column is left out. */
export function bookToCsv(book: PracticeBook, mapping: CsvMapping = DEFAULT_CSV_MAPPING, options: { extractedAt?: string } = {}): string {
  const fields = CSV_FIELD_NAMES.filter((f) => mapping.columns[f] !== null && (f !== 'extractedAt' || options.extractedAt !== undefined));
  const clinicians = new Map(book.clinicians.map((c) => [c.id, c]));
  const sessions = new Map(book.sessions.map((s) => [s.id, s]));
  const slots = new Map(book.slots.map((s) => [s.id, s]));
  const patients = new Map(book.patients.map((p) => [p.id, p]));
  const p = book.practice;

  const row = (values: Partial<Record<CsvField, string>>): string[] => fields.map((f) => values[f] ?? '');
  const common = (clinicianId: string, sessionId: string | null, slot: Slot | null, date: string): Partial<Record<CsvField, string>> => {
    const c = clinicians.get(clinicianId);
    const s = sessionId === null ? undefined : sessions.get(sessionId);
    return {
      ...(options.extractedAt !== undefined ? { extractedAt: options.extractedAt } : {}),
      practiceId: p.id,
      practiceOdsCode: p.odsCode ?? '',
      practiceName: p.name,
      date: formatUkDate(date),
      clinicianId,
      clinicianName: c?.name ?? '',
      clinicianRole: c?.role ?? '',
      clinicianRoom: c?.room ?? '',
      ...(s ? { sessionId: s.id, sessionStart: timeCell(s.start, date), sessionEnd: timeCell(s.end, date), sessionLabel: s.label ?? '', sessionRoom: s.room ?? '' } : {}),
      ...(slot ? { slotId: slot.id, slotStart: timeCell(slot.start, date), slotEnd: timeCell(slot.end, date), slotStatus: slot.status } : {}),
    };
  };

  const rows: string[][] = [fields.map((f) => mapping.columns[f] ?? f)];
  const used = new Set<string>();
  for (const a of book.appointments) rows.push(row(appointmentRow(a)));
  function appointmentRow(a: Appointment): Partial<Record<CsvField, string>> {
    const date = localDateOf(a.start);
    const slot = a.slotId === null ? null : (slots.get(a.slotId) ?? null);
    if (slot) used.add(slot.id);
    const x = patients.get(a.patientId);
    return {
      ...common(a.clinicianId, a.sessionId, slot, date),
      appointmentId: a.id,
      status: FHIR_STATUS_OF[a.status],
      start: timeCell(a.start, date),
      end: timeCell(a.end, date),
      durationMinutes: String(Math.round((Date.parse(a.end) - Date.parse(a.start)) / 60000)),
      type: a.type,
      reason: a.reason ?? '',
      cancelReason: a.cancelReason ?? '',
      arrivedAt: timeCell(a.arrivedAt, date),
      sentInAt: timeCell(a.sentInAt, date),
      seenAt: timeCell(a.seenAt, date),
      patientId: a.patientId,
      nhsNumber: x?.nhsNumber ?? '',
      familyName: x?.familyName ?? '',
      givenName: x?.givenName ?? '',
      dateOfBirth: x?.dateOfBirth ? formatUkDate(x.dateOfBirth) : '',
      sex: x?.sex ?? '',
      phone: x?.phone ?? '',
      flags: x?.flags.join(';') ?? '',
    };
  }
  for (const slot of book.slots) {
    if (used.has(slot.id)) continue;
    const date = localDateOf(slot.start);
    rows.push(row({ ...common(slot.clinicianId, slot.sessionId, slot, date), start: timeCell(slot.start, date), end: timeCell(slot.end, date) }));
  }
  // It stands for the clinical system's own export, read back by the importer value for value: no apostrophes.
  return formatCsv(rows, { delimiter: mapping.delimiter, formulas: 'keep' });
}
