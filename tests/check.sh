#!/usr/bin/env bash
# The last step of `make check`: the unit tests (every binary given, plain
# and sanitizer builds), then the scenarios through `vmm test` on every
# accelerator, with ./vmm and with vmm built with ASan and UBSan (which
# turns any host memory error a guest provokes into a failure).  Ends with
# one verdict for all of it: "N passed, N failed" (", N skipped" when
# anything was, with the reasons listed above it).  Logs stay under
# build/test-logs/.
set -u
logs=build/test-logs
mkdir -p "$logs"

# `vmm test` ends with "P passed, F failed, S skipped": named here for the sum below.
scenarios() {
	local name=$1

	shift
	./vmm test -q --log-dir "$logs/$name" "$@" tests/scenarios |
		sed "s/^\([0-9]* passed, [0-9]* failed\)/$name: \1/" | tee "$logs/$name.out"
}

tests/run-unit.sh "$@" | tee "$logs/unit.out"
scenarios scenarios
scenarios scenarios-asan --vmm build/vmm-asan --vmm-args "--kernel guest/vmlinux"

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
