// The preload's `window.standbyDesk` (electron/preload/preload.ts). Absent in browser mode, hence optional:
// the api client picks HTTP when it is missing.
import type { StandbyDeskBridge } from '../../shared/api/bridge';

declare global {
  interface Window {
    standbyDesk?: StandbyDeskBridge;
  }
}
