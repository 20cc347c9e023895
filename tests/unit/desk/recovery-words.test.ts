/** The recovery sheet's words (issue 20, item 4): the key to 24 words and back, and every way a copy goes wrong. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readRecoveryWords } from '../../../electron/desk/recovery/read-words';
import { RECOVERY_WORDS_ENV } from '../../../electron/desk/recovery/restore';
import { keyFingerprint, keyToRecoveryWords, RECOVERY_WORD_COUNT, RecoveryWordsError, recoveryWordsToKey } from '../../../electron/desk/recovery/words';
import { newDatabaseKey } from '../../../electron/desk/store/key';

const KEY = '0123456789abcdef'.repeat(4);

describe('recovery words', () => {
  it('turn a key into 24 words and back, for random keys too', () => {
    for (const key of [KEY, newDatabaseKey(), newDatabaseKey(), '00'.repeat(32), 'ff'.repeat(32)]) {
      const words = keyToRecoveryWords(key);
      expect(words).toHaveLength(RECOVERY_WORD_COUNT);
      expect(recoveryWordsToKey(words.join(' '))).toBe(key);
    }
  });

  it('take the words as a person copies them: any case, numbered, across lines', () => {
    const words = keyToRecoveryWords(KEY);
    const typed = words.map((w, i) => `${i + 1}. ${i % 2 ? w.toUpperCase() : w}`).join('\n');
    expect(recoveryWordsToKey(`  ${typed}\n`)).toBe(KEY);
  });

  it('catch two words swapped, a word left out, and a word not on the list, naming it by number', () => {
    const words = keyToRecoveryWords(KEY);
    const swapped = [...words];
    const i = swapped.findIndex((w, n) => n > 0 && w !== swapped[n - 1]);
    [swapped[i - 1], swapped[i]] = [swapped[i] ?? '', swapped[i - 1] ?? ''];
    expect(() => recoveryWordsToKey(swapped.join(' '))).toThrow(/do not match their checksum/);
    expect(() => recoveryWordsToKey(words.slice(1).join(' '))).toThrow('the recovery sheet has 24 words; 23 were given');
    const misspelt = [...words];
    misspelt[6] = `${misspelt[6] ?? ''}x`;
    expect(() => recoveryWordsToKey(misspelt.join(' '))).toThrow(new RecoveryWordsError('word 7 is not a recovery word: check its spelling against the sheet'));
  });

  it('never repeat the words in an error: they are the key', () => {
    const words = keyToRecoveryWords(KEY);
    const messages = [words.slice(1), [`${words[0] ?? ''}x`, ...words.slice(1)], [words[2], words[0], words[1], ...words.slice(3)]].map((given) => {
      try {
        recoveryWordsToKey(given.join(' '));
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    });
    expect(messages).not.toContain('accepted');
    for (const message of messages) for (const w of words) expect(message.split(/\W+/)).not.toContain(w);
  });

  it('fingerprint a key with 8 hex digits that tell keys apart and give nothing away', () => {
    expect(keyFingerprint(KEY)).toMatch(/^[0-9a-f]{8}$/);
    expect(keyFingerprint(KEY)).toBe(keyFingerprint(KEY.toUpperCase()));
    expect(keyFingerprint(KEY)).not.toBe(keyFingerprint(newDatabaseKey()));
    expect(() => keyFingerprint('not a key')).toThrow(RecoveryWordsError);
  });

  it('are read from the environment first, else from standard input until the 24 words are in', async () => {
    const words = keyToRecoveryWords(KEY);
    const prompts: string[] = [];
    const prompt = (line: string) => prompts.push(line);
    expect(await readRecoveryWords({ [RECOVERY_WORDS_ENV]: words.join(' ') }, Readable.from(['ignored\n']), prompt)).toBe(words.join(' '));
    // Typed a line at a time: reading stops at the 24th word, so no end-of-input key is needed.
    const typed = Object.assign(Readable.from([`${words.slice(0, 12).join(' ')}\n`, `${words.slice(12).join(' ')}\n`, 'never read\n']), { isTTY: true });
    const got = await readRecoveryWords({}, typed, prompt);
    expect(recoveryWordsToKey(got)).toBe(KEY);
    expect(got).not.toContain('never read');
    expect(prompts).toEqual([expect.stringContaining('Type the 24 words')]);
  });
});
