/**
 * TLS between the desks of a group (issue 16, ADR 0011). Desks speak TLS 1.3 only. The coordinator makes one
 * self-signed certificate for the group; a member pins its SHA-256 fingerprint at pairing and from then on trusts
 * exactly that certificate, whatever address the coordinator is reached at (desks are reached by IP, so host names
 * prove nothing here; the pin does).
 */
import { createHash, X509Certificate } from 'node:crypto';
import type tls from 'node:tls';
import { generate } from 'selfsigned';
import type { ClientOptions as WebSocketClientOptions } from 'ws';

/** The group's certificate and key (PEM) and the certificate's fingerprint: SHA-256 of its DER, lowercase hex. */
export interface GroupCertificate {
  certPem: string;
  keyPem: string;
  fingerprint: string;
}

/** The one DNS name in every group certificate (desks are reached by IP; practice IT may map this name to one). */
export const GROUP_CERT_DNS_NAME = 'standby-desk-group';
const TLS_VERSION = 'TLSv1.3';
const VALID_YEARS = 10;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A fingerprint in the one form this module compares: 64 lowercase hex digits. Accepts Node's "AB:CD:..." form
 * (fingerprint256) and any case, so a pin written by one part of the desk never fails to match another's.
 */
export function normaliseFingerprint(value: string): string {
  const hex = value.replace(/:/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error('a certificate fingerprint is a SHA-256: 64 hex digits, with or without colons');
  return hex;
}

function fingerprintOrNull(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    return normaliseFingerprint(value);
  } catch {
    return null;
  }
}

/** The SHA-256 fingerprint of a PEM certificate (of its DER encoding), lowercase hex. */
export function fingerprintOf(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex');
}

/**
 * A new group certificate: EC P-256 signed with SHA-256, valid from a day before `now` (a member whose clock runs
 * behind still accepts it) for ten years (an outage-day tool must not stop working because a certificate quietly
 * expired; the pin, not the expiry, is what limits trust). `now` comes from the desk's clock, never read here.
 */
export async function makeGroupCertificate(groupName: string, now: Date): Promise<GroupCertificate> {
  const notBeforeDate = new Date(now.getTime() - DAY_MS);
  const notAfterDate = new Date(now.getTime());
  notAfterDate.setUTCFullYear(notAfterDate.getUTCFullYear() + VALID_YEARS);
  const pems = await generate([{ name: 'commonName', value: `Standby Desk group ${groupName}` }], {
    keyType: 'ec',
    curve: 'P-256',
    // selfsigned's default signature is SHA-1, which TLS 1.3 peers may refuse.
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: GROUP_CERT_DNS_NAME }] },
    ],
  });
  return { certPem: pems.cert, keyPem: pems.private, fingerprint: fingerprintOf(pems.cert) };
}

export interface GroupServerTlsOptions {
  cert: string;
  key: string;
  minVersion: 'TLSv1.3';
  maxVersion: 'TLSv1.3';
}

/** Options for `https.createServer` / `tls.createServer`: the group certificate, TLS 1.3 and nothing older. */
export function serverTlsOptions(cert: GroupCertificate): GroupServerTlsOptions {
  return { cert: cert.certPem, key: cert.keyPem, minVersion: TLS_VERSION, maxVersion: TLS_VERSION };
}

export interface PinnedClientOptions {
  ca: string;
  rejectUnauthorized: true;
  minVersion: 'TLSv1.3';
  maxVersion: 'TLSv1.3';
  checkServerIdentity: (host: string, cert: tls.PeerCertificate) => Error | undefined;
}

/**
 * Options for `https.request` or `new WebSocket(url, options)` (ws passes them to TLS) that trust exactly the
 * group certificate. `ca` makes the chain check accept it (and nothing a public CA signed); checkServerIdentity
 * replaces the host-name check, which cannot hold for desks reached by IP, with the fingerprint pin: only the pinned
 * certificate itself, byte for byte, is accepted, even if a caller widens `ca`.
 */
export function pinnedClientOptions(certPem: string): PinnedClientOptions {
  const pinned = fingerprintOf(certPem);
  return {
    ca: certPem,
    rejectUnauthorized: true,
    minVersion: TLS_VERSION,
    maxVersion: TLS_VERSION,
    checkServerIdentity: (_host, cert) => {
      const presented = fingerprintOrNull(cert.fingerprint256);
      if (presented === pinned) return undefined;
      const refusal = new Error(`The desk answering is not this group's coordinator: its certificate (${presented ?? 'none'}) is not the one pinned at pairing (${pinned}).`);
      return Object.assign(refusal, { code: 'ERR_GROUP_CERT_NOT_PINNED' });
    },
  };
}

/**
 * pinnedClientOptions typed for `new WebSocket(url, options)`. ws hands checkServerIdentity to tls.connect, which
 * treats any returned value as the refusal (Error | undefined, what the pin returns); @types/ws declares it as
 * returning boolean, so without this cast the correct function does not type-check (and a `false` written to
 * satisfy that type would accept every certificate).
 */
export function pinnedWebSocketOptions(certPem: string): WebSocketClientOptions {
  const { checkServerIdentity, ...rest } = pinnedClientOptions(certPem);
  return { ...rest, checkServerIdentity: checkServerIdentity as unknown as NonNullable<WebSocketClientOptions['checkServerIdentity']> };
}

export interface UnpinnedClientOptions {
  rejectUnauthorized: false;
  minVersion: 'TLSv1.3';
  maxVersion: 'TLSv1.3';
}

/**
 * For the pairing request only, when nothing is pinned yet: TLS 1.3, any certificate accepted. Safe only because
 * both pairing proofs are bound to the fingerprint this connection saw (peerFingerprint; pairing.ts): a man in the
 * middle presenting its own certificate gets a proof the real coordinator refuses, and cannot make the
 * confirmation the joining desk must check before it pins what it saw.
 */
export function unpinnedClientOptions(): UnpinnedClientOptions {
  return { rejectUnauthorized: false, minVersion: TLS_VERSION, maxVersion: TLS_VERSION };
}

/** The fingerprint of the certificate the server presented on this connection (lowercase hex). */
export function peerFingerprint(socket: tls.TLSSocket): string {
  const cert = socket.getPeerX509Certificate();
  if (!cert) throw new Error('the connection has no server certificate (it is not TLS, or it has closed)');
  return normaliseFingerprint(cert.fingerprint256);
}
