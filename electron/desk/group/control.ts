/**
 * What the desk service asks of the group for the group's own operations (shared/api/group.ts). The running
 * group link (group/node.ts) answers them; a desk with no link running (the CLI reading a folder, a test) gets
 * the stored answer: its role and members as last written, state "not-running" (or "alone" when standalone).
 */
import type { GroupStatus, PairingCode } from '../../../shared/api';
import type { RequestContext } from '../dispatch';

export interface GroupControl {
  status(): GroupStatus;
  createPairingCode(ctx: RequestContext): PairingCode;
  removeMember(name: string, ctx: RequestContext): GroupStatus;
  takeOver(ctx: RequestContext): GroupStatus;
  exportCertificate(ctx: RequestContext): { fileName: string; contentType: string; content: string };
}
