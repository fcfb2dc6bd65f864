#!/usr/bin/env bash
# Runs every benchmark program given on the command line: once natively for
# wall time (ns/op), then each case under callgrind for exact instruction
# counts (instr/op).  Ends with the machine-readable `bench:` lines, one per
# figure, named as in docs/performance.md.
set -eu
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
: > "$out/lines"
for bin in "$@"; do
	"$bin" >> "$out/lines"
	"$bin" --list | while read -r name iters; do
		# Fewer iterations under callgrind: it is ~50x slower, and the
		# per-operation count does not depend on the number of runs once
		# setup is excluded.
		n=$(( iters > 100000 ? iters / 10 : iters ))
		valgrind --tool=callgrind --collect-atstart=no --toggle-collect=bench_measure \
			--callgrind-out-file="$out/cg" "$bin" --callgrind "$name" "$n" 2>/dev/null
		ir=$(awk '/^(summary|totals):/ { print $2; exit }' "$out/cg")
		awk -v name="$name" -v ir="$ir" -v n="$n" \
			'BEGIN { printf "bench: %s %.1f instr/op\n", name, ir / n }' >> "$out/lines"
	done
done
printf '%-48s %14s %s\n' FIGURE VALUE UNIT
awk '{ printf "%-48s %14s %s\n", $2, $3, $4 }' "$out/lines"
echo
cat "$out/lines"
