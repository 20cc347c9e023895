/**
 * The notice after a session's no-shows are marked DNA (issue 18 item 8): its Undo, one keypress (Ctrl+Z, the
 * undoMine key), puts the whole list back at once and says how many, or, when one of them changed since, nothing,
 * in the desk's words. The store runs on the transport double; the notice is rendered without a page.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeskClient } from '../../renderer/src/api/client';
import { LastChangeNotice } from '../../renderer/src/components/Notices';
import { matchKey } from '../../renderer/src/keyboard/keys';
import { KEY_HANDLERS } from '../../renderer/src/keyboard/useDeskKeys';
import { createDeskStore, useDeskStore } from '../../renderer/src/state/desk-store';
import { FakeTransport, settle } from './doubles/transport';
import { changed, dayViewOf, mirrorStatusOf, rowOf } from './support/day';
import { press } from './support/group';
import { TEST_DAY } from '../support/clock';

const SESSION = {
  user: 'test.reception',
  desk: 'browser-0000test',
  signedIn: true,
  displayName: 'Test Reception',
  role: 'receptionist',
  clinicianId: null,
  locked: false,
  setupNeeded: false,
  idleLockMinutes: 5,
};
const BATCH = '6f1c2a4e-1111-4222-8333-944445555666';

const stops: Array<() => void> = [];
const shownBefore = useDeskStore.getState();
afterEach(() => {
  while (stops.length > 0) stops.pop()?.();
  useDeskStore.setState(shownBefore, true);
});

/** A store on the double with the fixture's day on screen, and the 08:40 and 09:00 patients just marked DNA. */
async function markedDna(transport = new FakeTransport()) {
  const day = dayViewOf();
  transport.answer('getDay', day).answer('getMirrorStatus', mirrorStatusOf(day)).answer('getSession', SESSION);
  const store = createDeskStore(() => createDeskClient(transport));
  stops.push(store.getState().start(TEST_DAY, TEST_DAY));
  await settle();
  const rows = ['appt-2', 'appt-5'].map((id) => rowOf(day, id));
  transport.answer('markSessionDna', { batchId: BATCH, appointments: rows.map((r) => changed(r, { status: 'dna' })) });
  expect(await store.getState().markSessionDna('sess-clin-a', rows)).toBe(true);
  return { store, transport, day, rows };
}

describe("the notice after a session's DNA", () => {
  it('offers Undo for the whole list, by its button or the undo key', async () => {
    const { store, transport } = await markedDna();
    expect(store.getState().lastChange).toMatchObject({ message: expect.stringMatching(/^2 marked DNA: /), undo: { batchId: BATCH, appointmentIds: ['appt-2', 'appt-5'] } });

    const change = store.getState().lastChange;
    if (!change) throw new Error('no notice');
    // The notice as the screen shows it, its Undo wired to this store's undoMine as Notices wires it.
    const notice = LastChangeNotice({ change, onUndo: () => void store.getState().undoMine() });
    const html = renderToStaticMarkup(notice);
    expect(html).toMatch(/data-testid="undo-last">Undo all 2<kbd class="kbd kbd--hint">Ctrl\+Z<\/kbd>/);
    expect(html).toContain('aria-keyshortcuts="Control+Z"');
    transport.answer('undoSessionDna', { batchId: BATCH, appointments: [] });
    press(notice, 'undo-last');
    await settle();
    expect(transport.callsOf('undoSessionDna')).toEqual([{ batchId: BATCH }]);

    // Ctrl+Z anywhere is the undoMine key, and its handler is the screen's store's undoMine: one press, one undo.
    expect(matchKey('anywhere', { key: 'z', ctrlKey: true, shiftKey: false, metaKey: false, altKey: false }, false)?.action).toBe('undoMine');
    let pressed = 0;
    useDeskStore.setState({
      undoMine: () => {
        pressed += 1;
        return Promise.resolve(true);
      },
    });
    KEY_HANDLERS.anywhere.undoMine(new Event('keydown') as KeyboardEvent);
    expect(pressed).toBe(1);
  });

  it('undoes the whole batch in one request, every row back, and says how many', async () => {
    const { store, transport, day, rows } = await markedDna();
    transport.answer('undoSessionDna', { batchId: BATCH, appointments: rows.map((r) => changed(r, { status: 'booked', version: r.version + 2 })) });
    const undoing = store.getState().undoMine();
    expect(store.getState().pending).toEqual({ 'appt-2': 'undo', 'appt-5': 'undo' });
    expect(await undoing).toBe(true);
    expect(transport.callsOf('undoSessionDna')).toEqual([{ batchId: BATCH }]);
    expect(transport.callsOf('undoLastChange')).toEqual([]);
    const state = store.getState();
    for (const r of rows) expect(rowOf(state.day ?? day, r.id)).toMatchObject({ status: 'booked', version: r.version + 2 });
    expect(state.pending).toEqual({});
    expect(state.lastChange?.message).toMatch(/^Undone: 2 appointments no longer DNA, booked again: /);
    // Undone, it is not offered again: a second press says there is nothing to undo.
    expect(state.lastChange?.undo).toBeNull();
  });

  it("is refused whole when one of them changed since: the desk's words, that row brought up to date, the day re-read", async () => {
    const { store, transport, day, rows } = await markedDna();
    const [, nine] = rows;
    if (!nine) throw new Error('fixture: no 09:00 row');
    const message =
      'nothing was undone: the 09:00 appointment (now Arrived) changed since the session was marked DNA. Undo the others one at a time on their rows if they were not DNA either';
    transport.fail('undoSessionDna', { code: 'conflict', message, current: changed(nine, { status: 'arrived', version: nine.version + 2 }) });
    const reads = transport.callsOf('getDay').length;
    expect(await store.getState().undoMine()).toBe(false);
    await settle();
    const state = store.getState();
    expect(state.lastError).toEqual({ kind: 'conflict', appointmentId: 'appt-5', message });
    expect(state.lastChange).toBeNull();
    expect(rowOf(state.day ?? day, 'appt-5').status).toBe('arrived');
    expect(transport.callsOf('getDay').length).toBe(reads + 1);
    expect(state.pending).toEqual({});
  });
});
