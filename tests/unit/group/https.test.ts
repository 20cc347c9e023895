/**
 * Plain HTTP never leaves loopback (issue 16, item 2): `serve --allow-remote` speaks HTTPS, TLS 1.3 only, with the
 * desk group's certificate, its session cookie Secure; without a group it refuses to serve other PCs at all.
 */
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import type { TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { startServer, type RunningServer } from '../../../electron/server/server';
import { makeGroupCertificate, pinnedClientOptions } from '../../../electron/desk/group/tls';
import { TEST_NOW } from '../../support/clock';
import { addTestAccounts, openTestDesk, tempDir } from '../../support/fixtures';

const running: Array<{ server: RunningServer; close: () => void }> = [];

afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.server.close();
    r.close();
  }
});

function request(url: string, options: https.RequestOptions, body?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; protocol: string | null }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { ...options, agent: false }, (res) => {
      res.resume();
      const protocol = (res.socket as TLSSocket).getProtocol();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, protocol }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('browsers on other PCs', () => {
  it('are served over TLS 1.3 with the group certificate, the session cookie Secure; plain HTTP gets nothing', async () => {
    const desk = openTestDesk({ now: () => new Date(TEST_NOW) });
    const accounts = addTestAccounts(desk);
    const cert = await makeGroupCertificate('Test Street Surgery', new Date(TEST_NOW));
    const staticDir = tempDir();
    fs.writeFileSync(`${staticDir}/index.html`, '<!doctype html><title>desk</title>');
    const server = await startServer({ desk, staticDir, host: '127.0.0.1', port: 0, user: 'remote', allowRemote: true, tls: { cert: cert.certPem, key: cert.keyPem } });
    running.push({ server, close: () => desk.close() });
    expect(server.url).toMatch(/^https:\/\//);

    const health = await request(new URL('api/health', server.url).toString(), pinnedClientOptions(cert.certPem));
    expect(health).toMatchObject({ status: 200, protocol: 'TLSv1.3' });
    const signIn = await request(
      new URL('api/op/signIn', server.url).toString(),
      { ...pinnedClientOptions(cert.certPem), method: 'POST', headers: { 'content-type': 'application/json' } },
      JSON.stringify(accounts.receptionist),
    );
    expect(signIn.status).toBe(200);
    expect(String(signIn.headers['set-cookie'])).toMatch(/; Secure/);

    const plain = await new Promise<string>((resolve) => {
      http.get({ host: '127.0.0.1', port: server.port, path: '/api/health' }, (res) => resolve(`HTTP ${res.statusCode ?? 0}`)).on('error', (error) => resolve(error.message));
    });
    expect(plain).not.toBe('HTTP 200');
  });

  it('serve --allow-remote without a desk group is refused as wrong usage, before anything listens', async () => {
    const data = tempDir();
    const out: string[] = [];
    const code = await main(['serve', '--data', data, '--host', '0.0.0.0', '--allow-remote', '--port', '0'], { log: (l) => out.push(l), error: (l) => out.push(l) });
    expect(code).toBe(2);
    expect(out.join('\n')).toContain("HTTPS with the desk group's certificate");
  });
});
