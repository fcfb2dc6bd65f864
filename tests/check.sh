#!/usr/bin/env bash
# The last step of `make check`: the unit tests (every binary given, plain
# and sanitizer builds), then the scenarios on every accelerator, with ./vmm
# and with vmm built with ASan and UBSan (which turns any host memory error
# a guest provokes into a failure).  Ends with one verdict for all of it:
# "N passed, N failed" (", N skipped" when anything was, with the reasons
# listed above it).  Logs stay under build/test-logs/.
set -u
logs=build/test-logs
mkdir -p "$logs"

tests/run-unit.sh "$@" | tee "$logs/unit.out"
tests/run-scenarios.sh tests/scenarios | tee "$logs/scenarios.out"
VMM=build/vmm-asan VMM_ARGS="--kernel guest/vmlinux" LOG_TAG=asan \
	tests/run-scenarios.sh tests/scenarios | sed 's/^scenarios:/scenarios (ASan vmm):/' |
	tee "$logs/scenarios-asan.out"

# Each runner's last line reads "NAME: P passed, F failed[, S skipped]".
cat "$logs/unit.out" "$logs/scenarios.out" "$logs/scenarios-asan.out" |
	awk '/^(unit|scenarios[^:]*): [0-9]+ passed, [0-9]+ failed/ {
		sub(/^[^:]*: /, ""); p += $1; f += $3; s += $5; n++
	}
	END {
		if (n != 3) { print "check: a test runner ended without its summary line"; f++ }
		printf "%d passed, %d failed%s\n", p, f, s ? sprintf(", %d skipped", s) : ""
		exit f != 0
	}'
