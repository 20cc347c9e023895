/**
 * The first-run set-up's desk group (issue 20 item 1, ADR 0011): this desk alone, a group started here (after the
 * set-up's accounts exist, so the group is made by the first manager), or a group joined from an empty data folder.
 * Making the certificate and copying the day take a while, so each is started here and followed (getGroupSetup), as
 * the FHIR connection test is. The work itself is the CLI's (group/admin.ts); a group link running beside this desk
 * (`serve`, the app) notices the new role at its next heartbeat and listens or follows from then on.
 *
 * What a joining desk still sets of its own: nothing on the set-up screen. The practice's settings (the book, the
 * pack and backup folders) live in the replicated database, so the coordinator's arrive with the day; a PC that
 * needs its own pack or backup folder says so in upkeep-settings.json or backup-settings.json in its data folder,
 * which win over the saved values and stay on that PC.
 */
import { DeskError, type GroupSetupProgress } from '../../shared/api';
import type { RequestContext } from './dispatch';
import { createGroup, joinGroup, type GroupDeskParts } from './group/admin';
import { GroupStore } from './group/store';

export interface GroupSetup {
  /** Refuses, before anything is saved, a set-up that cannot start a group here. */
  mayStart(): void;
  /** Starts the group, named for the practice, once the set-up's accounts exist; `ctx` is the first manager's. */
  start(names: { deskName: string; groupName: string }, ctx: RequestContext): void;
  join(input: { address: string; code: string; deskName: string }): GroupSetupProgress;
  progress(): GroupSetupProgress;
}

export function createGroupSetup(desk: GroupDeskParts, changed: () => void): GroupSetup {
  const store = new GroupStore(desk.db);
  let state: GroupSetupProgress = { state: 'none' };

  const notUnderWay = () => {
    if (state.state === 'running') throw new DeskError('conflict', 'The desk group is being set up already: wait for it to finish.');
    const config = store.config();
    if (config) throw new DeskError('conflict', `This data folder is already in the group ${config.groupName} (as ${config.role}).`);
  };

  return {
    mayStart: notUnderWay,
    start(names, ctx) {
      notUnderWay();
      state = { state: 'running', action: 'start' };
      createGroup(desk, names, ctx).then(
        ({ config, pairing }) => {
          state = { state: 'started', groupName: config.groupName, deskName: config.deskName, pairing, listening: null };
        },
        (error: unknown) => {
          state = {
            state: 'failed',
            action: 'start',
            message: `Standby Desk is set up, but the desk group could not be started (${messageOf(error)}). Start it later with standby-desk group create.`,
          };
        },
      );
    },
    join(input) {
      // Joining copies the coordinator's accounts and day over this folder's: never once this desk has its own.
      if (desk.service.auth.accountCount() > 0) {
        throw new DeskError('forbidden', 'Standby Desk is set up on this data folder already: a desk joins its group from a new, empty data folder.');
      }
      notUnderWay();
      const held = desk.service.journal.lastSeq();
      if (held > 0) throw new DeskError('conflict', `This data folder already holds a day of its own (${held} journal entries): join from a new, empty data folder.`);
      state = { state: 'running', action: 'join' };
      joinGroup(desk, input).then(
        ({ config, seq }) => {
          state = { state: 'joined', groupName: config.groupName, deskName: config.deskName, coordinator: input.address, seq };
          // The practice's settings came with the day: upkeep starts again with them (a member pulls nothing).
          changed();
        },
        (error: unknown) => {
          const paired = store.config() !== null;
          state = { state: 'failed', action: 'join', message: `${messageOf(error)}${paired ? '' : ' Nothing was stored.'}` };
        },
      );
      return state;
    },
    progress() {
      if (state.state !== 'started') return state;
      // Where the group link listens, once the link running beside this desk has started it (its next heartbeat).
      const address = desk.service.group.status().coordinator?.address ?? null;
      return { ...state, listening: address, pairing: { ...state.pairing, address: state.pairing.address ?? address } };
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
