/**
 * The waiting-room display's state. It reads only getDisplayBoard (the operations whose contract policy says display: true): the screen
 * is in a public room, so it never holds a name, a DOB or an id, only what it shows.
 */
import { create } from 'zustand';
import type { DisplayBoard } from '../../../shared/api';
import { DeskClientError, getDisplayClient, type ConnectionState, type DisplayClient } from '../api/client';

/** Calls shown: the newest large, the few before it smaller. */
export const DISPLAY_CALLS = 6;

export interface DisplayData {
  board: DisplayBoard | null;
  connection: ConnectionState;
  failed: boolean;
  /** The desk refused this display's address (a waiting area it does not know): reading again will not help. */
  refused: string | null;
}

export interface DisplayActions {
  /** Reads the board for a waiting area (?area=), or every call in the practice (null), and again on each ping. */
  start(area: string | null): () => void;
}

export const initialDisplayState: DisplayData = { board: null, connection: 'connecting', failed: false, refused: null };

export function createDisplayStore(getClient: () => DisplayClient = getDisplayClient) {
  return create<DisplayData & DisplayActions>()((set) => ({
    ...initialDisplayState,
    start(area) {
      let stopped = false;
      let token = 0;
      const read = async () => {
        const mine = ++token;
        try {
          const board = await getClient().send('getDisplayBoard', { limit: DISPLAY_CALLS, ...(area !== null ? { area } : {}) });
          if (!stopped && mine === token) set({ board, failed: false, refused: null });
        } catch (e) {
          const refused = e instanceof DeskClientError && (e.code === 'invalid_input' || e.code === 'not_found') ? e.message : null;
          if (!stopped && mine === token) set({ failed: true, refused });
        }
      };
      // A ping carries no data: each one (and each reconnect, which may have missed some) means read again.
      const unsubscribe = getClient().subscribe(
        () => void read(),
        (connection, needsResync) => {
          set({ connection });
          if (needsResync) void read();
        },
      );
      void read();
      return () => {
        stopped = true;
        unsubscribe();
      };
    },
  }));
}

export const useDisplayStore = createDisplayStore();
export const useBoard = () => useDisplayStore((s) => s.board);
export const useDisplayConnection = () => useDisplayStore((s) => s.connection);
export const useDisplayFailed = () => useDisplayStore((s) => s.failed);
export const useDisplayRefused = () => useDisplayStore((s) => s.refused);
export const useDisplayStart = () => useDisplayStore((s) => s.start);
