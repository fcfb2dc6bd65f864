#!/usr/bin/env bash
# Guest-side figures, with real guests, for every accelerator this machine
# has (`vmm info`), measured in the same run so that they compare:
#   boot.ACCEL.{64m,1g}.wall_ms      accelerator set-up to READY as vmm reports it
#                                    (QEMU's start included under TCG); median of
#                                    BOOT_RUNS, with min and max on the human line
#   boot.ACCEL.64m.guest_instructions  guest instructions to READY, where counted:
#                                    kvm_pvm's insn_emulation, or TCG's -icount
#                                    (`vmm run --profile`); absent on hardware KVM
#   channel.ACCEL.echo.exits         doorbells per scenario command
#   channel.ACCEL.echo.guest_instructions  guest instructions per `echo`, where counted
#   channel.ACCEL.echo.round_trip_us one `echo` request and reply, host to guest and
#                                    back: (wall of 2,000 echos - wall of none) / 2,000,
#                                    the two runs alternating, median of ROUNDS
#   suite.ACCEL.wall_s               tests/scenarios with ./vmm on this accelerator
#                                    alone, JOBS at a time (default: cores)
# Prints `bench: NAME VALUE UNIT` lines.
set -eu
vmm=${VMM:-./vmm}
runs=${BOOT_RUNS:-20}
rounds=${ROUNDS:-5}
echos=2000
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { printf "%s %s %s\n", v[int((NR + 1) / 2)], v[1], v[NR] }'; }
now() { date +%s.%N; }

boot_figures() {
	local accel=$1 mem name m lo hi
	for mem in 64M 1G; do
		name=$(echo "$mem" | tr 'A-Z' 'a-z')
		{ echo "vm memory=$mem"; for i in $(seq 10); do echo "x = echo $i"; done; } > "$dir/s.vmm"
		for i in $(seq "$runs"); do "$vmm" run --accel "$accel" "$dir/s.vmm"; done > "$dir/out"
		read -r m lo hi < <(sed -n 's/.*booted a .* in \([0-9.]*\) ms.*/\1/p' "$dir/out" | median)
		echo "boot $accel $mem: median $m ms of $runs (min $lo, max $hi)"
		echo "bench: boot.$accel.$name.wall_ms $m ms"
	done
	{ echo "vm memory=64M"; for i in $(seq 10); do echo "x = echo $i"; done; } > "$dir/s.vmm"
	"$vmm" run --accel "$accel" --profile "$dir/s.vmm" > "$dir/out"
	sed -n 's/.*exits, \([0-9]*\) guest instructions).*/\1/p' "$dir/out" | head -n1 |
		awk -v a="$accel" '{ printf "bench: boot.%s.64m.guest_instructions %s instr\n", a, $1 }'
	sed -n 's/.*commands: [0-9]* exits (\([0-9.]*\) per command).*/\1/p' "$dir/out" | head -n1 |
		awk -v a="$accel" '{ printf "bench: channel.%s.echo.exits %s exits/command\n", a, $1 }'
	sed -n 's/.*guest instructions (\([0-9]*\) per command).*/\1/p' "$dir/out" | head -n1 |
		awk -v a="$accel" '{ printf "bench: channel.%s.echo.guest_instructions %s instr/command\n", a, $1 }'
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
}

suite() {
	local accel=$1 t0 t1
	t0=$(now)
	"$vmm" test -q --accel "$accel" --log-dir "$dir/logs" tests/scenarios > "$dir/suite" || true
	t1=$(now)
	tail -n1 "$dir/suite" | sed "s/^/suite $accel: /"
	printf 'bench: suite.%s.wall_s %.1f s\n' "$accel" "$(echo "$t1 - $t0" | bc -l)"
}

accels=$("$vmm" info | awk '$2 == "available" { print $1 }')
[ -n "$accels" ] || { echo "boot.sh: no accelerator can run a guest here" >&2; exit 1; }
for accel in $accels; do
	boot_figures "$accel"
	round_trip "$accel"
	suite "$accel"
done
