/**
 * The display's sound: a chime, then the call spoken, for each new call on the board (call-sound.ts decides what).
 * Browsers hold sound back until someone has clicked the page; the AudioContext says so ('suspended'), and the
 * display then asks for that click in words rather than stay silently mute.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DisplayBoard } from '../../../shared/api';
import { CHIME_MS, freshCalls, keysOf, playChime, soundProblems, spokenCall, wantsSound } from './call-sound';

export type SoundState = 'off' | 'needs-click' | 'on';

export interface CallSound {
  state: SoundState;
  /** What this browser cannot do that the practice asked for (no Web Audio, no speech synthesis). */
  problems: string[];
  /** The click that lets the browser make sound. */
  turnOn(): void;
}

const audioContextClass = (): typeof AudioContext | null => (typeof window.AudioContext === 'function' ? window.AudioContext : null);
const speech = (): SpeechSynthesis | null => (typeof window.speechSynthesis === 'undefined' ? null : window.speechSynthesis);

export function useCallSound(board: DisplayBoard | null): CallSound {
  const sound = board?.sound ?? null;
  const wanted = sound !== null && wantsSound(sound);
  const context = useRef<AudioContext | null>(null);
  const [contextState, setContextState] = useState<AudioContextState | null>(null);
  const seen = useRef<Set<string> | null>(null);
  const timers = useRef<number[]>([]);

  // One AudioContext while the practice wants sound. Made at once (not on the first call), so that a browser that
  // holds sound back says so while someone is still setting the screen up. Speech has no such state to ask: the
  // same click lets it speak.
  useEffect(() => {
    const Context = audioContextClass();
    if (!wanted || Context === null) return;
    const ctx = new Context();
    context.current = ctx;
    const update = () => setContextState(ctx.state);
    ctx.addEventListener('statechange', update);
    update();
    return () => {
      ctx.removeEventListener('statechange', update);
      context.current = null;
      setContextState(null);
      void ctx.close().catch(() => undefined);
    };
  }, [wanted]);

  useEffect(
    () => () => {
      for (const t of timers.current) window.clearTimeout(t);
    },
    [],
  );

  useEffect(() => {
    if (!board) return;
    const fresh = freshCalls(seen.current, board.calls);
    seen.current = keysOf(board.calls);
    if (fresh.length === 0) return;
    const ctx = context.current;
    const chimed = board.sound.chime && ctx !== null;
    if (chimed) playChime(ctx);
    const synth = speech();
    if (!board.sound.speak || synth === null) return;
    const say = () => {
      const voices = synth.getVoices();
      for (const call of fresh) {
        const spoken = spokenCall(call, board.sound, voices);
        const utterance = new SpeechSynthesisUtterance(spoken.text);
        utterance.lang = spoken.lang;
        utterance.rate = spoken.rate;
        if (spoken.voice) utterance.voice = spoken.voice;
        synth.speak(utterance);
      }
    };
    if (chimed) timers.current.push(window.setTimeout(say, CHIME_MS));
    else say();
  }, [board]);

  const turnOn = useCallback(() => {
    const ctx = context.current;
    if (!ctx) return;
    ctx.resume().then(
      () => setContextState(ctx.state),
      () => setContextState(ctx.state),
    );
  }, []);

  const problems = sound ? soundProblems(sound, { audio: audioContextClass() !== null, speech: speech() !== null }) : [];
  const state: SoundState = !wanted ? 'off' : contextState === 'suspended' ? 'needs-click' : 'on';
  return { state, problems, turnOn };
}
