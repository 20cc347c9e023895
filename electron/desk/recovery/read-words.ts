/**
 * Where a restore gets the recovery sheet's words: STANDBY_DESK_RECOVERY_WORDS, or typed (or scanned from the QR
 * code) on standard input. Never an argument: a command line is seen by every user of the PC and kept in shell
 * history.
 */
import readline from 'node:readline';
import { RECOVERY_WORDS_ENV } from './restore';
import { RECOVERY_WORD_COUNT } from './words';

const wordCount = (text: string): number => text.split(/[^a-zA-Z]+/).filter((w) => w !== '').length;

/**
 * The words as given. From a person at a terminal, lines are read until the sheet's 24 words are in (they may type
 * them a line at a time), so no end-of-input key is needed; from a pipe, until it ends.
 */
export async function readRecoveryWords(env: NodeJS.ProcessEnv, input: NodeJS.ReadableStream & { isTTY?: boolean }, prompt: (line: string) => void): Promise<string> {
  const fromEnv = env[RECOVERY_WORDS_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv;
  if (input.isTTY) prompt(`Type the ${RECOVERY_WORD_COUNT} words from the recovery sheet in order (or scan its QR code), then press Enter:`);
  const lines = readline.createInterface({ input, terminal: false });
  let text = '';
  try {
    for await (const line of lines) {
      text += `${line}\n`;
      if (wordCount(text) >= RECOVERY_WORD_COUNT) break;
    }
  } finally {
    lines.close();
  }
  return text;
}
