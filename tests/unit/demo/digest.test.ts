/**
 * The demo book is named in e2e tests, screenshots and benchmarks, so the same options must give the same book
 * from one release to the next. A digest of the whole book per option set catches any change in what is drawn
 * or in what order; when a change to the demo is meant, update the digest in the same commit and say why.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateDemoPractice, type DemoOptions } from '../../../electron/desk/demo/generate';
import { Rng } from '../../../electron/desk/demo/random';

const digest = (options: DemoOptions): string =>
  createHash('sha256')
    .update(JSON.stringify(generateDemoPractice(options)))
    .digest('hex');

describe('demo practice: the same seed gives the same book', () => {
  it.each([
    // A summer week (BST), three working days from a Monday.
    [{ date: '2026-07-20', seed: 20240719, days: 3 }, 'e30c293b78a822df8822e924d0799b76667917f670104a6977865e01c4488e65'],
    // A winter Saturday (GMT): the first day is made even at a weekend, then the Monday after.
    [{ date: '2027-01-09', seed: 7, days: 2 }, '63a7c3b737cbba8f1c2aa277a2ee85f3b550cb27cd4a342c11ad8d6803de96e9'],
  ] as const)('%j', (options, expected) => {
    expect(digest(options)).toBe(expected);
  });

  it('draws the same numbers from the same seed, and others from another', () => {
    const draws = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 5 }, () => rng.float());
    };
    expect(draws(42)).toEqual(draws(42));
    expect(draws(42)).not.toEqual(draws(43));
    for (const x of draws(42)) expect(x >= 0 && x < 1).toBe(true);
  });
});
