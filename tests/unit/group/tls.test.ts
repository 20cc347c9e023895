/**
 * The group's TLS over real sockets on 127.0.0.1: an HTTPS server with serverTlsOptions and clients with the
 * pinned and unpinned options, as the group link uses them.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type tls from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  fingerprintOf,
  makeGroupCertificate,
  normaliseFingerprint,
  peerFingerprint,
  pinnedClientOptions,
  pinnedWebSocketOptions,
  serverTlsOptions,
  unpinnedClientOptions,
  type GroupCertificate,
} from '../../../electron/desk/group/tls';
import { TEST_NOW } from '../../support/clock';
import { WebSocket, WebSocketServer, type ClientOptions } from 'ws';

const servers: https.Server[] = [];
afterEach(async () => {
  refusedHandshakes.length = 0;
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** The error codes of handshakes the server refused, by the server's own account. */
const refusedHandshakes: string[] = [];

async function startServer(cert: GroupCertificate): Promise<number> {
  const server = https.createServer(serverTlsOptions(cert), (_req, res) => res.end('group'));
  server.on('tlsClientError', (error: NodeJS.ErrnoException) => refusedHandshakes.push(error.code ?? error.message));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

interface Answer {
  status: number | undefined;
  body: string;
  protocol: string | null;
  fingerprint: string;
}

/** One GET on a fresh connection (agent: false), so no pooled socket or resumed session hides a handshake. */
function get(port: number, options: https.RequestOptions): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path: '/', agent: false, ...options }, (res) => {
      const socket = res.socket as tls.TLSSocket;
      const protocol = socket.getProtocol();
      const fingerprint = peerFingerprint(socket);
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body, protocol, fingerprint }));
    });
    req.on('error', reject);
    req.end();
  });
}

const now = new Date(TEST_NOW);
let groupA: GroupCertificate;
let groupB: GroupCertificate;
/** Another practice's group: a different name, so OpenSSL can tell it from group A when both are trusted. */
let otherPractice: GroupCertificate;
beforeAll(async () => {
  groupA = await makeGroupCertificate('Test Street Surgery', now);
  groupB = await makeGroupCertificate('Test Street Surgery', now);
  otherPractice = await makeGroupCertificate('Other Lane Practice', now);
});

describe('the group certificate', () => {
  it('is EC P-256 signed with SHA-256, names the group, has the group DNS name and runs from a day before the pinned clock for ten years', () => {
    const x509 = new X509Certificate(groupA.certPem);
    expect(x509.subject).toBe('CN=Standby Desk group Test Street Surgery');
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.subjectAltName).toBe('DNS:standby-desk-group');
    expect(new Date(x509.validFrom).toISOString()).toBe('2026-07-19T09:30:00.000Z');
    expect(new Date(x509.validTo).toISOString()).toBe('2036-07-20T09:30:00.000Z');
    expect(x509.ca).toBe(false);
    expect(x509.publicKey.asymmetricKeyType).toBe('ec');
    expect(x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(x509.checkPrivateKey(createPrivateKey(groupA.keyPem))).toBe(true);
    expect(x509.verify(x509.publicKey)).toBe(true);
  });

  it('has a fingerprint that is the SHA-256 of its DER in lowercase hex, and each group its own', () => {
    const x509 = new X509Certificate(groupA.certPem);
    expect(groupA.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(groupA.fingerprint).toBe(x509.fingerprint256.replace(/:/g, '').toLowerCase());
    expect(fingerprintOf(groupA.certPem)).toBe(groupA.fingerprint);
    expect(groupB.fingerprint).not.toBe(groupA.fingerprint);
    expect(groupB.keyPem).not.toBe(groupA.keyPem);
  });

  it('normalises fingerprints written either way, and refuses what is not one', () => {
    expect(normaliseFingerprint(new X509Certificate(groupA.certPem).fingerprint256)).toBe(groupA.fingerprint);
    expect(normaliseFingerprint(groupA.fingerprint.toUpperCase())).toBe(groupA.fingerprint);
    expect(() => normaliseFingerprint('ab:cd')).toThrow(/64 hex digits/);
    expect(() => normaliseFingerprint(`${groupA.fingerprint.slice(0, 63)}g`)).toThrow(/64 hex digits/);
  });
});

describe('TLS between desks', () => {
  it('a pinned client reaches the group server by IP (no host-name match needed) over TLS 1.3', async () => {
    const port = await startServer(groupA);
    const answer = await get(port, pinnedClientOptions(groupA.certPem));
    expect(answer).toEqual({ status: 200, body: 'group', protocol: 'TLSv1.3', fingerprint: groupA.fingerprint });
  });

  it('a pinned client refuses a server with another group certificate', async () => {
    const port = await startServer(groupB);
    await expect(get(port, pinnedClientOptions(groupA.certPem))).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('the fingerprint pin refuses another certificate even when the chain check would accept it', async () => {
    const port = await startServer(otherPractice);
    // Both certificates trusted: only checkServerIdentity's pin stands between the client and the other practice.
    const bothTrusted = [groupA.certPem, otherPractice.certPem];
    await expect(get(port, { ...pinnedClientOptions(groupA.certPem), ca: bothTrusted })).rejects.toMatchObject({
      code: 'ERR_GROUP_CERT_NOT_PINNED',
      message: expect.stringContaining(otherPractice.fingerprint),
    });
    // The same options pinned to the other practice get through: the refusal above is the pin, not the chain.
    await expect(get(port, { ...pinnedClientOptions(otherPractice.certPem), ca: bothTrusted })).resolves.toMatchObject({ status: 200 });
  });

  it('the server refuses a client that offers at most TLS 1.2', async () => {
    const port = await startServer(groupA);
    const pinned = pinnedClientOptions(groupA.certPem);
    await expect(get(port, { ...pinned, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' })).rejects.toMatchObject({
      code: 'EPROTO',
      message: expect.stringMatching(/alert protocol version/),
    });
    expect(refusedHandshakes).toEqual(['ERR_SSL_UNSUPPORTED_PROTOCOL']);
    // The same client allowed TLS 1.3 connects: the refusal above is the version alone.
    await expect(get(port, { ...pinned, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' })).resolves.toMatchObject({ protocol: 'TLSv1.3' });
  });

  it('the pinned and unpinned client options never allow less than TLS 1.3, and the server options carry the key', () => {
    expect(pinnedClientOptions(groupA.certPem)).toMatchObject({ ca: groupA.certPem, rejectUnauthorized: true, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' });
    expect(unpinnedClientOptions()).toEqual({ rejectUnauthorized: false, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' });
    expect(serverTlsOptions(groupA)).toEqual({ cert: groupA.certPem, key: groupA.keyPem, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' });
  });

  it('an unpinned client (pairing) connects to any group server, and peerFingerprint says which certificate it saw', async () => {
    const portA = await startServer(groupA);
    const portB = await startServer(groupB);
    const seenA = await get(portA, unpinnedClientOptions());
    const seenB = await get(portB, unpinnedClientOptions());
    expect(seenA).toMatchObject({ status: 200, protocol: 'TLSv1.3', fingerprint: groupA.fingerprint });
    expect(seenB).toMatchObject({ status: 200, protocol: 'TLSv1.3', fingerprint: groupB.fingerprint });
  });

  it("the pin's identity check accepts the pinned certificate and refuses another, whatever the host", async () => {
    const port = await startServer(groupB);
    const peer = await new Promise<tls.PeerCertificate>((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port, path: '/', agent: false, ...unpinnedClientOptions() }, (res) => {
        resolve((res.socket as tls.TLSSocket).getPeerCertificate());
        res.resume();
      });
      req.on('error', reject);
      req.end();
    });
    expect(pinnedClientOptions(groupB.certPem).checkServerIdentity('10.0.0.7', peer)).toBeUndefined();
    expect(pinnedClientOptions(groupA.certPem).checkServerIdentity('standby-desk-group', peer)).toBeInstanceOf(Error);
  });
});

describe('WebSocket between desks (ws passes the options to TLS)', () => {
  async function startWsServer(cert: GroupCertificate): Promise<number> {
    const port = await startServer(cert);
    const server = servers.at(-1);
    if (!server) throw new Error('no server started');
    const wss = new WebSocketServer({ server });
    wss.on('connection', (socket) => socket.send('hello from the coordinator'));
    return port;
  }

  function firstMessage(port: number, options: ClientOptions): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`wss://127.0.0.1:${port}/`, options);
      socket.on('message', (data: Buffer) => {
        resolve(data.toString('utf8'));
        socket.close();
      });
      socket.on('error', reject);
    });
  }

  it('a pinned WebSocket reaches the group server and refuses another group', async () => {
    const portA = await startWsServer(groupA);
    const portOther = await startWsServer(otherPractice);
    await expect(firstMessage(portA, pinnedWebSocketOptions(groupA.certPem))).resolves.toBe('hello from the coordinator');
    await expect(firstMessage(portOther, pinnedWebSocketOptions(groupA.certPem))).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    await expect(firstMessage(portOther, { ...pinnedWebSocketOptions(groupA.certPem), ca: [groupA.certPem, otherPractice.certPem] })).rejects.toMatchObject({
      code: 'ERR_GROUP_CERT_NOT_PINNED',
    });
  });
});
