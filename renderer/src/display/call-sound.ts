/**
 * What the waiting-room display sounds for a call (issue 17): a chime, then the call spoken, as the practice's
 * settings say (the board carries them). Guidance says never to rely on a screen alone: a patient looking at their
 * phone hears the chime, one who cannot read the screen hears their ticket or name and the room.
 * The decisions are plain functions (tested under Node); the browser's Web Audio and speech synthesis are passed in.
 */
import type { DisplayBoard, DisplayCall } from '../../../shared/api';

/**
 * The calls to sound on this board: those whose key the display has not seen, oldest first. The first board after
 * opening (`seen` null) is history, not news: nothing. A recall comes with a new key, so it sounds again.
 */
export function freshCalls(seen: ReadonlySet<string> | null, calls: readonly DisplayCall[]): DisplayCall[] {
  if (seen === null) return [];
  // The board lists the latest first; people are called in the order they were called.
  return calls.filter((c) => !seen.has(c.key)).reverse();
}

/** The keys on a board, to compare the next one with. */
export const keysOf = (calls: readonly DisplayCall[]): Set<string> => new Set(calls.map((c) => c.key));

/**
 * The voice the practice chose, by the name this browser lists it under; null (the browser's default) when it
 * chose none or this browser has no voice of that name (another PC's browser lists other voices).
 */
export function chooseVoice<V extends { name: string }>(voices: readonly V[], name: string | null): V | null {
  if (name === null) return null;
  return voices.find((v) => v.name === name) ?? null;
}

export interface SpokenCall<V> {
  text: string;
  voice: V | null;
  rate: number;
  /** The voice's own language when one is chosen; British English otherwise, so the default voice says "Room". */
  lang: string;
}

/** What to say for a call, and how: the board's words ("Ticket 12, please go to Room 3"), in the chosen voice and rate. */
export function spokenCall<V extends { name: string; lang: string }>(call: DisplayCall, sound: DisplayBoard['sound'], voices: readonly V[]): SpokenCall<V> {
  const voice = chooseVoice(voices, sound.voice);
  return { text: call.spoken, voice, rate: sound.rate, lang: voice?.lang ?? 'en-GB' };
}

/** Two tones, high then lower (the "ding-dong" calling screens use): short, and unlike a phone or an alarm. */
export const CHIME_TONES = [
  { hz: 880, at: 0, seconds: 0.35 },
  { hz: 660, at: 0.4, seconds: 0.55 },
] as const;
/** How long after the chime starts the call is spoken: once the chime has died away. */
export const CHIME_MS = 1050;
const PEAK_GAIN = 0.35;
const SILENT_GAIN = 0.0001;

/** The parts of Web Audio the chime uses (an AudioContext in the browser; a recording double in the tests). */
export interface ChimeContext {
  readonly currentTime: number;
  readonly destination: AudioNode;
  createOscillator(): OscillatorNode;
  createGain(): GainNode;
}

/** The chime, made on the spot by two oscillators: no audio file to ship, load or fail to find. */
export function playChime(ctx: ChimeContext): void {
  const t0 = ctx.currentTime;
  for (const tone of CHIME_TONES) {
    const start = t0 + tone.at;
    const end = start + tone.seconds;
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.setValueAtTime(tone.hz, start);
    // A fast rise and an exponential fall: a bell, without the click a square start and stop would make.
    gain.gain.setValueAtTime(SILENT_GAIN, start);
    gain.gain.exponentialRampToValueAtTime(PEAK_GAIN, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(SILENT_GAIN, end);
    oscillator.connect(gain);
    gain.connect(ctx.destination);
    oscillator.start(start);
    oscillator.stop(end + 0.05);
  }
}

/**
 * What stops this screen sounding the calls the practice wants sounded, in words for whoever set it up: never
 * silently mute. `needsGesture`: the browser holds sound back until someone clicks the page.
 */
export function soundProblems(sound: DisplayBoard['sound'], can: { audio: boolean; speech: boolean }): string[] {
  const problems: string[] = [];
  if (sound.chime && !can.audio) problems.push('This browser cannot play the chime: use Chrome, Edge or Firefox for this screen.');
  if (sound.speak && !can.speech) problems.push('This browser cannot speak the calls: use Chrome, Edge or Firefox for this screen.');
  return problems;
}

/** Whether the practice wants this screen to make any sound at all. */
export const wantsSound = (sound: DisplayBoard['sound']): boolean => sound.chime || sound.speak;
