/**
 * The group's plain requests between desks (pairing, hello), over TLS 1.3: pinned to the group certificate once
 * paired; unpinned only to learn which certificate a coordinator presents before pairing with it, which the
 * pairing proof then binds (pairing.ts).
 */
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { z } from 'zod';
import { DeskErrorShape, type DeskErrorShape as ErrorShape } from '../../../shared/api';
import { pinnedClientOptions, unpinnedClientOptions } from './tls';
import { credentialHeader, Hello, HELLO_PATH } from './protocol';

const REQUEST_TIMEOUT_MS = 3000;

export class GroupRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly shape: ErrorShape | null = null,
  ) {
    super(message);
    this.name = 'GroupRequestError';
  }
}

export function splitAddress(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(address.slice(at + 1)) };
}

/** The certificate a desk presents at `address`, before anything is pinned. */
export function presentedCertificate(address: string, timeoutMs = REQUEST_TIMEOUT_MS): Promise<{ certPem: string }> {
  const { host, port } = splitAddress(address);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, ...unpinnedClientOptions(), ...(net.isIP(host) !== 0 ? {} : { servername: host }) });
    const timer = setTimeout(() => socket.destroy(new Error(`no answer from ${address} within ${timeoutMs / 1000} s`)), timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const cert = socket.getPeerCertificate(true);
      socket.end();
      const der = cert.raw;
      const body = der.toString('base64').replace(/(.{64})/g, '$1\n');
      resolve({ certPem: `-----BEGIN CERTIFICATE-----\n${body}${body.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n` });
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(new GroupRequestError(`could not reach a desk at ${address}: ${error.message}`, null));
    });
  });
}

/** One JSON request to a desk pinned to `certPem`; the answer parsed with `schema`, a refusal as GroupRequestError. */
export function groupRequest<T>(
  address: string,
  certPem: string,
  request: { method: 'GET' | 'POST'; path: string; body?: unknown; credential?: { memberId: string; token: string } },
  schema: z.ZodType<T>,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<T> {
  const { host, port } = splitAddress(address);
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host,
        port,
        method: request.method,
        path: request.path,
        ...pinnedClientOptions(certPem),
        agent: false,
        timeout: timeoutMs,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
          ...(request.credential ? { authorization: credentialHeader(request.credential.memberId, request.credential.token) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            reject(new GroupRequestError(`the desk at ${address} answered something that is not JSON (HTTP ${res.statusCode ?? '?'})`, res.statusCode ?? null));
            return;
          }
          if ((res.statusCode ?? 500) >= 400) {
            const shape = DeskErrorShape.safeParse((json as { error?: unknown }).error);
            reject(
              new GroupRequestError(
                shape.success ? shape.data.message : `the desk at ${address} refused (HTTP ${res.statusCode ?? '?'})`,
                res.statusCode ?? null,
                shape.success ? shape.data : null,
              ),
            );
            return;
          }
          const parsed = schema.safeParse(json);
          if (parsed.success) resolve(parsed.data);
          else reject(new GroupRequestError(`the desk at ${address} answered in a form this desk does not understand`, res.statusCode ?? null));
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', (error) => reject(error instanceof GroupRequestError ? error : new GroupRequestError(`could not reach a desk at ${address}: ${error.message}`, null)));
    req.end(body);
  });
}

export function hello(address: string, certPem: string, credential: { memberId: string; token: string }, timeoutMs?: number): Promise<Hello> {
  return groupRequest(address, certPem, { method: 'GET', path: HELLO_PATH, credential }, Hello, timeoutMs);
}
