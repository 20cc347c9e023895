/**
 * The practice's desk rules, for managers (issue 18): whether a change made while the clinical system is up is
 * warned about or refused (getDeskSettings), and how many minutes after their time an arrival counts as Late
 * (getDaySettings). Both are audited by the desk; every desk reads them again at its next start.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { ONLINE_CHANGES, ONLINE_CHANGES_LABEL, type OnlineChanges } from '../../../shared/api';
import { LATE_AFTER_MINUTES_MAX } from '../../../shared/domain';
import { getDeskClient } from '../api/client';

export function DeskRulesPanel() {
  const [online, setOnline] = useState<OnlineChanges | null>(null);
  const [late, setLate] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  useEffect(() => {
    const client = getDeskClient();
    void Promise.all([client.send('getDeskSettings', {}), client.send('getDaySettings', {})]).then(
      ([desk, day]) => {
        setOnline(desk.onlineChanges);
        setLate(day.lateAfterMinutes === null ? '' : String(day.lateAfterMinutes));
      },
      (e: unknown) => setMessage({ kind: 'error', text: e instanceof Error ? e.message : String(e) }),
    );
  }, []);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (online === null) return;
    try {
      const client = getDeskClient();
      const desk = await client.send('setDeskSettings', { onlineChanges: online });
      const day = await client.send('setDaySettings', { lateAfterMinutes: late.trim() === '' ? null : Number(late) });
      setOnline(desk.onlineChanges);
      setLate(day.lateAfterMinutes === null ? '' : String(day.lateAfterMinutes));
      setMessage({
        kind: 'ok',
        text: `Saved: changes while online ${ONLINE_CHANGES_LABEL[desk.onlineChanges].toLowerCase()}; ${day.lateAfterMinutes === null ? 'no Late rule' : `Late after ${day.lateAfterMinutes} minutes`}.`,
      });
    } catch (e) {
      setMessage({ kind: 'error', text: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <div>
      <h2>Desk rules</h2>
      <form onSubmit={(e) => void save(e)} aria-label="Desk rules">
        <fieldset>
          <legend>A change at the desk while the clinical system is up</legend>
          {ONLINE_CHANGES.map((value) => (
            <label key={value}>
              <input type="radio" name="online-changes" value={value} checked={online === value} onChange={() => setOnline(value)} data-testid={`online-changes-${value}`} />{' '}
              {ONLINE_CHANGES_LABEL[value]}
            </label>
          ))}
        </fieldset>
        <label>
          An arrival is Late this many minutes after their time (0-{LATE_AFTER_MINUTES_MAX}; empty: never ask){' '}
          <input type="number" min={0} max={LATE_AFTER_MINUTES_MAX} step={1} value={late} onChange={(e) => setLate(e.target.value)} data-testid="late-after-minutes" />
        </label>{' '}
        <button type="submit" className="button" disabled={online === null}>
          Save
        </button>
      </form>
      {message ? <p role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p> : null}
    </div>
  );
}
