/**
 * The practice list's part of a refresh (electron/desk/refresh.ts): who the last whole list delivered, whom a batch
 * that does not carry the list must never remove, and what the list says of each patient beyond the Patient entity
 * (deceased, temporary resident, address), kept with the patient's base record and written on the patient the desk
 * reads (refresh.ts). See docs/feeds.md, "The practice list".
 */
import type { ListedPatient, PatientListing, UpstreamBatch } from './batch';
import type { UpstreamStore } from './store';

/** A list patient the list says nothing more of. */
export const NO_LISTING: PatientListing = { deceased: false, temporaryResident: false, address: null };

export class PracticeListRefresh {
  private readonly whole: boolean;
  /** Read before the batch is applied: the patients the last whole list delivered. */
  private readonly listedBefore: Set<string>;

  constructor(
    private readonly store: UpstreamStore,
    private readonly batch: UpstreamBatch,
  ) {
    this.whole = batch.patientList === 'whole';
    this.listedBefore = store.listedPatientIds();
  }

  /** What to keep on the base record of a patient the batch writes. */
  listedOf(id: string): ListedPatient | null {
    const listing = this.said(id);
    if (this.whole) return { ...(listing ?? NO_LISTING), onList: !this.batch.notOnList?.has(id) };
    // A book's patient: on the list or not as the last whole list said. Nothing is kept for one neither on the list
    // nor flagged, so a book of 30,000 patients writes no more than it did before the list was kept.
    const onList = this.listedBefore.has(id);
    if (listing && (onList || listing.deceased || listing.temporaryResident || listing.address !== null)) return { ...listing, onList };
    return onList ? this.store.listingOf(id) : null;
  }

  /** A patient the batch holds at the version the mirror has: a whole list may still put them on or off the list. */
  unchanged(id: string): void {
    if (!this.whole) return;
    const onList = !this.batch.notOnList?.has(id);
    if (this.listedBefore.has(id) === onList) return;
    this.store.setListing(id, { ...(this.said(id) ?? this.store.listingOf(id) ?? NO_LISTING), onList });
  }

  /** The batch's listing of a patient, with what it does not know (PatientListing.keep) as the mirror has it. */
  private said(id: string): PatientListing | undefined {
    const listing = this.batch.listings?.get(id);
    if (!listing?.keep) return listing;
    const { keep, ...said } = listing;
    const before = this.store.listingOf(id);
    if (keep.includes('address')) said.address = before?.address ?? null;
    if (keep.includes('temporaryResident')) said.temporaryResident = before?.temporaryResident ?? false;
    return said;
  }

  /**
   * The patients this batch may remove for being absent from it (the refresh still keeps any something refers
   * to). A day's book says nothing of who is registered, so it never removes a patient the list delivered.
   */
  removalCandidates(patientIds: ReadonlySet<string>): Iterable<string> {
    return this.whole ? patientIds : [...patientIds].filter((id) => !this.listedBefore.has(id));
  }

  /** After the removals: a list patient a whole list no longer has, but kept as still referred to, is off the list. */
  unlistLeavers(patientIds: ReadonlySet<string>, invalid: ReadonlySet<string> | undefined): void {
    if (!this.whole) return;
    for (const id of this.listedBefore) {
      if (this.batch.patients.has(id) || invalid?.has(id) || !patientIds.has(id)) continue;
      const listing = this.store.listingOf(id);
      if (listing?.onList) this.store.setListing(id, { ...listing, onList: false });
    }
  }
}
