/**
 * IPC sign-in: each window (webContents) gets its own random session id, held here in main and never shown to
 * the renderer, so a renderer cannot claim another window's session. The desk process maps the id to whoever
 * signed in through that window (electron/desk/auth). A reloaded or new window starts signed out.
 */
import { randomBytes } from 'node:crypto';
import { roomEventOf, type DeskEvent, type SessionInfo } from '../../shared/api';
import type { RequestContext } from '../desk/dispatch';

export class WindowSessions {
  private readonly ids = new Map<number, string>();
  /** Windows signed in as a clinician, with the clinician whose list they may follow. */
  private readonly rooms = new Map<number, string>();

  constructor(
    private readonly desk: string,
    /** Named in the audit trail for calls made before anyone signs in. */
    private readonly anonymousUser = 'signed-out',
  ) {}

  contextOf(webContentsId: number): RequestContext {
    let id = this.ids.get(webContentsId);
    if (id === undefined) {
      id = randomBytes(32).toString('base64url');
      this.ids.set(webContentsId, id);
    }
    return { user: this.anonymousUser, desk: this.desk, sessionId: id };
  }

  /** A closed or reloaded window: its id is never used again, so whatever it signed into is unreachable. */
  forget(webContentsId: number): void {
    this.ids.delete(webContentsId);
    this.rooms.delete(webContentsId);
  }

  /** What the window's session answered last (ipc.ts onSession). */
  noteSession(webContentsId: number, session: SessionInfo): void {
    if (session.signedIn && session.role === 'clinician') this.rooms.set(webContentsId, session.clinicianId ?? '');
    else this.rooms.delete(webContentsId);
  }

  /** The event as this window may see it: a clinician's window only their own list's; null to send nothing. */
  eventFor(webContentsId: number, event: DeskEvent): DeskEvent | null {
    const clinicianId = this.rooms.get(webContentsId);
    return clinicianId === undefined ? event : roomEventOf(event, clinicianId);
  }
}
