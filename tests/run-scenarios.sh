#!/usr/bin/env bash
# Runs every scenario file under the given directory with a real guest and
# checks the outcome its header promises:
#   # expect-exit: N           the exit status of `vmm run` (default 0)
#   # expect-output: TEXT      a line of output must contain TEXT (repeatable)
#   # vmm-args: ARGS           extra options for `vmm run`
# Without /dev/kvm nothing can run: the script says so loudly and exits 77
# (skipped), unless VMM_REQUIRE_KVM=1, as in CI, where that is a failure.
# VMM names the vmm binary (default ./vmm), VMM_ARGS adds options to every run.
set -u
dir=${1:-tests/scenarios}
vmm=${VMM:-./vmm}

if [ ! -c /dev/kvm ] || [ ! -w /dev/kvm ]; then
	echo "******************************************************************"
	echo "* /dev/kvm is missing or not writable: KVM scenario tests SKIPPED *"
	echo "******************************************************************"
	[ "${VMM_REQUIRE_KVM:-0}" = 1 ] && { echo "scenarios: 0 passed, 1 failed"; exit 1; }
	exit 77
fi

pass=0 fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for f in "$dir"/*.vmm; do
	want_exit=$(sed -n 's/^# expect-exit: *//p' "$f" | head -n1)
	args=$(sed -n 's/^# vmm-args: *//p' "$f" | head -n1)
	# shellcheck disable=SC2086
	"$vmm" run ${VMM_ARGS:-} $args "$f" >"$out" 2>&1
	got=$?
	problems=""
	[ "$got" = "${want_exit:-0}" ] || problems="exit status $got, expected ${want_exit:-0}"
	while IFS= read -r text; do
		grep -qF -- "$text" "$out" || problems="${problems:+$problems; }no output line contains '$text'"
	done < <(sed -n 's/^# expect-output: *//p' "$f")
	if [ -z "$problems" ]; then
		pass=$((pass + 1))
		echo "ok   $f"
	else
		fail=$((fail + 1))
		echo "FAIL $f: $problems"
		sed 's/^/     | /' "$out"
	fi
done
echo "scenarios: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
