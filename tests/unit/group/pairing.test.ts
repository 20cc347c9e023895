/**
 * Pairing codes and proofs against a real GroupStore over a real encrypted database in a temp folder, at pinned
 * instants (never the real clock). The fingerprints are real group certificates' (tls.ts).
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type tls from 'node:tls';
import type BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeskError } from '../../../shared/api';
import {
  checkPairingProof,
  issuePairingCode,
  newPairingNonce,
  normaliseCode,
  pairingConfirmationMatches,
  PAIRING_TRIES,
  PAIRING_TTL_MS,
  pairingProof,
  pairingRefusalError,
  type PairingAttempt,
  type PairingCheck,
} from '../../../electron/desk/group/pairing';
import { GroupStore } from '../../../electron/desk/group/store';
import { fingerprintOf, makeGroupCertificate, peerFingerprint, serverTlsOptions, unpinnedClientOptions, type GroupCertificate } from '../../../electron/desk/group/tls';
import { closeDatabase, databasePath, openDatabase } from '../../../electron/desk/store/connection';
import { Db } from '../../../electron/desk/store/sql';
import { TEST_NOW } from '../../support/clock';
import { tempDir } from '../../support/fixtures';

const now = new Date(TEST_NOW);
const at = (ms: number): Date => new Date(now.getTime() + ms);
const DESK = 'Reception 2';
const CODE_SHAPE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

/** The coordinator's group certificate, and a man in the middle's (another certificate, as it would present). */
let coordinator: GroupCertificate;
let impostor: GroupCertificate;
beforeAll(async () => {
  coordinator = await makeGroupCertificate('Test Street Surgery', now);
  impostor = await makeGroupCertificate('Test Street Surgery', now);
});

let dataDir: string;
let raw: BetterSqlite3.Database;
let store: GroupStore;
function open(): void {
  raw = openDatabase(databasePath(dataDir));
  store = new GroupStore(new Db(raw));
}
beforeEach(() => {
  dataDir = tempDir();
  open();
});
afterEach(() => closeDatabase(raw));

/** What the joining desk sends, given the code as the person typed it and the fingerprint its connection saw. */
function attempt(code: string, options: { seen?: string; deskName?: string; nonce?: string } = {}): PairingAttempt {
  const nonce = options.nonce ?? newPairingNonce();
  const deskName = options.deskName ?? DESK;
  return { fingerprint: coordinator.fingerprint, nonce, deskName, proof: pairingProof(code, options.seen ?? coordinator.fingerprint, nonce, deskName) };
}

/** A code that is not the one issued: the issued code with its last character changed. */
function wrongCode(code: string): string {
  return code.slice(0, -1) + (code.endsWith('7') ? '8' : '7');
}

describe('issuing a pairing code', () => {
  it('shows 8 unambiguous characters as XXXX-XXXX, lasting 10 minutes from the pinned clock', () => {
    const issued = issuePairingCode(store, now);
    expect(issued.code).toMatch(CODE_SHAPE);
    expect(issued.expiresAt).toBe('2026-07-20T09:40:00.000Z');
    expect(PAIRING_TTL_MS).toBe(10 * 60 * 1000);
    expect(PAIRING_TRIES).toBe(5);
  });

  it('draws codes at random from the whole alphabet', () => {
    const codes = Array.from({ length: 200 }, () => issuePairingCode(store, now).code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(CODE_SHAPE);
    // 1,600 characters from 32: every one appears (a miss has odds of about 32 * (31/32)^1600, below 1e-20).
    expect(new Set(codes.join('').replace(/-/g, '')).size).toBe(32);
  });

  it('a new code replaces the old one: the old code no longer pairs, the new one does', () => {
    const old = issuePairingCode(store, now);
    const fresh = issuePairingCode(store, at(1000));
    expect(checkPairingProof(store, attempt(old.code), at(2000))).toEqual({ ok: false, reason: 'wrong', triesLeft: 4 });
    expect(checkPairingProof(store, attempt(fresh.code), at(3000))).toMatchObject({ ok: true });
  });

  it('with no code issued, a proof is refused as none', () => {
    const proof = attempt('K7QM-4TXD');
    expect(checkPairingProof(store, proof, now)).toEqual({ ok: false, reason: 'none', triesLeft: 0 });
  });
});

describe('checking a pairing proof', () => {
  it('accepts the right proof once; the code is then used, whatever proof comes next', () => {
    const { code } = issuePairingCode(store, now);
    const right = attempt(code);
    expect(checkPairingProof(store, right, at(60_000))).toMatchObject({ ok: true });
    expect(checkPairingProof(store, right, at(61_000))).toEqual({ ok: false, reason: 'used', triesLeft: 0 });
    expect(checkPairingProof(store, attempt(code, { deskName: 'Reception 3' }), at(62_000))).toEqual({ ok: false, reason: 'used', triesLeft: 0 });
  });

  it('accepts the code as a person might type it: lower case, spaces, no hyphen, O for 0 and I or L for 1', () => {
    const { code } = issuePairingCode(store, now);
    const typed = ` ${code.slice(0, 2)} ${code.slice(2)} `.replace(/-/g, '').toLowerCase().replace(/0/g, 'O').replace(/1/g, 'l');
    expect(checkPairingProof(store, attempt(typed), now)).toMatchObject({ ok: true });
  });

  it('is expired at 10 minutes (and not a millisecond before)', () => {
    const { code } = issuePairingCode(store, now);
    expect(checkPairingProof(store, attempt(code), at(PAIRING_TTL_MS))).toEqual({ ok: false, reason: 'expired', triesLeft: 0 });
    expect(pairingRefusalError({ ok: false, reason: 'expired', triesLeft: 0 }).message).toBe(
      'That pairing code has expired: show a new one at the coordinator (Group screen, or `standby-desk group pairing-code`).',
    );
    const second = issuePairingCode(store, now);
    expect(checkPairingProof(store, attempt(second.code), at(PAIRING_TTL_MS - 1))).toMatchObject({ ok: true });
  });

  it('a clock stepped back more than a minute since the code was shown does not lengthen its life', () => {
    const { code } = issuePairingCode(store, now);
    expect(checkPairingProof(store, attempt(code), at(-61_000))).toEqual({ ok: false, reason: 'expired', triesLeft: 0 });
    // A small step back (an NTP correction) is forgiven.
    expect(checkPairingProof(store, attempt(code), at(-30_000))).toMatchObject({ ok: true });
  });

  it('4 wrong tries spend tries, and the right code still pairs on the 5th', () => {
    const { code } = issuePairingCode(store, now);
    const tries = [1, 2, 3, 4].map((i) => checkPairingProof(store, attempt(wrongCode(code)), at(i * 1000)));
    expect(tries).toEqual([4, 3, 2, 1].map((triesLeft) => ({ ok: false, reason: 'wrong', triesLeft })));
    expect(checkPairingProof(store, attempt(code), at(5000))).toMatchObject({ ok: true });
  });

  it('the 5th wrong try voids the code: the right code then fails as voided until a new code is shown', () => {
    const { code } = issuePairingCode(store, now);
    for (let i = 1; i < PAIRING_TRIES; i++) expect(checkPairingProof(store, attempt(wrongCode(code)), now)).toMatchObject({ reason: 'wrong' });
    expect(checkPairingProof(store, attempt(wrongCode(code)), now)).toEqual({ ok: false, reason: 'voided', triesLeft: 0 });
    expect(checkPairingProof(store, attempt(code), now)).toEqual({ ok: false, reason: 'voided', triesLeft: 0 });
    const error = pairingRefusalError({ ok: false, reason: 'voided', triesLeft: 0 });
    expect(error).toMatchObject({ code: 'too_many_attempts', message: expect.stringContaining('entered wrongly 5 times') });
    const fresh = issuePairingCode(store, now);
    expect(checkPairingProof(store, attempt(fresh.code), now)).toMatchObject({ ok: true });
  });

  it('tries spent are in the database: a coordinator restarted mid-pairing does not give them back', () => {
    const { code } = issuePairingCode(store, now);
    for (let i = 0; i < 3; i++) checkPairingProof(store, attempt(wrongCode(code)), now);
    closeDatabase(raw);
    open();
    expect(checkPairingProof(store, attempt(wrongCode(code)), now)).toEqual({ ok: false, reason: 'wrong', triesLeft: 1 });
  });

  it('refuses a proof made over another certificate (a man in the middle), even with the right code, and counts it as a wrong try', () => {
    const { code } = issuePairingCode(store, now);
    const throughImpostor = attempt(code, { seen: impostor.fingerprint });
    expect(checkPairingProof(store, throughImpostor, now)).toEqual({ ok: false, reason: 'wrong', triesLeft: 4 });
    expect(pairingRefusalError({ ok: false, reason: 'wrong', triesLeft: 4 }).message).toContain('4 tries left');
    // The coordinator checks over its own fingerprint, whichever way the joining desk wrote the one it saw.
    const colons = coordinator.fingerprint.toUpperCase().replace(/(..)(?!$)/g, '$1:');
    expect(checkPairingProof(store, attempt(code, { seen: colons }), now)).toMatchObject({ ok: true });
  });

  it('binds the proof to the nonce and the desk name it was made for', () => {
    const { code } = issuePairingCode(store, now);
    const made = attempt(code);
    expect(checkPairingProof(store, { ...made, deskName: 'Reception 3' }, now)).toMatchObject({ reason: 'wrong' });
    expect(checkPairingProof(store, { ...made, nonce: newPairingNonce() }, now)).toMatchObject({ reason: 'wrong' });
    expect(checkPairingProof(store, made, now)).toMatchObject({ ok: true });
  });

  it('refuses a short or non-hex nonce as invalid input without spending a try', () => {
    const { code } = issuePairingCode(store, now);
    const made = attempt(code);
    for (const nonce of ['', 'ab'.repeat(15), 'zz'.repeat(16), `${'a'.repeat(31)}`]) {
      expect(() => checkPairingProof(store, { ...made, nonce }, now)).toThrow(
        expect.objectContaining({ code: 'invalid_input', issues: [expect.objectContaining({ path: 'nonce' })] }),
      );
    }
    expect(checkPairingProof(store, made, now)).toMatchObject({ ok: true });
  });

  it('refuses a typo at the joining desk, before it reaches the coordinator', () => {
    for (const typo of ['K7QM-4TX', 'K7QM-4TXDD', 'K7QM-4TXU', '']) {
      expect(() => pairingProof(typo, coordinator.fingerprint, newPairingNonce(), DESK)).toThrow(DeskError);
    }
    expect(() => pairingProof('K7QM-4TXU', coordinator.fingerprint, newPairingNonce(), DESK)).toThrow(/That is not a pairing code: a pairing code is 8 letters and digits/);
    expect(() => pairingProof('K7QM-4TXD', coordinator.fingerprint, 'short', DESK)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });

  it('says what to do next for every refusal', () => {
    expect(pairingRefusalError({ ok: false, reason: 'none', triesLeft: 0 })).toMatchObject({ code: 'not_found', message: expect.stringContaining('no pairing code waiting') });
    expect(pairingRefusalError({ ok: false, reason: 'used', triesLeft: 0 })).toMatchObject({ code: 'forbidden', message: expect.stringContaining('already been used') });
    expect(pairingRefusalError({ ok: false, reason: 'wrong', triesLeft: 1 }).message).toContain('1 try left');
    for (const reason of ['none', 'expired', 'used', 'voided'] as const) {
      expect(pairingRefusalError({ ok: false, reason, triesLeft: 0 }).message).toContain('`standby-desk group pairing-code`');
    }
  });
});

describe("the coordinator's confirmation (the joining desk's check before it pins anything)", () => {
  it('matches at the joining desk for the code as typed, the fingerprint it saw, its nonce and its name', () => {
    const { code } = issuePairingCode(store, now);
    const made = attempt(code.toLowerCase());
    const check = checkPairingProof(store, made, now);
    if (!check.ok) throw new Error(`pairing refused: ${check.reason}`);
    expect(check.confirmation).toMatch(/^[0-9a-f]{64}$/);
    expect(pairingConfirmationMatches(code.toLowerCase(), coordinator.fingerprint, made.nonce, DESK, check.confirmation)).toBe(true);
    expect(pairingConfirmationMatches(code, coordinator.fingerprint, made.nonce, DESK, check.confirmation.toUpperCase())).toBe(true);
  });

  it('does not match what a man in the middle could answer: its own certificate, the proof reflected, an old nonce, another code, or junk', () => {
    const { code } = issuePairingCode(store, now);
    const made = attempt(code);
    const check = checkPairingProof(store, made, now);
    if (!check.ok) throw new Error(`pairing refused: ${check.reason}`);
    // The joining desk saw the impostor's certificate: the real coordinator's confirmation does not match it.
    expect(pairingConfirmationMatches(code, impostor.fingerprint, made.nonce, DESK, check.confirmation)).toBe(false);
    // The joining desk's own proof sent back as a confirmation.
    expect(pairingConfirmationMatches(code, coordinator.fingerprint, made.nonce, DESK, made.proof)).toBe(false);
    // A confirmation recorded from an earlier pairing, replayed to a request with a fresh nonce or another name.
    expect(pairingConfirmationMatches(code, coordinator.fingerprint, newPairingNonce(), DESK, check.confirmation)).toBe(false);
    expect(pairingConfirmationMatches(code, coordinator.fingerprint, made.nonce, 'Reception 3', check.confirmation)).toBe(false);
    expect(pairingConfirmationMatches(wrongCode(code), coordinator.fingerprint, made.nonce, DESK, check.confirmation)).toBe(false);
    for (const junk of ['', 'ok', check.confirmation.slice(2), `${check.confirmation}00`]) {
      expect(pairingConfirmationMatches(code, coordinator.fingerprint, made.nonce, DESK, junk)).toBe(false);
    }
  });
});

describe('a code replaced while a proof is checked', () => {
  /** Test double: a GroupStore that shows a new code just before each check's transaction, as the CLI might. */
  class StoreReissuingMidCheck extends GroupStore {
    override transaction<T>(fn: () => T): T {
      issuePairingCode(store, now);
      return super.transaction(fn);
    }
  }

  it('checks the proof against the code in the database at the time, never the one read before', () => {
    const { code } = issuePairingCode(store, now);
    const double = new StoreReissuingMidCheck(new Db(raw));
    expect(checkPairingProof(double, attempt(code), now)).toEqual({ ok: false, reason: 'wrong', triesLeft: 4 });
  });
});

describe('normaliseCode', () => {
  it.each([
    ['k7qm-4txd', 'K7QM4TXD'],
    [' K7QM 4TXD ', 'K7QM4TXD'],
    ['K7QM--4TXD', 'K7QM4TXD'],
    ['O0OI-1Lil', '00011111'],
    ['\tab cd-ef\ngh', 'ABCDEFGH'],
    ['', ''],
  ])('%j reads as %j', (input, normalised) => {
    expect(normaliseCode(input)).toBe(normalised);
  });
});

describe('checkPairingProof under arbitrary input', () => {
  const hex = (bytes: { minLength: number; maxLength: number }) => fc.uint8Array(bytes).map((b) => Buffer.from(b).toString('hex'));
  const anyAttempt = fc.record({
    nonce: fc.oneof(
      { arbitrary: hex({ minLength: 16, maxLength: 40 }), weight: 3 },
      { arbitrary: hex({ minLength: 0, maxLength: 15 }), weight: 1 },
      { arbitrary: fc.string(), weight: 1 },
      { arbitrary: fc.string({ unit: 'binary' }), weight: 1 },
    ),
    deskName: fc.oneof(fc.string(), fc.string({ unit: 'binary' })),
    proof: fc.oneof({ arbitrary: fc.string(), weight: 3 }, { arbitrary: hex({ minLength: 32, maxLength: 32 }), weight: 1 }),
  });

  it('never throws anything but invalid input for a bad nonce; every other attempt is a wrong try, counted exactly', () => {
    fc.assert(
      fc.property(fc.array(anyAttempt, { minLength: 1, maxLength: 7 }), (attempts) => {
        issuePairingCode(store, now);
        let wrong = 0;
        for (const a of attempts) {
          let result;
          try {
            result = checkPairingProof(store, { fingerprint: coordinator.fingerprint, ...a }, now);
          } catch (error) {
            expect(error).toBeInstanceOf(DeskError);
            expect(error).toMatchObject({ code: 'invalid_input', issues: [{ path: 'nonce' }] });
            expect(a.nonce).not.toMatch(/^(?:[0-9a-f]{2}){16,}$/i);
            continue;
          }
          wrong += 1;
          expect(result).toEqual(wrong < PAIRING_TRIES ? { ok: false, reason: 'wrong', triesLeft: PAIRING_TRIES - wrong } : { ok: false, reason: 'voided', triesLeft: 0 });
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('pairing over real sockets, as the group link will', () => {
  interface PairAnswer {
    check: PairingCheck;
    certPem: string;
  }
  const servers: https.Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  async function listen(cert: GroupCertificate, answer: (body: string) => Promise<PairAnswer> | PairAnswer): Promise<number> {
    const server = https.createServer(serverTlsOptions(cert), (req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        void Promise.resolve(answer(body)).then((value) => res.end(JSON.stringify(value)));
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  /** The coordinator's pairing endpoint: its own fingerprint, its own store. */
  const coordinatorAnswer = (body: string): PairAnswer => {
    const sent = JSON.parse(body) as Omit<PairingAttempt, 'fingerprint'>;
    return { check: checkPairingProof(store, { ...sent, fingerprint: coordinator.fingerprint }, now), certPem: coordinator.certPem };
  };

  /** A POST whose body is made once the handshake shows which certificate the server presented. */
  function post(port: number, makeBody: (seen: string) => string): Promise<{ seen: string; answer: string }> {
    return new Promise((resolve, reject) => {
      let seen = '';
      const req = https.request({ host: '127.0.0.1', port, path: '/pair', method: 'POST', agent: false, ...unpinnedClientOptions() }, (res) => {
        let answer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (answer += chunk));
        res.on('end', () => resolve({ seen, answer }));
      });
      req.on('socket', (socket) =>
        socket.once('secureConnect', () => {
          seen = peerFingerprint(socket as tls.TLSSocket);
          req.end(makeBody(seen));
        }),
      );
      req.on('error', reject);
    });
  }

  /** The joining desk: proof over what it saw, then the confirmation and the certificate checked before pinning. */
  async function join(port: number, code: string): Promise<{ pinned: string } | { refused: string }> {
    const nonce = newPairingNonce();
    const { seen, answer } = await post(port, (fingerprint) => JSON.stringify({ nonce, deskName: DESK, proof: pairingProof(code, fingerprint, nonce, DESK) }));
    const { check, certPem } = JSON.parse(answer) as PairAnswer;
    if (!check.ok) return { refused: check.reason };
    if (!pairingConfirmationMatches(code, seen, nonce, DESK, check.confirmation)) return { refused: 'confirmation does not match' };
    if (fingerprintOf(certPem) !== seen) return { refused: 'certificate is not the one seen' };
    return { pinned: fingerprintOf(certPem) };
  }

  it('a desk with the right code pins the coordinator it reached', async () => {
    const port = await listen(coordinator, coordinatorAnswer);
    const { code } = issuePairingCode(store, now);
    expect(await join(port, code)).toEqual({ pinned: coordinator.fingerprint });
  });

  it('a man in the middle relaying to the real coordinator gets the proof refused there, and a try spent', async () => {
    const coordinatorPort = await listen(coordinator, coordinatorAnswer);
    const relayPort = await listen(impostor, async (body) => {
      const { answer } = await post(coordinatorPort, () => body);
      return JSON.parse(answer) as PairAnswer;
    });
    const { code } = issuePairingCode(store, now);
    expect(await join(relayPort, code)).toEqual({ refused: 'wrong' });
    expect(await join(coordinatorPort, wrongCode(code))).toEqual({ refused: 'wrong' });
    expect(checkPairingProof(store, attempt(wrongCode(code)), now)).toEqual({ ok: false, reason: 'wrong', triesLeft: 2 });
  });

  it('a man in the middle answering "paired" itself is not pinned, whatever it sends as the confirmation', async () => {
    const { code } = issuePairingCode(store, now);
    const fakes: Array<(sent: Omit<PairingAttempt, 'fingerprint'>) => string> = [(sent) => sent.proof, () => newPairingNonce() + newPairingNonce(), () => ''];
    for (const fake of fakes) {
      const port = await listen(impostor, (body) => ({
        check: { ok: true, confirmation: fake(JSON.parse(body) as Omit<PairingAttempt, 'fingerprint'>) },
        certPem: impostor.certPem,
      }));
      expect(await join(port, code)).toEqual({ refused: 'confirmation does not match' });
    }
    // The code was never spent: the real coordinator still pairs the desk.
    expect(await join(await listen(coordinator, coordinatorAnswer), code)).toEqual({ pinned: coordinator.fingerprint });
  });
});
