/**
 * Notes a clinician typed in their room during the outage (issue 17). The desk journals such a note with
 * `after.contemporaneous = { clinicianName }`; it is never written upstream by itself. Keyed later by someone else,
 * it must follow the MDU's rules for consulting without notes: the entry says it was typed from a contemporaneous
 * note, by whom and when, and whoever keys it re-checks allergies and medication (the clinician wrote it without
 * the record in front of them). It carries the consultation record's reference, so the page and the line match.
 */
import { formatUkDate, localDateOf, localTimeOf } from '../domain/time';
import { consultationReference } from '../sheets/reference';

export const CONTEMPORANEOUS_MARK = 'Entry typed from contemporaneous note';
export const RECHECK_PROMPT = 'Re-check allergies and medication when keying';

/** Who wrote the note in their room, and when (the journal entry's instant). */
export interface ContemporaneousNote {
  clinicianName: string;
  at: string;
}

/** The clinician's note a journal entry carries, or null for a note made at the desk (or an entry of another shape). */
export function contemporaneousOf(entry: { at: string; after: unknown }): ContemporaneousNote | null {
  const after = entry.after;
  if (typeof after !== 'object' || after === null || !('contemporaneous' in after)) return null;
  const mark: unknown = after.contemporaneous;
  if (typeof mark !== 'object' || mark === null || !('clinicianName' in mark)) return null;
  const name: unknown = mark.clinicianName;
  return typeof name === 'string' && name.trim() !== '' ? { clinicianName: name.trim(), at: entry.at } : null;
}

/** "20/07/2026 10:42", as the worklist writes every instant. */
const londonWhen = (iso: string) => `${formatUkDate(localDateOf(iso))} ${localTimeOf(iso)}`;

export interface NoteKeying {
  action: string;
  why: string;
  /** The consultation record's reference (the appointment's); null for a note about no appointment. */
  reference: string | null;
}

/**
 * What the worklist says for a clinician's note: marked, with who wrote it and when, the appointment and its
 * consultation record reference, the note itself; and, before why it is keyed by hand, the prompt to re-check.
 */
export function contemporaneousKeying(note: ContemporaneousNote, item: { appointmentId: string | null; start: string | null; text: string | null; reason: string }): NoteKeying {
  const reference = item.appointmentId === null ? null : consultationReference(item.appointmentId);
  const where = item.start === null ? 'the patient\u2019s record' : `the record of the ${londonWhen(item.start)} appointment`;
  const ref = reference === null ? '' : ` (consultation record ref. ${reference})`;
  const text = item.text === null ? '' : `: \u201c${item.text}\u201d`;
  return {
    action: `${CONTEMPORANEOUS_MARK} by ${note.clinicianName} at ${londonWhen(note.at)}. Key it into ${where}${ref}${text}`,
    why: `${RECHECK_PROMPT}. ${item.reason}`,
    reference,
  };
}
