/**
 * The rebooking assistant's review (issue 21) as plain logic, apart from the screen: which slot each row books (the
 * assistant's proposal unless a person changed it), what "accept" sends, and how the desk's answer is told back.
 * The screen (BacklogDialog.tsx) and the renderer tests read the same functions.
 */
import type { BacklogItem, BacklogOutcome, FreeSlot } from '../../../shared/api';
import { formatUkDate, localDateOf, localTimeOf } from '../../../shared/domain';
import type { DeskClient } from '../api/client';
import { patientName } from '../day/format';

/** The slots a person chose instead of the proposals, by appointment id. */
export type SlotChoices = Readonly<Record<string, FreeSlot>>;

/** The slot a row will book: the person's choice, else the assistant's proposal, else none. */
export function slotOf(item: BacklogItem, chosen: SlotChoices): FreeSlot | null {
  return chosen[item.appointment.id] ?? item.proposal;
}

/** What acceptBacklog is sent for these rows: each that has a slot, with the version the list was read at. */
export function acceptancesOf(items: readonly BacklogItem[], chosen: SlotChoices): Array<{ appointmentId: string; expectedVersion: number; slotId: string }> {
  return items.flatMap((item) => {
    const slot = slotOf(item, chosen);
    return slot === null ? [] : [{ appointmentId: item.appointment.id, expectedVersion: item.appointment.version, slotId: slot.slot.id }];
  });
}

/** The slots the other rows will book: a row's slot is changed only to one none of them takes. */
export function slotsTakenByOthers(items: readonly BacklogItem[], chosen: SlotChoices, row: BacklogItem): Set<string> {
  return new Set(
    acceptancesOf(
      items.filter((i) => i.appointment.id !== row.appointment.id),
      chosen,
    ).map((a) => a.slotId),
  );
}

/** "21/07/2026 09:10 with Dr Patel" */
export function slotWords(slot: FreeSlot): string {
  return `${formatUkDate(localDateOf(slot.slot.start))} ${localTimeOf(slot.slot.start)} with ${slot.clinician.name}`;
}

/** One line per booking and per refusal, in the desk's words, for the screen to show after accepting. */
export interface OutcomeReport {
  booked: string[];
  refused: string[];
}

export function outcomeReport(items: readonly BacklogItem[], outcome: BacklogOutcome): OutcomeReport {
  const nameOf = (id: string) => {
    const item = items.find((i) => i.appointment.id === id);
    return item ? patientName(item.appointment.patient) : id;
  };
  return {
    booked: outcome.booked.map((b) => `${nameOf(b.appointmentId)}: booked ${formatUkDate(localDateOf(b.booked.start))} ${localTimeOf(b.booked.start)}`),
    refused: outcome.refused.map((r) => `${nameOf(r.appointmentId)}: not booked: ${r.message}`),
  };
}

/** Books the rows given; a failure of the whole request (offline, signed out) comes back as one refusal line. */
export async function acceptRows(
  client: DeskClient,
  items: readonly BacklogItem[],
  chosen: SlotChoices,
): Promise<{ ok: true; report: OutcomeReport } | { ok: false; message: string }> {
  const accepted = acceptancesOf(items, chosen);
  if (accepted.length === 0) return { ok: false, message: 'Nothing to book: no row has a slot.' };
  try {
    const outcome = await client.send('acceptBacklog', { items: accepted });
    return { ok: true, report: outcomeReport(items, outcome) };
  } catch (error) {
    return { ok: false, message: `Not booked: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Why the assistant could not place each patient it leaves on the callback list, by appointment id. */
export type NotPlaced = Readonly<Record<string, string>>;

/**
 * The assistant's reasons for the callback list to show beside its rows (issue 21: those it cannot place stay on
 * the list, with the reason): read from getBacklog, the one placement rule, never worked out again here. A list
 * that cannot be read (signed out, offline) shows no reasons; the callback list itself still works.
 */
export async function readNotPlaced(client: DeskClient): Promise<NotPlaced> {
  try {
    const view = await client.send('getBacklog', {});
    return Object.fromEntries(view.items.flatMap((i) => (i.proposal === null ? [[i.appointment.id, i.reason ?? 'no free slot found']] : [])));
  } catch {
    return {};
  }
}
