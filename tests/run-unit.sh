#!/usr/bin/env bash
# Runs each Check unit-test binary given on the command line.  Check prints
# its own summary line per binary ("100%: Checks: N, Failures: 0, Errors: 0");
# this script adds one total line and fails if any binary failed.
set -u
# Sanitizer builds of the heavier tests need more than Check's 4 s default.
export CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-120}
pass=0 fail=0
for t in "$@"; do
	printf '== %s\n' "$t"
	if "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
printf 'unit: %d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
