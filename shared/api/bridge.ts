/**
 * What the Electron preload puts on `window.standbyDesk`: one function per contract operation, named after it,
 * and a subscription to the change events. Typed from the contract so that adding an operation to
 * `contract` changes the preload, the main-process handlers and the renderer's IPC transport together.
 * There is deliberately no generic `invoke(channel, ...)`: the page can reach only what is named here.
 */
import type { OperationInput, OperationName, OperationOutput } from './contract';
import type { DeskEvent } from './events';
import type { Result } from './result';

export type StandbyDeskOperations = {
  [N in OperationName]: (input: OperationInput<N>) => Promise<Result<OperationOutput<N>>>;
};

export type StandbyDeskBridge = StandbyDeskOperations & {
  /** Returns the unsubscribe function. The listener gets the event only, never Electron's IPC event. */
  onEvent(listener: (event: DeskEvent) => void): () => void;
};
