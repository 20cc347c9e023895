/**
 * The practice's claim settings beside the impact report they price (issue 21): minutes and the staff for each
 * task, and a cost per hour for each kind of staff (blank: not given, so no cost in pounds). Saved through
 * setMergeSettings, audited like the CLI's `claim-settings`; every value is checked before anything is sent.
 */
import { useState } from 'react';
import { CLAIM_STAFF, CLAIM_STAFF_LABEL, CLAIM_TASK_LABEL, CLAIM_TASKS, type ClaimProblem, type ClaimSettings, type ClaimStaff, type ClaimTask } from '../../../shared/merge';
import { useMergeField, useMergeStore } from './merge-store';

/** The form's values as typed. */
export interface ClaimDraft {
  minutes: Record<ClaimTask, string>;
  staff: Record<ClaimTask, ClaimStaff>;
  cost: Record<ClaimStaff, string>;
}

export function draftOf(claim: ClaimSettings): ClaimDraft {
  const byTask = <V,>(f: (task: ClaimTask) => V) => Object.fromEntries(CLAIM_TASKS.map((t) => [t, f(t)])) as Record<ClaimTask, V>;
  return {
    minutes: byTask((t) => String(claim.tasks[t].minutes)),
    staff: byTask((t) => claim.tasks[t].staff),
    cost: Object.fromEntries(CLAIM_STAFF.map((s) => [s, claim.costPerHour[s]?.toFixed(2) ?? ''])) as Record<ClaimStaff, string>,
  };
}

export function ClaimSettingsForm() {
  const impact = useMergeField('impact');
  const busy = useMergeField('busy');
  const saveClaim = useMergeStore((s) => s.saveClaim);
  const claim = impact?.claim ?? null;
  const [draft, setDraft] = useState<ClaimDraft | null>(claim && draftOf(claim));
  const [shown, setShown] = useState(JSON.stringify(claim));
  const [problems, setProblems] = useState<ClaimProblem[]>([]);
  const [saved, setSaved] = useState(false);
  // The settings read again (saved here, or changed elsewhere): the form shows what is in force.
  if (shown !== JSON.stringify(claim)) {
    setShown(JSON.stringify(claim));
    setDraft(claim && draftOf(claim));
  }
  if (draft === null) return null;
  return (
    <ClaimSettingsFields
      draft={draft}
      problems={problems}
      busy={busy}
      saved={saved}
      onChange={(next) => {
        setDraft(next);
        setSaved(false);
      }}
      onSave={() =>
        void saveClaim(draft).then((found) => {
          setProblems(found);
          setSaved(found.length === 0);
        })
      }
    />
  );
}

export interface ClaimSettingsFieldsProps {
  draft: ClaimDraft;
  problems: readonly ClaimProblem[];
  busy: boolean;
  saved: boolean;
  onChange: (draft: ClaimDraft) => void;
  onSave: () => void;
}

export function ClaimSettingsFields({ draft, problems, busy, saved, onChange, onSave }: ClaimSettingsFieldsProps) {
  const problemId = (field: string) => `claim-problem-${field.replace(/\W/g, '-')}`;
  const invalid = (field: string) => (problems.some((p) => p.field === field) ? { 'aria-invalid': true, 'aria-describedby': problemId(field) } : {});
  return (
    <form
      className="merge-claim"
      aria-labelledby="merge-claim-title"
      data-testid="merge-claim"
      onSubmit={(event) => {
        event.preventDefault();
        onSave();
      }}
    >
      <h3 id="merge-claim-title">The claim: minutes per task and cost per hour</h3>
      <p className="field__hint">The work it caused is priced at these. A blank cost per hour is not given: the report then gives no cost in pounds.</p>
      <div className="merge-impact-tables">
        <table className="merge-impact-table merge-claim-table">
          <caption>Minutes per task</caption>
          <thead>
            <tr>
              <th scope="col">Task</th>
              <th scope="col">Minutes</th>
              <th scope="col">Done by</th>
            </tr>
          </thead>
          <tbody>
            {CLAIM_TASKS.map((task) => (
              <tr key={task}>
                <th scope="row">{CLAIM_TASK_LABEL[task]}</th>
                <td>
                  <input
                    className="field__input"
                    inputMode="decimal"
                    size={5}
                    aria-label={`${CLAIM_TASK_LABEL[task]}: minutes`}
                    data-testid={`claim-minutes-${task}`}
                    value={draft.minutes[task]}
                    onChange={(e) => onChange({ ...draft, minutes: { ...draft.minutes, [task]: e.target.value } })}
                    {...invalid(`minutes.${task}`)}
                  />
                </td>
                <td>
                  <select
                    className="field__input"
                    aria-label={`${CLAIM_TASK_LABEL[task]}: done by`}
                    data-testid={`claim-staff-${task}`}
                    value={draft.staff[task]}
                    onChange={(e) => onChange({ ...draft, staff: { ...draft.staff, [task]: e.target.value as ClaimStaff } })}
                    {...invalid(`staff.${task}`)}
                  >
                    {CLAIM_STAFF.map((s) => (
                      <option key={s} value={s}>
                        {CLAIM_STAFF_LABEL[s]}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="merge-impact-table merge-claim-table">
          <caption>Cost per hour (£)</caption>
          <tbody>
            {CLAIM_STAFF.map((staff) => (
              <tr key={staff}>
                <th scope="row">{CLAIM_STAFF_LABEL[staff]}</th>
                <td>
                  <input
                    className="field__input"
                    inputMode="decimal"
                    size={7}
                    placeholder="not given"
                    aria-label={`${CLAIM_STAFF_LABEL[staff]}: cost per hour in pounds`}
                    data-testid={`claim-cost-${staff}`}
                    value={draft.cost[staff]}
                    onChange={(e) => onChange({ ...draft, cost: { ...draft.cost, [staff]: e.target.value } })}
                    {...invalid(`cost.${staff}`)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {problems.length > 0 ? (
        <ul className="merge-claim-problems" role="alert" data-testid="claim-problems">
          {problems.map((p) => (
            <li key={`${p.field} ${p.message}`} id={problemId(p.field)} className="field__error">
              {p.message}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="merge-claim-save">
        <button type="submit" className="button button-primary" disabled={busy}>
          Save the claim settings
        </button>{' '}
        <span role="status" data-testid="claim-saved">
          {saved ? 'Saved: the work is priced at these.' : ''}
        </span>
      </p>
    </form>
  );
}
