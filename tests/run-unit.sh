#!/usr/bin/env bash
# Runs the Check unit-test binaries given on the command line, in parallel
# (one job per core, UNIT_JOBS to change it), and reports them in the order
# given: for a binary that failed, what its failing tests printed and
# Check's failure lines, indented, then the failed ones named on one line;
# the binaries that passed in one line (UNIT_VERBOSE=1: one line each).  The last line is the one verdict, counted in Check
# tests over all the binaries (a binary that dies counts one more):
#
#   unit: 1234 passed, 0 failed
#
# Exit status 1 if anything failed.  Each binary's whole output (the BUG
# and FIX lines its tests provoke on purpose included) is kept in a log,
# build/test-logs/unit/tests/test_kmalloc.log for build/tests/test_kmalloc;
# UNIT_VERBOSE=1 shows every log, UNIT_LOG_DIR puts them elsewhere.
set -u

if [ $# -eq 0 ]; then
	echo "usage: $0 UNIT-TEST-BINARY..." >&2
	exit 2
fi

# Hang guards, not speed limits (a slow test is made fast instead): Check's
# per test, where a test runs in a process of its own, and one per binary.
export CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-600}
HANG_GUARD=${UNIT_HANG_GUARD:-1200}
# A TAP line on stdout as each test ends, after whatever the test printed:
# how the output in a log is told apart by test.
export CK_TAP_LOG_FILE_NAME=-
# Each binary picks a process per test or not (tests/unit/check_main.h).
unset CK_FORK

jobs=${UNIT_JOBS:-$(nproc 2>/dev/null || echo 2)}
logdir=${UNIT_LOG_DIR:-$(dirname "$(dirname "$1")")/test-logs/unit}
bins=("$@")
n=${#bins[@]}
MAX_LINES=40	# of a failing test's own output shown; the log has all of it

now_us() {
	local t=${EPOCHREALTIME//[!0-9]/}

	echo "${t:-0}"
}

# "tests-asan/test_slub" for build/tests-asan/test_slub
name_of() {
	echo "$(basename "$(dirname "$1")")/$(basename "$1")"
}

log_of() {
	echo "$logdir/$(name_of "$1").log"
}

# Runs binary i; its exit status and wall time in ms go to LOG.status last.
run_one() {
	local t=${bins[$1]} log start rc ms

	log=$(log_of "$t")
	start=$(now_us)
	# The braces: the shell's own "Segmentation fault" goes to the log too.
	# --foreground: the binary stays in the terminal's process group, for ^C.
	{ timeout --foreground -k 10 "$HANG_GUARD" "$t" >"$log" 2>&1 </dev/null; } 2>>"$log"
	rc=$?
	ms=$((($(now_us) - start) / 1000))
	if [ "$rc" -eq 124 ] || { [ "$rc" -eq 137 ] && [ "$ms" -ge $((HANG_GUARD * 1000)) ]; }; then
		echo "run-unit.sh: killed after $HANG_GUARD s by the hang guard" >>"$log"
	fi
	echo "$rc $ms" >"$log.status.tmp"
	mv "$log.status.tmp" "$log.status"
}

# What a failing binary's log says about its failures: for each failing
# test, the last MAX_LINES lines it printed and Check's line for it (with
# the source line); if the binary died or its exit status says failure
# with no failing test, what it printed last.
failure_detail() {
	awk -v max="$MAX_LINES" -v rc="$2" '
	function show(from, to,    i) {
		if (to - from > max) {
			printf "     ... %d lines before these (see the log)\n", to - from - max
			from = to - max
		}
		for (i = from + 1; i <= to; i++)
			print "     " buf[i]
	}
	FNR == NR {	# first pass: Check failure lines, by "tcase:test", in order
		if ($0 ~ /^[^:]*:[0-9]+:[FE]:/) {
			split($0, f, ":")
			key = f[4] ":" f[5]
			check[key, ++nr[key]] = $0
		}
		next
	}
	/^Running suite\(s\):/ && !summary { nbuf = 0; next }
	/^(not )?ok [0-9]+ - / && !summary {
		if ($1 == "not") {
			s = $0
			sub(/^not ok [0-9]+ - /, "", s)
			split(s, f, ":")
			key = f[2] ":" f[3]
			k = ++seen[key]
			show(0, nbuf)
			print "     " ((key, k) in check ? check[key, k] : s)
			failed++
		}
		nbuf = 0
		next
	}
	/^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+/ { summary = 1; next }
	summary && (/^1\.\.[0-9]+$/ || /^[^:]*:[0-9]+:[FE]:/) { next }
	{ buf[++nbuf] = $0 }
	END {
		if (!failed || !summary) {
			show(0, nbuf)
		}
	}' "$1" "$1"
}

total_pass=0
total_fail=0
failed_bins=()

# Prints binary i's verdict and adds its tests to the totals.
report() {
	local t=${bins[$1]} name log rc ms checks pass fail summary time

	name=$(name_of "$t")
	log=$(log_of "$t")
	read -r rc ms <"$log.status"
	time="$((ms / 1000)).$((ms % 1000 / 100)) s"
	summary=$(grep -aoE '[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' "$log" |
		  tail -n 1)
	if [[ $summary =~ Checks:\ ([0-9]+),\ Failures:\ ([0-9]+),\ Errors:\ ([0-9]+) ]]; then
		checks=${BASH_REMATCH[1]}
		fail=$((BASH_REMATCH[2] + BASH_REMATCH[3]))
		pass=$((checks - fail))
	else
		# Died before its summary: what passed and failed by then, and the death.
		pass=$(grep -acE '^ok [0-9]+ - ' "$log")
		fail=$(grep -acE '^not ok [0-9]+ - ' "$log")
		checks=$((pass + fail))
		fail=$((fail + 1))
		summary=
	fi
	if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
		fail=1
	fi
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	[ "$fail" -eq 0 ] || failed_bins+=("$name")
	if [ "$fail" -eq 0 ]; then
		ok_bins=$((ok_bins + 1))
		[ "${UNIT_VERBOSE:-0}" = 1 ] && printf 'ok   %s (%d tests, %s)\n' "$name" "$checks" "$time"
	elif [ -z "$summary" ]; then
		printf 'FAIL %s (died with exit status %d after %d tests, %s; log %s)\n' \
		       "$name" "$rc" "$checks" "$time" "$log"
		failure_detail "$log" "$rc"
	elif [ "$pass" -eq "$checks" ]; then
		printf 'FAIL %s (exit status %d after its %d tests passed, %s; log %s)\n' \
		       "$name" "$rc" "$checks" "$time" "$log"
		failure_detail "$log" "$rc"
	else
		printf 'FAIL %s (%d of %d tests failed, %s; log %s)\n' "$name" "$fail" \
		       "$checks" "$time" "$log"
		failure_detail "$log" "$rc"
	fi
	if [ "${UNIT_VERBOSE:-0}" = 1 ]; then
		sed 's/^/     | /' "$log"
	fi
}

# Longest first, by the last run's times, so that the slowest binary is not
# the last to start.  Unknown ones go first, later arguments before earlier
# ones: make lists the sanitizer builds, the slow ones, last.
declare -a last_ms order
for ((i = 0; i < n; i++)); do
	log=$(log_of "${bins[i]}")
	mkdir -p "$(dirname "$log")"
	last_ms[i]=999999
	if [ -r "$log.status" ]; then
		read -r _ "last_ms[i]" <"$log.status" || last_ms[i]=999999
		rm -f "$log.status"
	fi
done
mapfile -t order < <(for ((i = 0; i < n; i++)); do echo "${last_ms[i]:-999999} $i"; done |
		      sort -k1,1nr -k2,2nr | cut -d' ' -f2)

next=0
ok_bins=0
print_ready() {
	while [ "$next" -lt "$n" ] && [ -e "$(log_of "${bins[next]}").status" ]; do
		report "$next"
		next=$((next + 1))
	done
}

running=0
for i in "${order[@]}"; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
		print_ready
	fi
	run_one "$i" &
	running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
	wait -n
	running=$((running - 1))
	print_ready
done
wait
print_ready

[ "$ok_bins" -eq 0 ] || echo "ok   $ok_bins test binaries"
[ ${#failed_bins[@]} -eq 0 ] || echo "FAILED: ${failed_bins[*]}"
printf 'unit: %d passed, %d failed\n' "$total_pass" "$total_fail"
[ "$total_fail" -eq 0 ]
