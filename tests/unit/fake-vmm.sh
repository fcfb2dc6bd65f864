#!/bin/sh
# A stand-in for vmm in tests/unit/test_suite.c, which tests how `vmm test`
# starts, times, kills and judges processes, not guests (make check runs
# the real scenarios through the real vmm).
#
#   fake-vmm.sh info    names kvm and tcg, available where FAKE_ACCELS (default
#                       "tcg") lists them; exit 77 when none is
#   fake-vmm.sh run --accel A [OPTIONS] FILE
#                       prints "fake-vmm: ARGUMENTS", then does what FILE's
#                       "# fake-...:" lines say, in this order:
#     # fake-output: TEXT    prints TEXT (repeatable)
#     # fake-sleep: SECONDS  sleeps in a child process, whose PID it writes to FILE.sleeper
#                            (not to the log, which is the same on every run)
#     # fake-signal: NAME    kills itself with that signal
#     # fake-exit: N         exits N (default 0)
set -u
case "${1:-}" in
info)
	n=0
	for a in kvm tcg; do
		case " ${FAKE_ACCELS-tcg} " in
		*" $a "*) echo "$a  available"; n=$((n + 1)) ;;
		*) echo "$a  unavailable: the fake vmm offers no $a" ;;
		esac
	done
	[ "$n" -gt 0 ] || exit 77
	exit 0 ;;
run) ;;
*) echo "fake-vmm: unknown command" >&2; exit 2 ;;
esac
echo "fake-vmm: $*"
for f; do :; done
sed -n 's/^# fake-output: //p' "$f"
s=$(sed -n 's/^# fake-sleep: //p' "$f")
if [ -n "$s" ]; then
	sleep "$s" &
	echo "$!" > "$f.sleeper"
	wait
fi
sig=$(sed -n 's/^# fake-signal: //p' "$f")
[ -z "$sig" ] || kill -s "$sig" $$
code=$(sed -n 's/^# fake-exit: //p' "$f")
exit "${code:-0}"
