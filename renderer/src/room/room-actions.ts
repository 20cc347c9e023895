/** What the room's keys and buttons do: move through the list, and act on the patient with the keyboard. */
import { refusalOf, type RoomList } from './room-model';
import type { RoomKeyAction } from './room-keys';
import { useRoomStore } from './room-store';

/** Focuses a patient's row in the list and makes it the current one. */
export function focusRoomRow(appointmentId: string): void {
  useRoomStore.getState().setCurrent(appointmentId);
  const row = document.querySelector<HTMLElement>(`[data-room-row=${JSON.stringify(appointmentId)}]`);
  row?.focus();
  row?.scrollIntoView({ block: 'nearest' });
}

export function runRoomKey(action: RoomKeyAction, list: RoomList): void {
  const store = useRoomStore.getState();
  const order = list.order;
  const at = store.current === null ? -1 : order.indexOf(store.current);
  const go = (index: number) => {
    const id = order[Math.max(0, Math.min(order.length - 1, index))];
    if (id !== undefined) focusRoomRow(id);
  };
  switch (action) {
    case 'up':
      return go(at < 0 ? 0 : at - 1);
    case 'down':
      return go(at + 1);
    case 'first':
      return go(0);
    case 'last':
      return go(order.length - 1);
    case 'help':
      return store.open({ kind: 'help' });
    default:
      return runPatientAction(action, store.current);
  }
}

/** Runs a patient action from a key or a button: refused with a message when it does not apply to them. */
export function runPatientAction(action: Exclude<RoomKeyAction, 'up' | 'down' | 'first' | 'last' | 'help'>, appointmentId: string | null): void {
  const store = useRoomStore.getState();
  const row = appointmentId === null ? null : (store.day?.appointments.find((a) => a.id === appointmentId) ?? null);
  if (row === null) {
    store.open({ kind: 'help' });
    return;
  }
  const refusal = refusalOf(action, row, store.settings.cliniciansMayDna);
  if (refusal !== null) {
    store.report(refusal, row.id);
    return;
  }
  switch (action) {
    case 'note':
      return store.open({ kind: 'note', appointmentId: row.id });
    case 'recall':
      return void store.recall(row.id);
    default:
      return void store.act(row.id, action);
  }
}
