/**
 * Pairing a desk with the coordinator (issue 16, ADR 0011): the coordinator shows a short single-use code (10
 * minutes, 5 wrong tries void it) and each side proves to the other that it knows the code, without sending it.
 *
 * Why proofs over the fingerprint: the joining desk has nothing pinned yet, so its pairing request trusts any
 * certificate (tls.ts, unpinnedClientOptions). It computes its proof over the fingerprint of the certificate IT
 * SAW (peerFingerprint); the coordinator checks it over ITS OWN. A man in the middle presenting its own certificate
 * receives a proof bound to that certificate, which the real coordinator refuses, and it cannot make a proof for
 * the real one without the code.
 *
 * Why the coordinator answers with a confirmation: the proof alone convinces only the coordinator. A man in the
 * middle could drop the proof and answer "paired" itself, with its own certificate and a credential of its
 * choosing, and the joining desk would pin it. So on success the coordinator returns a confirmation, keyed by the
 * same code over the same fingerprint, nonce and desk name, and the joining desk pins nothing, keeps no credential
 * and copies no state until pairingConfirmationMatches says yes and the certificate it is given is the one it saw.
 * The joining desk's fresh nonce is what makes an old confirmation worthless.
 *
 * The joining desk, in order: connect unpinned and read peerFingerprint (seen); nonce = newPairingNonce(); send
 * { nonce, deskName, proof: pairingProof(code, seen, nonce, deskName) }; on success require
 * pairingConfirmationMatches(code, seen, nonce, deskName, confirmation) and fingerprintOf(certPem) === seen; then
 * pin certPem.
 *
 * The limit: a man in the middle that received a proof can guess codes offline against it. The code has 40 bits
 * (8 characters of 32), and each guess costs one scrypt at PAIRING_SCRYPT_COST (about a tenth of a second and
 * 32 MB on a PC): trying 2^40 codes within the code's 10-minute life would take about 1.8 billion scrypts a
 * second, far beyond any attacker a practice faces (and to fool the joining desk it would have to finish before
 * that desk stops waiting for an answer). After those 10 minutes, or once the code is used or voided, a recovered
 * code is worth nothing. A longer life or a cheaper scrypt weakens this bound: change neither lightly.
 *
 * The code is kept in this desk's group_local settings as it was shown: the coordinator needs the code itself to
 * check a proof over its own fingerprint, and the database's encryption protects it like the group's TLS key
 * beside it.
 */
import { createHmac, randomBytes, randomInt, scryptSync, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { DeskError } from '../../../shared/api';
import { missingCaseError } from '../../../shared/domain/status';
import type { GroupStore } from './store';
import { normaliseFingerprint } from './tls';

export const PAIRING_TTL_MS = 10 * 60 * 1000;
export const PAIRING_TRIES = 5;

/**
 * The scrypt cost of turning a code into a proof key. Part of the pairing protocol (both desks must use the same),
 * so it is its own constant, not the password cost (auth/secrets.ts) which may change on its own.
 */
export const PAIRING_SCRYPT_COST = { N: 2 ** 15, r: 8, p: 1 } as const;

/** Crockford's base32: no I, L, O or U, so a code read aloud or off a screen has no look-alikes. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 8;
const CODE_PATTERN = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);
/** 16 random bytes at least, so no two pairing requests share a nonce; the upper bound only keeps requests small. */
const NONCE_PATTERN = /^(?:[0-9a-f]{2}){16,128}$/i;
const PROOF_PATTERN = /^[0-9a-f]{64}$/i;
/** A clock stepped back after the code was shown must not lengthen its life; a small step (NTP) is forgiven. */
const CLOCK_STEP_BACK_MS = 60 * 1000;
const PAIRING_KEY = 'pairing-code';
/**
 * Name the message and separate its parts, so a proof can never pass for a confirmation (a man in the middle
 * reflecting the joining desk's proof back) nor one nonce and name for another.
 */
const PROOF_LABEL = 'standby-desk pairing proof v1';
const CONFIRMATION_LABEL = 'standby-desk pairing confirmation v1';

const PairingRecord = z.object({
  code: z.string(),
  issuedAt: z.string(),
  expiresAt: z.string(),
  wrongTries: z.number().int().nonnegative(),
  state: z.enum(['open', 'used', 'voided']),
  usedAt: z.string().nullable(),
});
type PairingRecord = z.infer<typeof PairingRecord>;

export type PairingRefusalReason = 'none' | 'expired' | 'used' | 'voided' | 'wrong';
/** On success, `confirmation` goes back to the joining desk: its proof that this is the coordinator that showed the code. */
export type PairingCheck = { ok: true; confirmation: string } | { ok: false; reason: PairingRefusalReason; triesLeft: number };

export interface PairingAttempt {
  /** The coordinator's own certificate fingerprint (never the one the joining desk claims to have seen). */
  fingerprint: string;
  nonce: string;
  deskName: string;
  proof: string;
}

/** Upper case, no spaces or hyphens, and the look-alikes Crockford allows read as digits (O as 0, I and L as 1). */
export function normaliseCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

function displayCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** A fresh code, replacing any earlier one (used, voided or still open): only the newest code can pair. */
export function issuePairingCode(store: GroupStore, now: Date): { code: string; expiresAt: string } {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)] ?? '';
  const record: PairingRecord = {
    code,
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + PAIRING_TTL_MS).toISOString(),
    wrongTries: 0,
    state: 'open',
    usedAt: null,
  };
  store.setLocal(PAIRING_KEY, JSON.stringify(record));
  return { code: displayCode(code), expiresAt: record.expiresAt };
}

/** A nonce for one pairing request, made by the joining desk. */
export function newPairingNonce(): string {
  return randomBytes(16).toString('hex');
}

function assertNonce(nonce: string): string {
  if (!NONCE_PATTERN.test(nonce)) {
    const message = 'the pairing nonce must be at least 16 random bytes, written in hex';
    throw new DeskError('invalid_input', `The pairing request is not valid: ${message}.`, { issues: [{ path: 'nonce', message }] });
  }
  return nonce.toLowerCase();
}

function proofKey(code: string, fingerprint: string): Buffer {
  const { N, r, p } = PAIRING_SCRYPT_COST;
  return scryptSync(code, fingerprint, 32, { N, r, p, maxmem: 256 * N * r });
}

function mac(key: Buffer, label: string, nonce: string, deskName: string): string {
  return createHmac('sha256', key).update(`${label}\n${nonce}\n${deskName}`, 'utf8').digest('hex');
}

function assertCode(code: string): string {
  const normalised = normaliseCode(code);
  if (!CODE_PATTERN.test(normalised)) {
    const message = 'a pairing code is 8 letters and digits, like K7QM-4TXD';
    throw new DeskError('invalid_input', `That is not a pairing code: ${message}. Check it against the coordinator's screen.`, { issues: [{ path: 'code', message }] });
  }
  return normalised;
}

/**
 * The joining desk's proof that it knows the code, bound to the certificate it saw (its fingerprint, from
 * peerFingerprint on the pairing connection), this request's nonce and the name it joins under. A code that cannot
 * be a pairing code (a typo) is refused here, before it spends one of the coordinator's tries.
 */
export function pairingProof(code: string, fingerprint: string, nonce: string, deskName: string): string {
  return mac(proofKey(assertCode(code), normaliseFingerprint(fingerprint)), PROOF_LABEL, assertNonce(nonce), deskName);
}

/**
 * The joining desk's check of the coordinator's confirmation, over the same code, the fingerprint it saw, and its
 * own nonce and name. False means the desk that answered does not know the code: pin nothing, keep nothing.
 */
export function pairingConfirmationMatches(code: string, fingerprint: string, nonce: string, deskName: string, confirmation: string): boolean {
  if (!PROOF_PATTERN.test(confirmation)) return false;
  const expected = Buffer.from(mac(proofKey(assertCode(code), normaliseFingerprint(fingerprint)), CONFIRMATION_LABEL, assertNonce(nonce), deskName), 'hex');
  return timingSafeEqual(expected, Buffer.from(confirmation, 'hex'));
}

function readRecord(store: GroupStore): PairingRecord | null {
  const value = store.local(PAIRING_KEY);
  if (value === null) return null;
  // A record this code cannot read is no code at all: the coordinator shows a new one.
  try {
    const parsed = PairingRecord.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function isLive(record: PairingRecord, now: Date): boolean {
  const t = now.getTime();
  return t < Date.parse(record.expiresAt) && t >= Date.parse(record.issuedAt) - CLOCK_STEP_BACK_MS;
}

function refused(reason: PairingRefusalReason, triesLeft = 0): PairingCheck {
  return { ok: false, reason, triesLeft };
}

/**
 * The coordinator's check of a joining desk's proof, over the coordinator's own fingerprint. A wrong proof spends a
 * try and the fifth voids the code (answered as 'voided': the right code cannot pair after it); the right proof
 * uses the code up and is answered with the confirmation the joining desk checks. Each outcome is written in one transaction. A malformed nonce is the joining desk's bug, not
 * a guess, so it is refused (DeskError invalid_input) without spending a try; a malformed proof is a wrong one.
 */
export function checkPairingProof(store: GroupStore, attempt: PairingAttempt, now: Date): PairingCheck {
  const nonce = assertNonce(attempt.nonce);
  const fingerprint = normaliseFingerprint(attempt.fingerprint);
  const given = PROOF_PATTERN.test(attempt.proof) ? Buffer.from(attempt.proof, 'hex') : null;

  // scrypt is slow on purpose: computed before the transaction so the database's write lock is not held for it,
  // then used only if the code is still the same one inside the transaction.
  const before = readRecord(store);
  const keyBefore = before && before.state === 'open' && isLive(before, now) && given ? { record: before, key: proofKey(before.code, fingerprint) } : null;

  return store.transaction((): PairingCheck => {
    const record = readRecord(store);
    if (!record) return refused('none');
    if (record.state === 'used') return refused('used');
    if (record.state === 'voided') return refused('voided');
    if (!isLive(record, now)) return refused('expired');

    if (given) {
      // Another process (the CLI showing a new code) may have replaced the code since the read above.
      const sameCode = keyBefore && keyBefore.record.code === record.code && keyBefore.record.issuedAt === record.issuedAt;
      const key = sameCode ? keyBefore.key : proofKey(record.code, fingerprint);
      if (timingSafeEqual(Buffer.from(mac(key, PROOF_LABEL, nonce, attempt.deskName), 'hex'), given)) {
        store.setLocal(PAIRING_KEY, JSON.stringify({ ...record, state: 'used', usedAt: now.toISOString() } satisfies PairingRecord));
        return { ok: true, confirmation: mac(key, CONFIRMATION_LABEL, nonce, attempt.deskName) };
      }
    }
    const wrongTries = record.wrongTries + 1;
    const voided = wrongTries >= PAIRING_TRIES;
    store.setLocal(PAIRING_KEY, JSON.stringify({ ...record, wrongTries, state: voided ? 'voided' : 'open' } satisfies PairingRecord));
    return voided ? refused('voided') : refused('wrong', PAIRING_TRIES - wrongTries);
  });
}

const SHOW_NEW_CODE = 'show a new one at the coordinator (Group screen, or `standby-desk group pairing-code`)';

/** What to tell the person at the joining desk when the coordinator refused: plain English, and what to do next. */
export function pairingRefusalError(check: Extract<PairingCheck, { ok: false }>): DeskError {
  switch (check.reason) {
    case 'none':
      return new DeskError('not_found', `The coordinator has no pairing code waiting: ${SHOW_NEW_CODE}.`);
    case 'expired':
      return new DeskError('forbidden', `That pairing code has expired: ${SHOW_NEW_CODE}.`);
    case 'used':
      return new DeskError('forbidden', `That pairing code has already been used: each code pairs one desk. For another desk, ${SHOW_NEW_CODE}.`);
    case 'voided':
      return new DeskError(
        'too_many_attempts',
        `That pairing code no longer works: it was entered wrongly ${PAIRING_TRIES} times. Check the code carefully, and ${SHOW_NEW_CODE}.`,
      );
    case 'wrong':
      return new DeskError(
        'forbidden',
        `That pairing code is not right (or this desk is not talking to the coordinator you meant). ${check.triesLeft} ${check.triesLeft === 1 ? 'try' : 'tries'} left before the code stops working.`,
      );
    default:
      throw missingCaseError(check.reason);
  }
}
