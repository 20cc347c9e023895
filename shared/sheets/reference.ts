/**
 * The reference a consultation-record page prints (readable and as a barcode) for an appointment, and that the
 * merge-back worklist repeats for a note typed against it: whoever keys the note finds the page by it (issue 17).
 * One function so the two can never drift apart. Imports nothing: shared/merge reads it without a cycle.
 */
export function consultationReference(appointmentId: string): string {
  return appointmentId;
}
