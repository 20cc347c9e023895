/**
 * What other desks reach on the group port (protocol.ts): a joining desk's pairing proof, a paired desk's hello,
 * and the coordinator's link for its members. Every request proves who sent it (the pairing proof, or a device
 * credential) before anything is read or written.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { DeskError, HTTP_STATUS_OF } from '../../../shared/api';
import type { RequestContext } from '../dispatch';
import type { OpenDesk } from '../open';
import type { CoordinatorRole } from './coordinator';
import { checkPairingProof, pairingRefusalError } from './pairing';
import { Address, credentialOf, HELLO_PATH, LINK_PATH, MAX_MESSAGE_BYTES, PAIR_PATH, PairRequest, type Hello, type PairResponse } from './protocol';
import { replicatedSeq } from './replica';
import type { GroupConfig, GroupStore } from './store';

const MAX_PAIR_BODY = 8 * 1024;

export interface GroupListenerDeps {
  desk: OpenDesk;
  store: GroupStore;
  coordinator: () => CoordinatorRole | null;
  log: (line: string) => void;
  audit: (ctx: RequestContext, detail: Record<string, unknown>) => void;
}

export class GroupListener {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });

  constructor(private readonly deps: GroupListenerDeps) {}

  close(): void {
    for (const client of this.wss.clients) client.terminate();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const refuse = (status: number, code: string, message: string) => send(status, { error: { code, message } });
    try {
      const config = this.deps.store.config();
      if (!config) return refuse(503, 'unavailable', 'this desk is not in a group');
      const url = requestUrl(req);
      if (url === null) return refuse(400, 'invalid_input', 'not a request this desk understands');
      if (req.method === 'GET' && url.pathname === HELLO_PATH) {
        const credential = credentialOf(req.headers.authorization);
        if (!credential || !this.deps.store.authenticate(credential.memberId, credential.token)) return refuse(401, 'unauthenticated', 'not a member of this group');
        const answer: Hello = {
          groupId: config.groupId,
          deskName: config.deskName,
          role: config.role,
          epoch: config.epoch,
          seq: replicatedSeq(this.deps.desk.db.raw),
          epochStartSeq: config.epochStartSeq,
        };
        return send(200, answer);
      }
      if (req.method === 'POST' && url.pathname === PAIR_PATH) {
        if (config.role !== 'coordinator') return refuse(409, 'conflict', `${config.deskName} is not the coordinator: pair with the coordinator`);
        const body = await readBody(req, MAX_PAIR_BODY);
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          return refuse(400, 'invalid_input', 'the pairing request is not JSON');
        }
        const parsed = PairRequest.safeParse(json);
        if (!parsed.success)
          return refuse(400, 'invalid_input', `the pairing request is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
        return this.pair(parsed.data, config, send, refuse);
      }
      return refuse(404, 'not_found', 'no such group endpoint');
    } catch (error) {
      this.deps.log(`group: a request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) refuse(500, 'internal', 'the request failed; nothing was changed');
    }
  }

  private pair(request: PairRequest, config: GroupConfig, send: (status: number, body: unknown) => void, refuse: (status: number, code: string, message: string) => void): void {
    const now = this.deps.desk.service.clock();
    const ctx = { user: `desk:${request.deskName}`, desk: request.deskName };
    const outcome = this.deps.desk.db.transaction(() => {
      const check = checkPairingProof(this.deps.store, { fingerprint: config.fingerprint, nonce: request.nonce, deskName: request.deskName, proof: request.proof }, now);
      if (!check.ok) {
        this.deps.audit(ctx, { what: 'pairing-refused', name: request.deskName, reason: check.reason, triesLeft: check.triesLeft });
        return check;
      }
      if (this.deps.store.memberByName(request.deskName)) return { ok: false as const, reason: 'name-taken' as const, triesLeft: 0 };
      const memberId = randomUUID();
      const token = randomBytes(32).toString('base64url');
      this.deps.store.addMember({ id: memberId, name: request.deskName, token, address: request.address, joinedAt: now.toISOString() });
      this.deps.audit(ctx, { what: 'member-joined', name: request.deskName, id: memberId, address: request.address });
      return { ok: true as const, memberId, token, confirmation: check.confirmation };
    });
    if (!outcome.ok) {
      if (outcome.reason === 'name-taken') return refuse(409, 'conflict', `a member named "${request.deskName}" is already in the group: choose another name`);
      const error = pairingRefusalError(outcome);
      return refuse(HTTP_STATUS_OF[error.code], error.code, error.message);
    }
    this.deps.log(`group: ${request.deskName} joined ${config.groupName}`);
    this.deps.coordinator()?.ship();
    const answer: PairResponse = {
      groupId: config.groupId,
      groupName: config.groupName,
      epoch: config.epoch,
      epochStartSeq: config.epochStartSeq,
      memberId: outcome.memberId,
      token: outcome.token,
      certPem: config.certPem,
      keyPem: config.keyPem,
      coordinatorName: config.deskName,
      confirmation: outcome.confirmation,
    };
    send(200, answer);
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const reject = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = requestUrl(req);
    if (url === null) return reject(400, 'Bad Request');
    if (url.pathname !== LINK_PATH) return reject(404, 'Not Found');
    const credential = credentialOf(req.headers.authorization);
    const member = credential ? this.deps.store.authenticate(credential.memberId, credential.token) : null;
    if (!member) return reject(401, 'Unauthorized');
    const coordinator = this.deps.coordinator();
    if (!coordinator) return reject(409, 'Conflict');
    const from = Number(url.searchParams.get('from') ?? 'x');
    const epoch = Number(url.searchParams.get('epoch') ?? 'x');
    if (!Number.isSafeInteger(from) || from < 0 || !Number.isSafeInteger(epoch) || epoch < 0) return reject(400, 'Bad Request');
    const advertised = Address.safeParse(url.searchParams.get('address'));
    if (advertised.success) this.deps.store.setAddress(member.id, advertised.data);
    // A desk taking the whole day again after carrying on alone or being fenced: the group's trail says it came back.
    const rejoin = url.searchParams.get('rejoin');
    const config = this.deps.store.config();
    if ((rejoin === 'carry-on' || rejoin === 'fenced') && from === 0 && config !== null && epoch === config.epoch) {
      this.deps.audit({ user: `desk:${member.name}`, desk: member.name }, { what: 'member-rejoined', name: member.name, after: rejoin, epoch });
    }
    this.wss.handleUpgrade(req, socket, head, (ws: WebSocket) => coordinator.accept(ws, member, from, epoch));
  }
}

/** The request's path and query; null for a target no URL can be made of ("//", say). */
function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'https://desk.invalid');
  } catch {
    return null;
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new DeskError('payload_too_large', 'the pairing request is too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
