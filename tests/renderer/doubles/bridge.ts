/**
 * Test double: a stand-in for the preload's `window.standbyDesk` (shared/api/bridge.ts). Each operation the test
 * names answers as given (a Result, a rejection, or anything malformed); any other rejects as an unplugged
 * backend would. `emit` plays an event down the bridge as main would.
 */
import type { StandbyDeskBridge } from '../../../shared/api/bridge';
import type { DeskEvent, OperationName } from '../../../shared/api';

export type BridgeAnswers = Partial<Record<OperationName, (input: unknown) => Promise<unknown>>>;

export function standInBridge(answers: BridgeAnswers): StandbyDeskBridge & { emit(event: unknown): void; listeners: number; received: Array<[OperationName, unknown]> } {
  const listeners = new Set<(event: DeskEvent) => void>();
  const received: Array<[OperationName, unknown]> = [];
  const extra = {
    received,
    get listeners() {
      return listeners.size;
    },
    onEvent(listener: (event: DeskEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    // Main sends what it sends; the client is what must refuse an event outside the contract.
    emit(event: unknown) {
      for (const l of listeners) l(event as DeskEvent);
    },
  };
  return new Proxy(extra, {
    get(target, key) {
      if (key in target) return target[key as keyof typeof target];
      const name = key as OperationName;
      return (input: unknown) => {
        received.push([name, input]);
        const answer = answers[name];
        return answer ? answer(input) : Promise.reject(new Error(`the stand-in bridge has no ${name}`));
      };
    },
  }) as unknown as StandbyDeskBridge & typeof extra;
}
