/**
 * "Rooms and displays" (issue 17), for practice managers: how the waiting-room displays name people, their chime
 * and speech, the waiting areas and which rooms each one's display calls for, and whether clinicians may mark DNA.
 * Saved whole with setRoomSettings (audited); the desk checks it again, and its refusals show beside the field.
 */
import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import {
  DISPLAY_SHOW,
  DISPLAY_SHOW_LABEL,
  SPEECH_RATE,
  type DisplayShow,
  type Issue,
  type PracticeRoomSettings,
  type RoomSettingsView,
  type WaitingArea,
} from '../../../shared/api';
import { DeskClientError, getDeskClient } from '../api/client';
import { playChime, spokenCall } from '../display/call-sound';

/** What "Test the call" says, as the display would for each way of naming people (synthetic, never a patient). */
const SAMPLE_CALL: Record<DisplayShow, { label: string; room: string }> = {
  ticket: { label: 'Ticket 12', room: 'Room 3' },
  'first-name-initial': { label: 'Amira K', room: 'Room 3' },
};

/** A new area's id from its name, as the display's address will carry it ("Upstairs waiting" → upstairs-waiting). */
export function areaIdFrom(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 28) || 'area';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/** The desk's refusals keyed by field path ("display.rate", "areas.1.name"), to show beside each field. */
export function issuesByField(issues: readonly Issue[]): Map<string, string> {
  const byField = new Map<string, string>();
  for (const issue of issues) byField.set(issue.path, byField.has(issue.path) ? `${byField.get(issue.path) ?? ''}; ${issue.message}` : issue.message);
  return byField;
}

/** The voices this browser offers for speech; they arrive late in Chromium (voiceschanged). */
function useVoices(): string[] {
  const [voices, setVoices] = useState<string[]>([]);
  useEffect(() => {
    if (typeof window.speechSynthesis === 'undefined') return;
    const synth = window.speechSynthesis;
    const read = () => setVoices(synth.getVoices().map((v) => v.name));
    read();
    synth.addEventListener('voiceschanged', read);
    return () => synth.removeEventListener('voiceschanged', read);
  }, []);
  return voices;
}

/**
 * The desk's shortcuts listen on the whole page and take the arrow keys (to move between rows) even from a radio
 * button; in this form they choose between the options instead, as they do anywhere else.
 */
const FORM_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', ' ']);
function keepFormKeys(event: KeyboardEvent<HTMLFormElement>): void {
  if (FORM_KEYS.has(event.key)) event.stopPropagation();
}

export function RoomSettingsPanel() {
  const [view, setView] = useState<RoomSettingsView | null>(null);
  const [draft, setDraft] = useState<PracticeRoomSettings | null>(null);
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [newArea, setNewArea] = useState('');
  const voices = useVoices();
  const testAudio = useRef<AudioContext | null>(null);
  const id = useId();

  useEffect(() => {
    getDeskClient()
      .send('getRoomSettings', {})
      .then(
        (v) => {
          setView(v);
          setDraft(v.settings);
        },
        (e: unknown) => setMessage({ kind: 'error', text: e instanceof Error ? e.message : String(e) }),
      );
    return () => {
      void testAudio.current?.close().catch(() => undefined);
    };
  }, []);

  const setDisplay = useCallback((change: Partial<PracticeRoomSettings['display']>) => setDraft((d) => (d ? { ...d, display: { ...d.display, ...change } } : d)), []);
  const setAreas = useCallback((change: (areas: WaitingArea[]) => WaitingArea[]) => setDraft((d) => (d ? { ...d, areas: change(d.areas) } : d)), []);

  if (!draft || !view) {
    return (
      <div>
        <h2>Rooms and displays</h2>
        {message ? <p role="alert">{message.text}</p> : <p>Loading…</p>}
      </div>
    );
  }

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setErrors(new Map());
    setMessage(null);
    try {
      const saved = await getDeskClient().send('setRoomSettings', draft);
      setView(saved);
      setDraft(saved.settings);
      setMessage({ kind: 'ok', text: 'Saved. The displays use these settings from their next call.' });
    } catch (e) {
      if (e instanceof DeskClientError && e.issues.length > 0) setErrors(issuesByField(e.issues));
      setMessage({ kind: 'error', text: e instanceof Error ? `Not saved: ${e.message}` : String(e) });
    }
  };

  const testCall = () => {
    const sound = draft.display;
    const sample = SAMPLE_CALL[sound.show];
    const speak = () => {
      if (!sound.speak || typeof window.speechSynthesis === 'undefined') return;
      const synth = window.speechSynthesis;
      const spoken = spokenCall(
        { key: 'test', label: sample.label, room: sample.room, calledAt: '', spoken: `${sample.label}, please go to ${sample.room}` },
        sound,
        synth.getVoices(),
      );
      const utterance = new SpeechSynthesisUtterance(spoken.text);
      utterance.lang = spoken.lang;
      utterance.rate = spoken.rate;
      if (spoken.voice) utterance.voice = spoken.voice;
      synth.cancel();
      synth.speak(utterance);
    };
    if (sound.chime && typeof window.AudioContext === 'function') {
      const ctx = testAudio.current ?? new window.AudioContext();
      testAudio.current = ctx;
      // A click is the gesture browsers want before sound: resume, then the chime, then the words.
      void ctx.resume().then(() => {
        playChime(ctx);
        window.setTimeout(speak, 1050);
      });
    } else speak();
  };

  const rooms = [...new Set([...view.knownRooms, ...draft.areas.flatMap((a) => a.rooms)])].sort((a, b) => a.localeCompare(b, 'en-GB', { numeric: true }));
  const areaOfRoom = (room: string) => draft.areas.find((a) => a.rooms.some((r) => r.toLowerCase() === room.toLowerCase()))?.id ?? '';
  const assign = (room: string, areaId: string) =>
    setAreas((areas) =>
      areas.map((a) => ({
        ...a,
        rooms: a.id === areaId ? [...a.rooms.filter((r) => r.toLowerCase() !== room.toLowerCase()), room] : a.rooms.filter((r) => r.toLowerCase() !== room.toLowerCase()),
      })),
    );
  const addArea = () => {
    const name = newArea.trim();
    if (!name) return;
    setAreas((areas) => [...areas, { id: areaIdFrom(name, new Set(areas.map((a) => a.id))), name, rooms: [] }]);
    setNewArea('');
  };
  const origin = window.location.origin;
  const fieldError = (path: string) => {
    const text = errors.get(path);
    return text ? (
      <span className="field__error" id={`${id}-${path}`} role="alert">
        {text}
      </span>
    ) : null;
  };
  const describedBy = (path: string) => (errors.has(path) ? { 'aria-describedby': `${id}-${path}`, 'aria-invalid': true } : {});

  return (
    <div data-testid="room-settings">
      <h2>Rooms and displays</h2>
      <form onSubmit={(e) => void save(e)} onKeyDown={keepFormKeys} aria-label="Rooms and displays">
        <fieldset className="fieldset">
          <legend className="fieldset__legend">How the waiting-room displays name the patient they call (never by full name)</legend>
          {DISPLAY_SHOW.map((show) => (
            <label key={show} className="radio">
              <input
                type="radio"
                name={`${id}-show`}
                value={show}
                checked={draft.display.show === show}
                onChange={() => setDisplay({ show })}
                data-testid={`display-show-${show}`}
              />{' '}
              {DISPLAY_SHOW_LABEL[show]}
            </label>
          ))}
          {fieldError('display.show')}
        </fieldset>
        <fieldset className="fieldset">
          <legend className="fieldset__legend">Sound on the displays</legend>
          <label className="field field--inline">
            <input type="checkbox" checked={draft.display.chime} onChange={(e) => setDisplay({ chime: e.target.checked })} data-testid="display-chime" /> Chime before each call
          </label>
          <label className="field field--inline">
            <input type="checkbox" checked={draft.display.speak} onChange={(e) => setDisplay({ speak: e.target.checked })} data-testid="display-speak-setting" /> Speak each call
            aloud
          </label>
          <label>
            Voice{' '}
            <select
              value={draft.display.voice ?? ''}
              onChange={(e) => setDisplay({ voice: e.target.value === '' ? null : e.target.value })}
              data-testid="display-voice"
              {...describedBy('display.voice')}
            >
              <option value="">Browser default</option>
              {[...new Set([...voices, ...(draft.display.voice ? [draft.display.voice] : [])])].map((v) => (
                <option key={v} value={v}>
                  {voices.includes(v) ? v : `${v} (not on this PC)`}
                </option>
              ))}
            </select>
          </label>{' '}
          {fieldError('display.voice')}
          <label>
            Speaking rate ({SPEECH_RATE.min} slow to {SPEECH_RATE.max} fast){' '}
            <input
              type="number"
              min={SPEECH_RATE.min}
              max={SPEECH_RATE.max}
              step={0.1}
              value={draft.display.rate}
              onChange={(e) => setDisplay({ rate: e.target.valueAsNumber })}
              data-testid="display-rate"
              {...describedBy('display.rate')}
            />
          </label>{' '}
          {fieldError('display.rate')}
          <button type="button" className="button" onClick={testCall} data-testid="display-test-call">
            Test the call
          </button>
          <p className="field__hint">A display on another PC may list other voices; without the chosen one it uses its browser&apos;s default.</p>
        </fieldset>
        <fieldset className="fieldset">
          <legend className="fieldset__legend">Waiting areas: each area&apos;s display calls only its own rooms</legend>
          {draft.areas.length === 0 ? <p>One waiting room: every display shows every call.</p> : null}
          <ul data-testid="display-areas">
            {draft.areas.map((area, i) => (
              <li key={area.id} data-area-id={area.id}>
                <label>
                  Area name{' '}
                  <input
                    value={area.name}
                    onChange={(e) => setAreas((areas) => areas.map((a, j) => (j === i ? { ...a, name: e.target.value } : a)))}
                    required
                    data-testid={`area-name-${area.id}`}
                    {...describedBy(`areas.${i}.name`)}
                  />
                </label>{' '}
                <span>
                  Display address: <code data-testid={`area-address-${area.id}`}>{`${origin}/display?area=${area.id}`}</code>
                </span>{' '}
                <button type="button" className="button" onClick={() => setAreas((areas) => areas.filter((_a, j) => j !== i))} aria-label={`Remove the area ${area.name}`}>
                  Remove
                </button>
                {fieldError(`areas.${i}.name`)}
                {fieldError(`areas.${i}.id`)}
                {fieldError(`areas.${i}.rooms`)}
              </li>
            ))}
          </ul>
          <label>
            New area&apos;s name{' '}
            <input
              value={newArea}
              onChange={(e) => setNewArea(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  addArea();
                }
              }}
              data-testid="new-area-name"
            />
          </label>{' '}
          <button type="button" className="button" onClick={addArea} data-testid="add-area">
            Add the area
          </button>
          {fieldError('areas')}
          {draft.areas.length > 0 ? (
            <table className="appointments" data-testid="room-areas">
              <caption>Which area&apos;s display calls for each room</caption>
              <thead>
                <tr>
                  <th scope="col">Room</th>
                  <th scope="col">Waiting area</th>
                </tr>
              </thead>
              <tbody>
                {rooms.map((room) => (
                  <tr key={room}>
                    <th scope="row">{room}</th>
                    <td>
                      <select value={areaOfRoom(room)} onChange={(e) => assign(room, e.target.value)} aria-label={`Waiting area for ${room}`} data-testid={`room-area-${room}`}>
                        <option value="">No area</option>
                        {draft.areas.map((a) => (
                          <option key={a.id} value={a.id}>
                            {a.name}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </fieldset>
        <fieldset className="fieldset">
          <legend className="fieldset__legend">Clinicians in their rooms</legend>
          <label className="field field--inline">
            <input type="checkbox" checked={draft.cliniciansMayDna} onChange={(e) => setDraft({ ...draft, cliniciansMayDna: e.target.checked })} data-testid="clinicians-may-dna" />{' '}
            Clinicians may mark their own patients DNA (otherwise only reception)
          </label>
        </fieldset>
        <button type="submit" className="button" data-testid="room-settings-save">
          Save rooms and displays
        </button>
      </form>
      {message ? <p role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p> : null}
    </div>
  );
}
