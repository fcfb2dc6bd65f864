#!/usr/bin/env bash
# Runs every scenario file under a directory with a real guest, on every
# accelerator this machine has, and checks the outcome each file's header
# promises:
#   # expect-exit: N           the exit status of `vmm run` (default 0)
#   # expect-output: TEXT      a line of output must contain TEXT (repeatable)
#   # vmm-args: ARGS           extra options for `vmm run`
#   # vmm-env: NAME=VALUE      an environment variable for `vmm run`
#   # accel: NAME              runs only on that accelerator; skipped (with the
#                              reason) elsewhere
#
#   tests/run-scenarios.sh [DIR]
#
# VMM names the vmm binary (default ./vmm), VMM_ARGS adds options to every
# run, VMM_ACCELS lists the accelerators to use (default: every one that
# `vmm info` finds available), JOBS the runs at a time (default: cores).
# No accelerator at all is a failure, never a skip: the guest always runs.
# Logs: build/test-logs/scenarios/ACCEL/NAME.log.  Ends with one line,
# "scenarios: N passed, N failed[, N skipped]".
set -u
dir=${1:-tests/scenarios}
vmm=${VMM:-./vmm}
logs=${LOGS:-build/test-logs/scenarios}$( [ -n "${LOG_TAG:-}" ] && echo "-$LOG_TAG")
jobs=${JOBS:-$(nproc)}

accels=${VMM_ACCELS:-$("$vmm" info 2>/dev/null | awk '$2 == "available" { print $1 }')}
if [ -z "$accels" ]; then
	echo "FAIL no accelerator can run a guest here:"
	"$vmm" info 2>&1 | sed 's/^/     | /'
	echo "scenarios: 0 passed, 1 failed"
	exit 1
fi

header() { sed -n "s/^# $1: *//p" "$2"; }

# One run: writes LOG and, on its last line, "ok", "skip REASON" or "FAIL WHY".
run_one() {
	local accel=$1 f=$2 log=$3 want need args env problems="" got text
	need=$(header accel "$f" | head -n1)
	if [ -n "$need" ] && [ "$need" != "$accel" ]; then
		echo "skip needs the $need accelerator" >"$log.result"
		return
	fi
	want=$(header expect-exit "$f" | head -n1)
	args=$(header vmm-args "$f" | head -n1)
	env=$(header vmm-env "$f" | head -n1)
	# shellcheck disable=SC2086
	env $env "$vmm" run --accel "$accel" ${VMM_ARGS:-} $args "$f" >"$log" 2>&1 </dev/null
	got=$?
	[ "$got" = "${want:-0}" ] || problems="exit status $got, expected ${want:-0}"
	while IFS= read -r text; do
		grep -qF -- "$text" "$log" || problems="${problems:+$problems; }no output line contains '$text'"
	done < <(header expect-output "$f")
	echo "${problems:+FAIL $problems}" | sed 's/^$/ok/' >"$log.result"
}
export -f run_one header
export vmm

for accel in $accels; do
	mkdir -p "$logs/$accel"
	for f in "$dir"/*.vmm; do
		printf '%s\0%s\0%s\0' "$accel" "$f" "$logs/$accel/$(basename "$f" .vmm).log"
	done
done | xargs -0 -n 3 -P "$jobs" bash -c 'run_one "$@"' run_one

pass=0 fail=0 skip=0
for accel in $accels; do
	for f in "$dir"/*.vmm; do
		log=$logs/$accel/$(basename "$f" .vmm).log
		result=$(cat "$log.result" 2>/dev/null || echo "FAIL the runner lost this run")
		case "$result" in
		ok) pass=$((pass + 1)) ;;
		skip*) skip=$((skip + 1)); echo "skip $accel $f: ${result#skip }" ;;
		*)
			fail=$((fail + 1))
			echo "FAIL $accel $f: ${result#FAIL }"
			sed 's/^/     | /' "$log" 2>/dev/null ;;
		esac
	done
done
echo "scenarios: $pass passed, $fail failed${skip:+, $skip skipped}" | sed 's/, 0 skipped$//'
[ "$fail" -eq 0 ]
