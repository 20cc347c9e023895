/**
 * The practice's Late rule at check-in: a booked patient who arrives more than the practice's minutes after their
 * time is offered as Late ("Arrived 14 minutes after their time: mark as Late?"). Every way the desk checks a
 * patient in (the row's button, the A key, the actions menu, the walk-in dialog's "check in instead") goes through
 * the store's setStatus, so the question is asked there, once, and a person answers it: Late, Arrived, or neither
 * (Escape: nobody is checked in).
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import type { AppointmentRow } from '../../../shared/api';
import { DESK_DNA_TYPES, isLateArrival, localDateOf, localTimeOf, minutesAfterTime, type DeskStatus } from '../../../shared/domain';
import { Modal } from '../components/Modal';
import type { createDeskStore } from '../state/create-desk-store';
import { useDaySettingsStore } from './day-settings';
import { patientName } from './format';

type Answer = 'late' | 'arrived' | null;

interface LatePromptState {
  question: { row: AppointmentRow; minutes: number; answer: (a: Answer) => void } | null;
  /** How many views that can show the question are on screen: with none, nobody could answer it. */
  hosts: number;
}

const useLatePrompt = create<LatePromptState>()(() => ({ question: null, hosts: 0 }));

/** Statuses from which checking in is an arrival the rule applies to (a DNA put right is one too). */
const ARRIVING_FROM: readonly DeskStatus[] = ['booked', 'dna'];

function ask(row: AppointmentRow, minutes: number): Promise<Answer> {
  return new Promise((resolve) => {
    useLatePrompt.setState({
      question: {
        row,
        minutes,
        answer: (a) => {
          useLatePrompt.setState({ question: null });
          resolve(a);
        },
      },
    });
  });
}

/**
 * The desk's store with check-in asking the Late question when the rule says so. Only for today's face-to-face
 * appointments (re-entering another day's attendance is not an arrival now; nobody arrives for a phone call),
 * and only with a view on screen to ask it in.
 */
export function withLatePrompt(store: ReturnType<typeof createDeskStore>, now: () => Date = () => new Date()): ReturnType<typeof createDeskStore> {
  const plain = store.getState().setStatus;
  store.setState({
    setStatus: async (appointmentId, status, reason, ...rest) => {
      if (status !== 'arrived') return plain(appointmentId, status, reason, ...rest);
      const row = store.getState().day?.appointments.find((a) => a.id === appointmentId);
      const at = now();
      const lateAfter = useDaySettingsStore.getState().settings.lateAfterMinutes;
      if (
        lateAfter === null ||
        !row ||
        !ARRIVING_FROM.includes(row.status) ||
        !DESK_DNA_TYPES.includes(row.type) ||
        localDateOf(row.start) !== localDateOf(at.toISOString()) ||
        !isLateArrival(row, at, lateAfter) ||
        useLatePrompt.getState().hosts === 0 ||
        useLatePrompt.getState().question !== null
      ) {
        return plain(appointmentId, status, reason, ...rest);
      }
      const answer = await ask(row, minutesAfterTime(row, at));
      return answer === null ? false : plain(appointmentId, answer, reason, ...rest);
    },
  });
  return store;
}

/** Where the question is asked: mounted by each view the desk checks patients in from. */
export function LatePromptHost() {
  const question = useLatePrompt((s) => s.question);
  useEffect(() => {
    useLatePrompt.setState((s) => ({ hosts: s.hosts + 1 }));
    return () => useLatePrompt.setState((s) => ({ hosts: s.hosts - 1 }));
  }, []);
  if (question === null) return null;
  const { row, minutes, answer } = question;
  const name = patientName(row.patient);
  return (
    <Modal
      title={`Check in ${name}`}
      onClose={() => answer(null)}
      testId="late-prompt"
      describedBy="late-prompt-question"
      // The question's keys are its own: a letter must not act on the row behind it.
      onKeyDown={(e) => e.stopPropagation()}
    >
      <p id="late-prompt-question" className="late-prompt__question">
        Arrived {minutes} minutes after their time ({localTimeOf(row.start)}): mark as Late?
      </p>
      <p className="muted">The practice counts more than {useDaySettingsStore.getState().settings.lateAfterMinutes ?? ''} minutes as Late. Escape checks nobody in.</p>
      <div className="modal__buttons">
        <button type="button" className="button button--warning" data-autofocus data-testid="mark-late" onClick={() => answer('late')}>
          Mark as Late
        </button>
        <button type="button" className="button button--secondary" data-testid="mark-arrived" onClick={() => answer('arrived')}>
          Arrived, not Late
        </button>
      </div>
    </Modal>
  );
}
