/**
 * While the clinical system is up (mode online), a change made at the desk belongs in the clinical system. When
 * the practice warns (shared/api/desk-settings.ts), the desk asks once per session before its first change; when
 * it refuses, the desk itself says no (electron/desk/actions/desk-settings.ts), so nothing is asked here.
 *
 * A wrapper around the api client rather than a check in each action: every change the screen can make goes
 * through `send`, so none can slip past the question. The question is shown by OnlineWarning (DialogHost) from
 * the little store below, above whatever dialog is open, and its answer settles the waiting send.
 */
import { create } from 'zustand';
import { BOOK_CHANGING_OPERATIONS, type DeskSettings, type MirrorInfo, type OperationName } from '../../../shared/api';
import { DeskClientError, type DeskClient } from '../api/client';

interface OnlineQuestion {
  /** The operation waiting for the answer. */
  operation: OperationName;
  answer(allow: boolean): void;
}

export const useOnlineQuestion = create<{ question: OnlineQuestion | null }>()(() => ({ question: null }));

const GUARDED: ReadonlySet<string> = BOOK_CHANGING_OPERATIONS;

/** What a change the receptionist chose not to make says. */
export const LEFT_FOR_CLINICAL_SYSTEM = 'Not changed: the clinical system is up, so make this change there.';

export function guardOnlineChanges(client: DeskClient, mode: () => MirrorInfo['mode'] | null): DeskClient {
  let settings: Promise<DeskSettings> | null = null;
  let allowed = false;
  const practiceWarns = async (): Promise<boolean> => {
    settings ??= client.send('getDeskSettings', {}).catch((): DeskSettings => ({ onlineChanges: 'warn' }));
    return (await settings).onlineChanges === 'warn';
  };
  const ask = (operation: OperationName) =>
    new Promise<boolean>((resolve) => {
      // One question at a time: a second change asked for meanwhile waits on the same answer's outcome.
      useOnlineQuestion.getState().question?.answer(false);
      useOnlineQuestion.setState({
        question: {
          operation,
          answer: (allow) => {
            useOnlineQuestion.setState({ question: null });
            resolve(allow);
          },
        },
      });
    });
  return {
    transport: client.transport,
    deskId: client.deskId,
    subscribe: (listener, onConnection) => client.subscribe(listener, onConnection),
    async send(name, input) {
      if (GUARDED.has(name) && mode() === 'online' && !allowed && (await practiceWarns())) {
        if (!(await ask(name))) throw new DeskClientError(name, 'forbidden', LEFT_FOR_CLINICAL_SYSTEM);
        // Once per session: the receptionist has been told, and the next change is as deliberate.
        allowed = true;
      }
      return client.send(name, input);
    },
  };
}
