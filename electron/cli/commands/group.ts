/**
 * `standby-desk group ...`: the desk group from the command line (issue 16). The names are fixed because outside
 * checks use them. Each works on the data folder whether or not `serve` runs in it; a running group link picks the
 * change up at its next heartbeat.
 */
import { DeskName, type GroupStatus, type PairingCode } from '../../../shared/api';
import { createGroup, joinGroup, leaveGroup, liveStatus, newPairingCode, removeMemberStored, takeOverFromCli } from '../../desk/group/admin';
import { Address } from '../../desk/group/protocol';
import { dataDirOf, noArguments, oneArgument, parseOptions, requiredOption, UsageError, withDesk, type Command, type Out } from '../common';

const SUBCOMMANDS = ['create', 'pairing-code', 'join', 'status', 'take-over', 'remove', 'leave'] as const;

export const groupCommand: Command = {
  name: 'group',
  usage: `group create --name NAME [--group PRACTICE-GROUP] | group pairing-code | group join HOST:PORT --code CODE --name NAME
        [--advertise HOST:PORT] | group status | group take-over --yes | group remove NAME | group leave   [--json]
                        the practice's desk group: make this data folder the coordinator (and show a pairing code),
                        show a fresh code, pair this (empty) data folder with the coordinator at HOST:PORT and copy the
                        day, show role, epoch, members and lag, take over from a coordinator that is down, remove a
                        member, or leave; desks talk TLS 1.3 only on serve's --group-port (default 4781)`,
  async run(args, out) {
    const [sub, ...rest] = args;
    if (sub === undefined || !(SUBCOMMANDS as readonly string[]).includes(sub)) throw new UsageError(`group needs one of: ${SUBCOMMANDS.join(', ')}`);
    const { values: v, positionals } = parseOptions(
      rest,
      { name: { type: 'string' }, group: { type: 'string' }, code: { type: 'string' }, advertise: { type: 'string' }, yes: { type: 'boolean', default: false } },
      true,
    );
    return withDesk(dataDirOf(v.data), async (desk) => {
      const ctx = desk.context;
      switch (sub) {
        case 'create': {
          noArguments('group create', positionals);
          const deskName = deskNameOf(requiredOption('group create', 'name', v.name, 'NAME'));
          const { config, pairing } = await createGroup(desk, { deskName, ...(v.group === undefined ? {} : { groupName: v.group }) }, ctx);
          if (v.json) out.log(JSON.stringify({ group: config.groupName, desk: config.deskName, role: config.role, epoch: config.epoch, fingerprint: config.fingerprint, pairing }));
          else {
            out.log(`This data folder is now the coordinator of ${config.groupName}, as "${config.deskName}".`);
            out.log(`Certificate fingerprint (members pin it): ${groupedFingerprint(config.fingerprint)}`);
            printPairing(out, pairing);
            out.log('Run `standby-desk serve` here; other desks join with `standby-desk group join THIS-PC:4781 --code CODE --name NAME`.');
          }
          return 0;
        }
        case 'pairing-code': {
          noArguments('group pairing-code', positionals);
          const pairing = newPairingCode(desk, ctx);
          if (v.json) out.log(JSON.stringify(pairing));
          else printPairing(out, pairing);
          return 0;
        }
        case 'join': {
          const address = oneArgument('group join', positionals, 'HOST:PORT', 'where the coordinator listens (its --group-port, default 4781)');
          if (!Address.safeParse(address).success) throw new UsageError(`group join: "${address}" is not HOST:PORT`);
          const code = requiredOption('group join', 'code', v.code, 'CODE');
          const deskName = deskNameOf(requiredOption('group join', 'name', v.name, 'NAME'));
          if (v.advertise !== undefined && !Address.safeParse(v.advertise).success) throw new UsageError(`--advertise "${v.advertise}" is not HOST:PORT`);
          const { config, seq } = await joinGroup(desk, { address, code, deskName, ...(v.advertise === undefined ? {} : { advertise: v.advertise }) }, (line) => out.error(line));
          if (v.json) out.log(JSON.stringify({ group: config.groupName, desk: config.deskName, role: config.role, epoch: config.epoch, fingerprint: config.fingerprint, seq }));
          else {
            out.log(`Joined ${config.groupName} as "${config.deskName}"; this data folder holds the group's day up to seq ${seq}.`);
            out.log(`Pinned certificate: ${groupedFingerprint(config.fingerprint)}`);
            out.log('Run `standby-desk serve` here to follow the coordinator.');
          }
          return 0;
        }
        case 'status': {
          noArguments('group status', positionals);
          const status = liveStatus(desk) ?? desk.service.group.status();
          if (v.json) out.log(JSON.stringify(status));
          else printStatus(out, status);
          return 0;
        }
        case 'take-over': {
          noArguments('group take-over', positionals);
          if (v.yes !== true) throw new UsageError('group take-over makes this desk the coordinator: say --yes once you are sure the coordinator is down');
          const config = await takeOverFromCli(desk, ctx);
          out.log(
            v.json
              ? JSON.stringify({ group: config.groupName, role: config.role, epoch: config.epoch, fromSeq: config.epochStartSeq })
              : `This desk is now the coordinator of ${config.groupName} (epoch ${config.epoch}, from seq ${config.epochStartSeq}).`,
          );
          return 0;
        }
        case 'remove': {
          const name = oneArgument('group remove', positionals, 'NAME', 'the member desk to remove');
          removeMemberStored(desk, name, ctx);
          out.log(v.json ? JSON.stringify({ removed: name }) : `Removed ${name}: its credential is refused from now on.`);
          return 0;
        }
        case 'leave': {
          noArguments('group leave', positionals);
          const left = leaveGroup(desk, ctx);
          out.log(v.json ? JSON.stringify({ left: left.groupName }) : `This data folder has left ${left.groupName}; it keeps its copy of the day and works alone.`);
          return 0;
        }
        default:
          throw new UsageError(`group needs one of: ${SUBCOMMANDS.join(', ')}`);
      }
    });
  },
};

function deskNameOf(value: string): string {
  const parsed = DeskName.safeParse(value);
  if (!parsed.success) throw new UsageError(`--name "${value}": up to 40 letters, digits, spaces and . _ ' -`);
  return parsed.data;
}

function groupedFingerprint(fingerprint: string): string {
  return (fingerprint.match(/.{1,4}/g) ?? []).join(' ');
}

function printPairing(out: Out, pairing: PairingCode): void {
  out.log(`Pairing code: ${pairing.code}   (single use; until ${pairing.expiresAt.slice(11, 16)} UTC; 5 wrong tries void it)`);
}

function printStatus(out: Out, s: GroupStatus): void {
  if (s.role === 'standalone') {
    out.log('This desk is not in a group.');
    return;
  }
  out.log(`Group ${s.groupName ?? ''}: this desk "${s.thisDesk ?? ''}" is ${s.role} (${s.state}), epoch ${s.epoch}`);
  out.log(`Coordinator: ${s.coordinator ? `${s.coordinator.name}${s.coordinator.address ? ` at ${s.coordinator.address}` : ''}` : 'unknown'}`);
  out.log(
    `Replicated seq: ${s.seq}; coordinator at ${s.coordinatorSeq}; lag ${s.lag}; ${s.heldOnTwoPcs ? 'changes held on two PCs' : 'ONLY THIS PC holds changes not yet on another'}`,
  );
  for (const m of s.members) {
    out.log(
      `  ${m.name.padEnd(24)} ${m.coordinator ? 'coordinator' : 'member     '} ${m.online ? 'online ' : 'offline'} seq ${String(m.replicatedSeq).padStart(6)}  last seen ${m.lastSeen ?? '-'}${m.thisDesk ? '  (this desk)' : ''}`,
    );
  }
}
