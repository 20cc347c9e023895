/**
 * The waiting-room display's sound decisions (issue 17): which calls are news, what is said and in which voice,
 * the chime's two tones, and what the screen says when it cannot sound a call the practice wants sounded.
 */
import { describe, expect, it } from 'vitest';
import type { DisplayBoard, DisplayCall } from '../../shared/api';
import { CHIME_TONES, chooseVoice, freshCalls, keysOf, playChime, soundProblems, spokenCall, wantsSound, type ChimeContext } from '../../renderer/src/display/call-sound';
import { areaOf } from '../../renderer/src/display/DisplayApp';

const call = (key: string, label: string, room: string): DisplayCall => ({
  key,
  label,
  room,
  calledAt: '2026-07-20T09:30:00.000Z',
  spoken: `${label}, please go to ${room}`,
});
const SOUND: DisplayBoard['sound'] = { chime: true, speak: true, voice: 'Google UK English Female', rate: 0.9 };

describe('freshCalls', () => {
  const older = call('k1', 'Amira K', 'Room 2');
  const newer = call('k2', 'Ben T', 'Room 3');

  it('sounds nothing for the first board after opening: what is on it is history', () => {
    expect(freshCalls(null, [newer, older])).toEqual([]);
  });

  it('sounds each call whose key is new, oldest first, and none already sounded', () => {
    const seen = keysOf([older]);
    const third = call('k3', 'Cara D', 'Room 1');
    // The board lists the latest first.
    expect(freshCalls(seen, [third, newer, older]).map((c) => c.key)).toEqual(['k2', 'k3']);
    expect(freshCalls(keysOf([third, newer, older]), [third, newer, older])).toEqual([]);
  });

  it('sounds a recall again: it comes with a new key for the same patient and room', () => {
    const recall = { ...older, key: 'k1-recall-1' };
    expect(freshCalls(keysOf([newer, older]), [recall, newer])).toEqual([recall]);
  });
});

describe('spokenCall', () => {
  const voices = [
    { name: 'Google US English', lang: 'en-US' },
    { name: 'Google UK English Female', lang: 'en-GB' },
  ];

  it('says the board\u2019s words in the practice\u2019s voice and rate', () => {
    expect(spokenCall(call('k', 'Ticket 12', 'Room 3'), SOUND, voices)).toEqual({
      text: 'Ticket 12, please go to Room 3',
      voice: voices[1],
      rate: 0.9,
      lang: 'en-GB',
    });
  });

  it('falls back to the browser\u2019s default voice, in British English, when this browser lacks the chosen one or none is chosen', () => {
    expect(spokenCall(call('k', 'Ticket 12', 'Room 3'), { ...SOUND, voice: 'Microsoft Hazel' }, voices)).toMatchObject({ voice: null, lang: 'en-GB' });
    expect(chooseVoice(voices, null)).toBeNull();
    expect(chooseVoice([], 'Google UK English Female')).toBeNull();
  });
});

/** A test double of the Web Audio parts the chime uses: it records what is scheduled, and plays nothing. */
function recordingAudio(currentTime: number) {
  const started: Array<{ hz: number; at: number; stop: number; connected: boolean }> = [];
  const destination = { isDestination: true } as unknown as AudioNode;
  const param = () => ({ setValueAtTime: () => undefined, exponentialRampToValueAtTime: () => undefined, linearRampToValueAtTime: () => undefined });
  const ctx = {
    currentTime,
    destination,
    createGain: () => {
      const gain = { gain: param(), connected: false, connect: (to: unknown) => ((gain.connected = to === destination), to) };
      return gain as unknown as GainNode;
    },
    createOscillator: () => {
      const tone = { hz: 0, at: -1, stop: -1, connected: false };
      const oscillator = {
        type: 'square',
        frequency: { ...param(), setValueAtTime: (hz: number) => (tone.hz = hz) },
        connect: (gain: { connected: boolean }) => {
          // Connected through its gain node, which must reach the speakers.
          queueMicrotask(() => (tone.connected = gain.connected));
          return gain;
        },
        start: (at: number) => {
          tone.at = at;
          started.push(tone);
        },
        stop: (at: number) => (tone.stop = at),
      };
      return oscillator as unknown as OscillatorNode;
    },
  } satisfies ChimeContext;
  return { ctx, started };
}

describe('playChime', () => {
  it('starts two tones, high then lower, one after the other from now, each stopped after it starts', async () => {
    const { ctx, started } = recordingAudio(12.5);
    playChime(ctx);
    await Promise.resolve();
    expect(started.map((t) => t.hz)).toEqual(CHIME_TONES.map((t) => t.hz));
    expect(started[0]?.hz).toBeGreaterThan(started[1]?.hz ?? Infinity);
    expect(started[0]?.at).toBe(12.5);
    expect(started[1]?.at).toBeGreaterThanOrEqual(started[0]?.stop ?? Infinity);
    for (const t of started) {
      expect(t.stop).toBeGreaterThan(t.at);
      expect(t.connected).toBe(true);
    }
  });
});

describe('soundProblems', () => {
  it('says so when this browser cannot make the sound the practice asked for; nothing when it asked for none', () => {
    expect(soundProblems(SOUND, { audio: true, speech: true })).toEqual([]);
    expect(soundProblems(SOUND, { audio: false, speech: false })).toHaveLength(2);
    expect(soundProblems({ ...SOUND, chime: false }, { audio: false, speech: true })).toEqual([]);
    expect(soundProblems({ ...SOUND, chime: false, speak: false }, { audio: false, speech: false })).toEqual([]);
    expect(wantsSound({ ...SOUND, chime: false, speak: false })).toBe(false);
    expect(wantsSound({ ...SOUND, chime: false })).toBe(true);
  });
});

describe('areaOf', () => {
  it('reads the waiting area from the display\u2019s address; none means every call in the practice', () => {
    expect(areaOf({ search: '?area=Upstairs' })).toBe('upstairs');
    expect(areaOf({ search: '?view=waiting-room&area=ground-floor' })).toBe('ground-floor');
    expect(areaOf({ search: '?view=waiting-room' })).toBeNull();
    expect(areaOf({ search: '?area=' })).toBeNull();
  });
});
