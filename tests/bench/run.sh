#!/usr/bin/env bash
# Runs every benchmark program given on the command line: natively for wall
# time (ns/op and ratios: medians of rounds, each with its spread; see
# tests/bench/bench.h), then each case under callgrind for exact instruction
# counts (instr/op; for the churns also callgrind's L1 read misses and
# mispredicted conditional branches per operation, a model of the machine).
# A case that several programs share (kmalloc's, in each slab binary beside
# its reference allocator) is counted once, its wall time taken from the
# first program.  Ends with the machine-readable lines, one
# `bench: NAME VALUE UNIT` per figure, named as in docs/performance.md, and
# after a timed figure one `spread: NAME MIN MAX UNIT (...)`.
set -euo pipefail
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
: > "$out/lines"
: > "$out/counted"
# Timing first: BENCH_PROCS (10) fresh processes of every program, the
# programs taking turns process by process, so that each program's rounds
# are spread over the whole minute or so of timing and every figure sees
# the same mix of quiet and busy moments on a shared machine (one program
# timed after the other met the load of its own few seconds only: a
# ratio's median moved from run to run by more than its spread).
for p in $(seq "${BENCH_PROCS:-10}"); do
	for bin in "$@"; do
		"$bin" --rounds >> "$out/rounds.$(basename "$bin")"
	done
done
for bin in "$@"; do
	# Only figures no earlier program gave.
	"$bin" --report < "$out/rounds.$(basename "$bin")" | awk -v seen="$out/lines" '
		BEGIN { while ((getline l < seen) > 0) { split(l, f, " "); had[f[1] " " f[2]] = 1 } }
		!had[$1 " " $2] { print }' >> "$out/lines.new"
	cat "$out/lines.new" >> "$out/lines"; : > "$out/lines.new"
	"$bin" --list | while read -r name iters; do
		grep -qxF "$name" "$out/counted" && continue
		echo "$name" >> "$out/counted"
		# Fewer iterations under callgrind: it is ~50x slower, and the
		# per-operation count does not depend on the number of runs once
		# setup is excluded.
		n=$(( iters > 100000 ? iters / 10 : iters ))
		# The churns also get callgrind's cache and branch models: where
		# their time goes is a matter of misses more than of instructions.
		sim=()
		case $name in *churn*) sim=(--cache-sim=yes --branch-sim=yes) ;; esac
		valgrind --tool=callgrind --collect-atstart=no --toggle-collect=bench_measure \
			"${sim[@]}" --callgrind-out-file="$out/cg" "$bin" --callgrind "$name" "$n" 2>/dev/null
		awk -v name="$name" -v n="$n" '
			/^events:/ { for (i = 2; i <= NF; i++) col[$i] = i }
			/^(summary|totals):/ {
				printf "bench: %s %.1f instr/op\n", name, $2 / n
				if ("D1mr" in col)
					printf "bench: %s.l1_read_misses %.2f misses/op\n", name, $col["D1mr"] / n
				if ("Bcm" in col)
					printf "bench: %s.mispredicts %.3f mispredicts/op\n", name, $col["Bcm"] / n
				exit
			}' "$out/cg" >> "$out/lines"
	done
done
printf '%-44s %12s %-9s %s\n' FIGURE VALUE UNIT 'SPREAD (min max)'
awk '$1 == "spread:" { lo[$2] = $3; hi[$2] = $4; next }
     { v[NR] = $0; n[NR] = $2 }
     END { for (i = 1; i <= NR; i++) if (i in v) { split(v[i], f, " ")
		s = (f[2] in lo) ? lo[f[2]] " " hi[f[2]] : ""
		printf "%-44s %12s %-9s %s\n", f[2], f[3], f[4], s } }' "$out/lines"
echo
cat "$out/lines"
