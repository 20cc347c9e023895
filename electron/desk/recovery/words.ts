/**
 * The database key as words a person can copy by hand and type back: the 256-bit key (store/key.ts) as 24 words of
 * the BIP-39 English list, whose last word carries an 8-bit checksum, so a mistyped, missing or swapped word is
 * caught before the key is tried on anything. The list's words are all different in their first four letters, so
 * a word read off paper is never mistaken for another.
 *
 * The fingerprint names a key without giving it away (the first 8 hex digits of its SHA-256): printed on the
 * sheet and said by the restore, so "this sheet is for another database" can be told.
 */
import { createHash } from 'node:crypto';
import { entropyToMnemonic, mnemonicToEntropy } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';

export const RECOVERY_WORD_COUNT = 24;
const HEX_KEY = /^[0-9a-f]{64}$/i;

export class RecoveryWordsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecoveryWordsError';
  }
}

function keyBytes(hexKey: string): Buffer {
  if (!HEX_KEY.test(hexKey)) throw new RecoveryWordsError('the database key must be 64 hex digits (a 256-bit key)');
  return Buffer.from(hexKey, 'hex');
}

/** The 24 words for a key, in order. */
export function keyToRecoveryWords(hexKey: string): string[] {
  return entropyToMnemonic(keyBytes(hexKey), wordlist).split(' ');
}

/** "3fa2c91b": short enough to read out, enough to tell two practices' keys apart. */
export function keyFingerprint(hexKey: string): string {
  return createHash('sha256').update(keyBytes(hexKey)).digest('hex').slice(0, 8);
}

/**
 * The key the words hold. Takes the words as typed or scanned: any case, any spacing or line breaks, and the
 * numbers a person may copy from the sheet ("1. abandon"). Throws RecoveryWordsError saying what is wrong, without
 * repeating the words (they are the key).
 */
export function recoveryWordsToKey(text: string): string {
  const words = text
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w !== '');
  if (words.length !== RECOVERY_WORD_COUNT) {
    throw new RecoveryWordsError(`the recovery sheet has ${RECOVERY_WORD_COUNT} words; ${words.length} were given`);
  }
  const unknown = words.findIndex((w) => !wordlist.includes(w));
  if (unknown >= 0) throw new RecoveryWordsError(`word ${unknown + 1} is not a recovery word: check its spelling against the sheet`);
  let entropy: Uint8Array;
  try {
    entropy = mnemonicToEntropy(words.join(' '), wordlist);
  } catch {
    // Every word is a real one, so what fails is the checksum the last word carries.
    throw new RecoveryWordsError('the words do not match their checksum: a word is mistyped, left out or in the wrong place');
  }
  return Buffer.from(entropy).toString('hex');
}
