import { useEffect } from 'react';
import { localDateOf, localTimeOf } from '../../../shared/domain';
import { useDeskStore } from '../state/desk-store';
import { useRoomStore } from '../room/room-store';
import { useDrillStore } from './drill-store';
import './drill.css';

/**
 * DRILL across the top of every signed-in screen while an outage drill runs (and body[data-drill] for a frame round
 * the page), so no one takes the sandbox for the real day. The waiting-room display has its own (DisplayApp).
 */
export function DrillBand() {
  const running = useDrillStore((s) => s.state?.running ?? null);
  // The day on screen says whether it is a drill's (MirrorInfo.drill), and is re-read at once when a drill starts or
  // ends anywhere (mirror.replaced): the drill is read on mount and again whenever that changes.
  const deskDrill = useDeskStore((s) => s.day?.mirror.drill === true);
  const roomDrill = useRoomStore((s) => s.day?.mirror.drill === true);
  useEffect(() => void useDrillStore.getState().refresh(), [deskDrill, roomDrill]);
  const on = running !== null;
  useEffect(() => {
    if (!on) return;
    document.body.dataset['drill'] = 'on';
    return () => {
      delete document.body.dataset['drill'];
    };
  }, [on]);
  if (running === null) return null;
  return <DrillBandText since={running.startedAt} by={running.startedBy} />;
}

export function DrillBandText({ since, by }: { since?: string; by?: string }) {
  const when = since === undefined ? '' : ` since ${localDateOf(since) === localDateOf(new Date()) ? localTimeOf(since) : `${localDateOf(since)} ${localTimeOf(since)}`}`;
  return (
    <div className="drill-band" role="status" data-testid="drill-band">
      <strong className="drill-band__text">DRILL{when}</strong>
      <span className="drill-band__hint">
        Practice only: a copy of the day, thrown away when the drill ends. Nothing here goes back to the clinical system.
        {by === undefined ? null : ` Started by ${by}.`}
      </span>
    </div>
  );
}
