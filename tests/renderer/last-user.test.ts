/**
 * The last user at this desk (renderer/src/signin/last-user.ts): remembered, read back, forgotten; a browser that
 * refuses storage remembers nothing and breaks nothing. The window's localStorage here is a test double (a Map).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { forgetLastUser, lastUser, rememberLastUser } from '../../renderer/src/signin/last-user';

/** Test double: the Storage calls last-user.ts makes, over a Map. */
function mapStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    getItem: (key) => entries.get(key) ?? null,
    setItem: (key, value) => void entries.set(key, value),
    removeItem: (key) => void entries.delete(key),
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the last user at this desk', () => {
  it('is remembered by username alone, read back, and forgotten', () => {
    const storage = mapStorage();
    vi.stubGlobal('window', { localStorage: storage });
    expect(lastUser()).toBeNull();
    rememberLastUser('sjones');
    expect(lastUser()).toBe('sjones');
    expect([...storage.entries.values()]).toEqual(['sjones']);
    forgetLastUser();
    expect(lastUser()).toBeNull();
    expect(storage.entries.size).toBe(0);
  });

  it('is not remembered where the browser refuses storage, and nothing breaks', () => {
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    vi.stubGlobal('window', { localStorage: refusing });
    expect(() => rememberLastUser('sjones')).not.toThrow();
    expect(lastUser()).toBeNull();
    expect(() => forgetLastUser()).not.toThrow();
  });
});
