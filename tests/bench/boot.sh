#!/usr/bin/env bash
# Guest-side figures, measured with real guests: VM creation to READY
# (median of 20 boots, wall clock), guest instructions to boot (KVM's
# insn_emulation counter: exact on kvm_pvm, absent on hardware KVM), and
# exits and guest instructions per scenario command (an `echo` round trip).
# Prints `bench: NAME VALUE UNIT` lines; skipped without /dev/kvm.
set -eu
vmm=${VMM:-./vmm}
runs=${BOOT_RUNS:-20}
[ -w /dev/kvm ] || { echo "boot.sh: no /dev/kvm, guest benchmarks skipped" >&2; exit 0; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

for mem in 64M 1G; do
	name=$(echo "$mem" | tr 'A-Z' 'a-z')
	{ echo "vm memory=$mem"; for i in $(seq 10); do echo "x = echo $i"; done; } > "$dir/s.vmm"
	for i in $(seq "$runs"); do "$vmm" run "$dir/s.vmm"; done > "$dir/out"
	sed -n 's/.*booted a .* in \([0-9.]*\) ms.*/\1/p' "$dir/out" | sort -n |
		awk -v n="$name" '{ v[NR] = $1 } END { printf "bench: boot.%s.wall_ms %s ms\n", n, v[int((NR + 1) / 2)] }'
	sed -n 's/.*exits, \([0-9]*\) guest instructions emulated.*/\1/p' "$dir/out" | head -n1 |
		awk -v n="$name" '{ printf "bench: boot.%s.guest_instructions %s instr\n", n, $1 }'
done
sed -n 's/.*(\([0-9.]*\) per command), [0-9-]* guest instructions (\([0-9-]*\) per command).*/\1 \2/p' "$dir/out" | head -n1 |
	awk '{ printf "bench: channel.echo.exits %s exits/command\nbench: channel.echo.guest_instructions %s instr/command\n", $1, $2 }'
