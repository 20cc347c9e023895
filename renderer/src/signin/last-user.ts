/**
 * The username of the last person who signed in at this desk, kept in this browser's (or the app window's)
 * localStorage so the next sign-in needs only their password or PIN. Only the username: never the secret. A
 * browser that refuses storage (private mode, a locked-down profile) simply does not remember.
 */
const KEY = 'standby-desk.last-user';

export function lastUser(): string | null {
  try {
    const value = window.localStorage.getItem(KEY);
    return value === null || value.trim() === '' ? null : value;
  } catch {
    return null;
  }
}

export function rememberLastUser(username: string): void {
  try {
    window.localStorage.setItem(KEY, username);
  } catch {
    // Not remembered: the next sign-in types the username, as before.
  }
}

export function forgetLastUser(): void {
  try {
    window.localStorage.removeItem(KEY);
  } catch {
    // Nothing stored to forget.
  }
}
