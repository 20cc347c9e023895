/**
 * The claim settings on the merge-back review (issue 21): the form as drawn (renderToStaticMarkup) with the
 * settings in force, what saving sends to the transport double (setMergeSettings, then the report read again),
 * and bad values or a refusal told back on the form with nothing sent.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { DEFAULT_CLAIM_SETTINGS, ImpactReportView, type ClaimProblem, type ClaimSettings, type MergePlanView, type WorklistView } from '../../shared/merge';
import { createDeskClient } from '../../renderer/src/api/client';
import { ClaimSettingsFields, draftOf, type ClaimDraft } from '../../renderer/src/merge/ClaimSettingsForm';
import { initialMergeState, useMergeStore } from '../../renderer/src/merge/merge-store';
import { FakeTransport, settle } from './doubles/transport';

const figures = {
  outage: { from: null, to: null },
  appointments: 0,
  seen: 0,
  dna: 0,
  cancelled: 0,
  rebooked: 0,
  walkIns: 0,
  signposted: 0,
  timeSensitivePatients: 0,
  entries: { appliedAutomatically: 0, keyedByHand: 0, inConflict: 0, alreadyUpstream: 0, keptUpstream: 0, dismissed: 0, pending: 0 },
  work: { rebookings: 0, keyedByHand: 0, callbacks: 0, messages: 0, minutes: 0, cost: null },
};
const impactWith = (claim: ClaimSettings) => ImpactReportView.parse({ ...figures, outages: [], claim, patients: [] });
const PLAN: MergePlanView = {
  upstreamReadAt: null,
  capability: 'fhir',
  complete: true,
  running: false,
  counts: { already: 0, clean: 0, compatible: 0, conflict: 0, manual: 0 },
  groups: [],
};
const WORKLIST: WorklistView = { complete: true, patients: [] };

/** The review's store against the double; the desk keeps whatever claim it was last sent. */
async function review() {
  let claim = DEFAULT_CLAIM_SETTINGS;
  const transport = new FakeTransport()
    .answer('getMergePlan', PLAN)
    .answer('getWorklist', WORKLIST)
    .answer('getImpactReport', () => impactWith(claim))
    .answer('setMergeSettings', (input: unknown) => {
      claim = (input as { claim: ClaimSettings }).claim;
      return { capability: 'fhir', retentionDays: 30, claim };
    });
  const stop = useMergeStore.getState().start(createDeskClient(transport));
  onTestFinished(stop);
  await settle();
  expect(useMergeStore.getState().error).toBeNull();
  return transport;
}

afterEach(() => useMergeStore.setState({ ...initialMergeState }));

const draw = (draft: ClaimDraft, problems: ClaimProblem[] = [], saved = false) =>
  renderToStaticMarkup(<ClaimSettingsFields draft={draft} problems={problems} busy={false} saved={saved} onChange={() => undefined} onSave={() => undefined} />);

describe('the claim settings form', () => {
  it('shows each task’s minutes and staff and each cost per hour in force, every field labelled', () => {
    const claim: ClaimSettings = { ...DEFAULT_CLAIM_SETTINGS, costPerHour: { receptionist: 12.5, administrator: null, clinician: 80 } };
    const html = draw(draftOf(claim));
    expect(html).toMatch(/aria-label="Rebooking an appointment: minutes"[^>]*value="5"/);
    expect(html).toMatch(/aria-label="Keying one item by hand: done by"[^>]*>.*?<option value="administrator" selected="">/);
    expect(html).toMatch(/aria-label="Receptionist: cost per hour in pounds"[^>]*value="12.50"/);
    expect(html).toMatch(/aria-label="Administrator: cost per hour in pounds"[^>]*value=""/);
    expect(html).toMatch(/aria-label="Clinician: cost per hour in pounds"[^>]*value="80.00"/);
    expect(html).not.toContain('aria-invalid');
  });

  it('saves the values typed through setMergeSettings and reads the report again, priced at them', async () => {
    const transport = await review();
    const draft = draftOf(DEFAULT_CLAIM_SETTINGS);
    const typed: ClaimDraft = { minutes: { ...draft.minutes, callback: '6' }, staff: { ...draft.staff, keyedItem: 'clinician' }, cost: { ...draft.cost, receptionist: '12.5' } };
    const reads = transport.callsOf('getImpactReport').length;
    expect(await useMergeStore.getState().saveClaim(typed)).toEqual([]);
    const expected: ClaimSettings = {
      tasks: { ...DEFAULT_CLAIM_SETTINGS.tasks, callback: { minutes: 6, staff: 'receptionist' }, keyedItem: { minutes: 3, staff: 'clinician' } },
      costPerHour: { ...DEFAULT_CLAIM_SETTINGS.costPerHour, receptionist: 12.5 },
    };
    expect(transport.callsOf('setMergeSettings')).toEqual([{ claim: expected }]);
    expect(transport.callsOf('getImpactReport').length).toBe(reads + 1);
    expect(useMergeStore.getState().impact?.claim).toEqual(expected);
    expect(draw(draftOf(expected), [], true)).toContain('Saved: the work is priced at these.');
  });

  it('sends nothing for a bad value and marks the field; a refusal by the desk is told too', async () => {
    const transport = await review();
    const draft = draftOf(DEFAULT_CLAIM_SETTINGS);
    const problems = await useMergeStore.getState().saveClaim({ ...draft, minutes: { ...draft.minutes, rebooking: 'five' } });
    expect(problems).toEqual([{ field: 'minutes.rebooking', message: 'Minutes for rebooking an appointment must be a number from 0 to 240, got "five"' }]);
    expect(transport.callsOf('setMergeSettings')).toEqual([]);
    const html = draw({ ...draft, minutes: { ...draft.minutes, rebooking: 'five' } }, problems);
    expect(html).toMatch(/aria-label="Rebooking an appointment: minutes"[^>]*aria-invalid="true" aria-describedby="claim-problem-minutes-rebooking"/);
    expect(html).toMatch(/<ul[^>]*role="alert"[^>]*><li id="claim-problem-minutes-rebooking"[^>]*>Minutes for rebooking an appointment must be/);

    transport.fail('setMergeSettings', { code: 'forbidden', message: 'setMergeSettings is for practice managers only' });
    expect(await useMergeStore.getState().saveClaim(draft)).toEqual([{ field: '', message: 'Not saved: setMergeSettings is for practice managers only' }]);
  });
});
