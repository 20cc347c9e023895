/**
 * The page's only door to the desk: one function per contract operation, by name, and the change events.
 * Nothing else is exposed, no ipcRenderer and no generic invoke(channel): a script running in the page can
 * call exactly the operations the contract declares, each of which main checks and parses.
 *
 * Sandboxed preloads are CommonJS and may require only 'electron' (and a few built-ins) at run time, so this
 * file is bundled by build/bundle-electron.ts into dist/electron/preload.cjs.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { OPERATION_NAMES, type DeskEvent } from '../../shared/api';
import type { StandbyDeskBridge, StandbyDeskOperations } from '../../shared/api/bridge';
import { EVENT_CHANNEL, operationChannel } from '../main/ipc-channels';

// Built from the list so a new operation needs no change here; the type says what each function is, which
// Object.fromEntries cannot express, and main parses every input and the renderer every output anyway.
const operations = Object.fromEntries(OPERATION_NAMES.map((name) => [name, (input: unknown) => ipcRenderer.invoke(operationChannel(name), input)])) as StandbyDeskOperations;

function onEvent(listener: (event: DeskEvent) => void): () => void {
  // The page gets the payload only: the IpcRendererEvent would hand it `sender`, i.e. ipcRenderer itself.
  const forward = (_event: IpcRendererEvent, payload: DeskEvent) => listener(payload);
  ipcRenderer.on(EVENT_CHANNEL, forward);
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, forward);
  };
}

const bridge = { ...operations, onEvent } satisfies StandbyDeskBridge;

contextBridge.exposeInMainWorld('standbyDesk', bridge);
