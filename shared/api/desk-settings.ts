/**
 * The practice's own rules for the desk (issue 18): while the clinical system is up (mode online) a change made
 * at the desk belongs in the clinical system, so the desk warns before the first one ('warn') or refuses them all
 * ('refuse'). One value in meta (electron/desk/actions/desk-settings.ts), replaced by a manager and audited.
 */
import { z } from 'zod';
import type { OperationEntry } from './policy';

export const ONLINE_CHANGES = ['warn', 'refuse'] as const;
export const OnlineChanges = z.enum(ONLINE_CHANGES);
export type OnlineChanges = z.infer<typeof OnlineChanges>;

export const ONLINE_CHANGES_LABEL: Record<OnlineChanges, string> = {
  warn: 'Warn, then allow',
  refuse: 'Refuse',
};

export const DeskSettings = z.strictObject({ onlineChanges: OnlineChanges });
export type DeskSettings = z.infer<typeof DeskSettings>;

/** A new practice warns: refusing would stop a desk that was switched to outage late from doing anything. */
export const DEFAULT_DESK_SETTINGS: DeskSettings = { onlineChanges: 'warn' };

/** What a refused change says: where the change belongs, and how the desk takes changes again. */
export const ONLINE_REFUSAL =
  'The clinical system is up (the desk is online): make this change in the clinical system. The practice has set the desk to refuse changes while online; switch the desk to outage mode if the clinical system is down.';

/** What the screen asks before the first change of a session while online, when the practice warns. */
export const ONLINE_WARNING = 'The clinical system is up (the desk is online): this change belongs in the clinical system. Make it at the desk as well?';

export const DESK_SETTINGS_CONTRACT = {
  getDeskSettings: {
    input: z.strictObject({}),
    output: DeskSettings,
    policy: { role: 'desk', reads: true, display: false, room: 'any', session: true, runsIn: 'desk', standalone: true },
  },
  /** The whole of the desk's settings, replaced at once; audited ('settings-changed'). */
  setDeskSettings: {
    input: DeskSettings,
    output: DeskSettings,
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
} as const satisfies Record<string, OperationEntry>;
