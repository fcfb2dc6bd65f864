#!/usr/bin/env bash
# Guest-side figures, with real guests, for every accelerator this machine
# has (`vmm info`), measured in the same run so that they compare:
#   boot.ACCEL.{64m,1g,3g}.wall_ms   accelerator set-up to READY as vmm reports it
#                                    (QEMU's start included under TCG); median of
#                                    BOOT_RUNS, its min and max on a `spread:` line
#   boot.ACCEL.{64m,1g,3g}.guest_instructions  guest instructions to READY, only
#                                    where the accelerator counts them (kvm_pvm's
#                                    insn_emulation, TCG's -icount: counting.sh asks
#                                    vmm); where none does, the script says so
#   boot.{64m,1g,3g}.guest_instructions  the same, from the first accelerator that counts
#   channel.ACCEL.echo.exits         doorbells per scenario command
#   channel.ACCEL.echo.guest_instructions  guest instructions per `echo`, where counted
#   channel.ACCEL.echo.round_trip_us one `echo` request and reply, host to guest and
#                                    back: (wall of 2,000 echos - wall of none) / 2,000,
#                                    the two runs alternating, median of ROUNDS with
#                                    its min and max on a `spread:` line
#   suite.ACCEL.wall_s               tests/scenarios with ./vmm on this accelerator
#                                    alone, JOBS at a time (default: cores)
# Prints `bench: NAME VALUE UNIT` lines, and `spread: NAME MIN MAX UNIT (...)`.
set -eu
vmm=${VMM:-./vmm}
runs=${BOOT_RUNS:-20}
rounds=${ROUNDS:-5}
echos=2000
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. "$(dirname "$0")/counting.sh"

median() { sort -n | awk '{ v[NR] = $1 } END { printf "%s %s %s\n", v[int((NR + 1) / 2)], v[1], v[NR] }'; }
now() { date +%s.%N; }

boot_figures() {
	local accel=$1 counts=$2 mem name m lo hi
	for mem in 64M 1G 3G; do
		name=$(echo "$mem" | tr 'A-Z' 'a-z')
		{ echo "vm memory=$mem"; for i in $(seq 10); do echo "x = echo $i"; done; } > "$dir/s.vmm"
		for i in $(seq "$runs"); do "$vmm" run --accel "$accel" "$dir/s.vmm"; done > "$dir/out"
		read -r m lo hi < <(sed -n 's/.*booted a .* in \([0-9.]*\) ms.*/\1/p' "$dir/out" | median)
		echo "boot $accel $mem: median $m ms of $runs (min $lo, max $hi)"
		echo "bench: boot.$accel.$name.wall_ms $m ms"
		echo "spread: boot.$accel.$name.wall_ms $lo $hi ms (min max of $runs boots)"
		[ "$counts" = yes ] || continue
		"$vmm" run --accel "$accel" --profile "$dir/s.vmm" > "$dir/out"
		sed -n 's/.*exits, \([0-9]*\) guest instructions).*/\1/p' "$dir/out" | head -n1 |
			awk -v a="$accel" -v n="$name" -v plain="$plain" '{
				printf "bench: boot.%s.%s.guest_instructions %s instr\n", a, n, $1
				if (plain == a) printf "bench: boot.%s.guest_instructions %s instr\n", n, $1 }'
		[ "$mem" = 64M ] || continue
		sed -n 's/.*commands: [0-9]* exits (\([0-9.]*\) per command).*/\1/p' "$dir/out" | head -n1 |
			awk -v a="$accel" '{ printf "bench: channel.%s.echo.exits %s exits/command\n", a, $1 }'
		sed -n 's/.*guest instructions (\([0-9]*\) per command).*/\1/p' "$dir/out" | head -n1 |
			awk -v a="$accel" '{ printf "bench: channel.%s.echo.guest_instructions %s instr/command\n", a, $1 }'
	done
}

round_trip() {
	local accel=$1 t0 t1 t2 m lo hi
	echo "vm" > "$dir/none.vmm"
	{ echo "vm"; for i in $(seq "$echos"); do echo "echo $i"; done; } > "$dir/many.vmm"
	for r in $(seq "$rounds"); do
		t0=$(now); "$vmm" run -q --accel "$accel" "$dir/none.vmm" >/dev/null
		t1=$(now); "$vmm" run -q --accel "$accel" "$dir/many.vmm" >/dev/null
		t2=$(now)
		echo "($t2 - $t1 - ($t1 - $t0)) * 1000000 / $echos" | bc -l
	done > "$dir/rt"
	read -r m lo hi < <(median < "$dir/rt")
	printf 'round trip %s: median %.1f us of %d rounds (min %.1f, max %.1f)\n' "$accel" "$m" "$rounds" "$lo" "$hi"
	printf 'bench: channel.%s.echo.round_trip_us %.1f us\n' "$accel" "$m"
	printf 'spread: channel.%s.echo.round_trip_us %.1f %.1f us (min max of %d rounds)\n' "$accel" "$lo" "$hi" "$rounds"
}

suite() {
	local accel=$1 t0 t1
	t0=$(now)
	"$vmm" test -q --accel "$accel" --log-dir "$dir/logs" tests/scenarios > "$dir/suite" || true
	t1=$(now)
	tail -n1 "$dir/suite" | sed "s/^/suite $accel: /"
	printf 'bench: suite.%s.wall_s %.1f s\n' "$accel" "$(echo "$t1 - $t0" | bc -l)"
}

accels=$(available_accels)
[ -n "$accels" ] || { echo "boot.sh: no accelerator can run a guest here" >&2; exit 1; }
counting=" $(counting_accels | tr '\n' ' ')"
[ "$counting" != " " ] || echo "boot.sh: no accelerator here counts guest instructions: wall times only" >&2
# boot.{64m,1g,3g}.guest_instructions, without an accelerator's name, are
# the first counting accelerator's: the guest runs the same code on each.
plain=$(echo $counting | cut -d' ' -f1)
for accel in $accels; do
	case "$counting" in *" $accel "*) counts=yes ;; *) counts=no ;; esac
	boot_figures "$accel" "$counts"
	round_trip "$accel"
	suite "$accel"
done
