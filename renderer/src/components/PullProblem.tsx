import type { UpstreamInfo } from '../../../shared/api';
import { localTimeOf } from '../../../shared/domain';

/** Long server messages are cut on screen; the whole message is in the tooltip and in `standby-desk status`. */
const MESSAGE_CHARS = 120;

/**
 * Says in the header that the last pull from the clinical system failed, when and why. Without it a receptionist
 * saw only the mirror growing older, and had to ask IT whether the desk had stopped trying or the server had
 * stopped answering.
 */
export function PullProblem({ upstream }: { upstream: Pick<UpstreamInfo, 'reachable' | 'lastError' | 'lastErrorAt' | 'lastSuccessAt'> | null }) {
  if (!upstream || upstream.reachable !== false || upstream.lastErrorAt === null) return null;
  const message = upstream.lastError ?? 'no answer';
  const shown = message.length > MESSAGE_CHARS ? `${message.slice(0, MESSAGE_CHARS - 1)}…` : message;
  return (
    <span className="pull-problem" role="status" data-testid="pull-problem" title={message}>
      Clinical system not answering: last try <time dateTime={upstream.lastErrorAt}>{localTimeOf(upstream.lastErrorAt)}</time> failed ({shown})
      {upstream.lastSuccessAt ? (
        <>
          ; last good pull <time dateTime={upstream.lastSuccessAt}>{localTimeOf(upstream.lastSuccessAt)}</time>
        </>
      ) : null}
    </span>
  );
}
