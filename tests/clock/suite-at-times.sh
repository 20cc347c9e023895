#!/usr/bin/env bash
# The whole suite with the machine's own clock moved (libfaketime: `apt-get install faketime`) to the moments
# the suite must not care about: 08:30, 15:30 and 23:59 on a weekday, and the minutes around both clock changes
# (the last Sunday of March and of October, starting ten minutes before the change so the run crosses it), those
# two with the PC's zone set to London as well. Every test pins the desk's clock (tests/support/clock.ts), so each run must pass exactly as a plain `npm test` does.
# Usage: bash tests/clock/suite-at-times.sh [LOG_DIR]. Takes about an hour on two cores; not part of CI.
set -u
cd "$(dirname "$0")/../.."
command -v faketime >/dev/null || { echo "needs faketime (apt-get install faketime)" >&2; exit 2; }
logs=${1:-test-artifacts/clock-runs}
mkdir -p "$logs"
runs=(
  "UTC|2026-12-02 08:30:00"
  "UTC|2026-12-02 15:30:00"
  "UTC|2026-12-02 23:59:00"
  "Europe/London|2027-03-28 00:50:00"
  "Europe/London|2026-10-25 00:50:00"
)
# Chromium cannot start under libfaketime (its zygote fails to fork): the tests start it through this script,
# which leaves the fake clock out. Nothing the suite checks takes its time from Chromium's clock: pages get
# Playwright's clock at the server's instant, sheets the desk's time.
wrapper=$(mktemp -d)/chromium
printf '#!/bin/sh\nexec env -u LD_PRELOAD -u FAKETIME /usr/bin/chromium "$@"\n' >"$wrapper"
chmod +x "$wrapper"
export STANDBY_DESK_TEST_CHROMIUM=$wrapper STANDBY_DESK_BROWSER=$wrapper
failed=0
for run in "${runs[@]}"; do
  zone=${run%%|*}
  at=${run#*|}
  log="$logs/suite-$(echo "$at" | tr ' :' '-_').log"
  # The clock starts at `at` and runs on; FAKETIME_DONT_FAKE_MONOTONIC keeps timers and timeouts real.
  # `at` is UTC (London's clocks change at 01:00 UTC); the suite itself runs in `zone`.
  if TZ=UTC FAKETIME_DONT_FAKE_MONOTONIC=1 faketime "$at" env TZ="$zone" npx vitest run >"$log" 2>&1; then result=passed; else result=FAILED; failed=1; fi
  echo "$at ($zone): $result, $(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^\s*Tests ' | tail -1 | xargs)"
done
exit $failed
