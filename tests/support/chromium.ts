/**
 * The Chromium every test prints and browses with: Debian's, never a downloaded one. STANDBY_DESK_TEST_CHROMIUM
 * may name another start script for it (tests/clock/suite-at-times.sh starts it outside libfaketime, which
 * Chromium's zygote cannot fork under; pages get their time from Playwright's clock, sheets from the desk's).
 */
export const TEST_CHROMIUM = process.env['STANDBY_DESK_TEST_CHROMIUM'] ?? '/usr/bin/chromium';
