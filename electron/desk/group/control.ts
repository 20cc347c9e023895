/**
 * What the desk service asks of the group for the group's own operations (shared/api/group.ts). The running
 * group link (group/node.ts) answers them; a desk with no link running (the CLI reading a folder, a test) gets
 * the stored answer: its role and members as last written, state "not-running" (or "alone" when standalone).
 */
import type { GroupReview, GroupStatus, PairingCode } from '../../../shared/api';
import type { RequestContext } from '../dispatch';

export interface GroupControl {
  status(): GroupStatus;
  createPairingCode(ctx: RequestContext): PairingCode;
  removeMember(name: string, ctx: RequestContext): GroupStatus;
  takeOver(ctx: RequestContext): GroupStatus;
  exportCertificate(ctx: RequestContext): { fileName: string; contentType: string; content: string };
  carryOnAlone(ctx: RequestContext): GroupStatus;
  rejoin(ctx: RequestContext): GroupStatus;
  review(): GroupReview;
  /**
   * Records a person's decision. For `apply`, the group link has already had the coordinator make the change (the
   * dispatcher is synchronous; the round trip happens before it, in node.ts).
   */
  resolveReviewItem(seq: number, action: 'apply' | 'keep-group' | 'keyed', ctx: RequestContext): GroupReview;
}
