#!/usr/bin/env bash
# Compares two `make bench` outputs: for every figure that has a spread
# (a `spread:` line), whether each run's median lies within the other
# run's spread (min to max).  Prints one line per figure, then a count;
# exits 1 when some median falls outside.
#   tests/bench/compare.sh FIRST.txt SECOND.txt [UNIT]
# UNIT limits it to one unit ("ratio", "ns/op", "ms", ...).
set -eu
[ $# -ge 2 ] || { echo "usage: $0 FIRST SECOND [UNIT]" >&2; exit 2; }
awk -v unit="${3:-}" '
	FNR == 1 { run++ }
	$1 == "bench:" { med[run, $2] = $3; u[$2] = $4 }
	$1 == "spread:" { lo[run, $2] = $3; hi[run, $2] = $4; if (run == 1) names[++n] = $2 }
	function inside(v, a, b) { return v + 0 >= a + 0 && v + 0 <= b + 0 }
	END {
		for (i = 1; i <= n; i++) {
			f = names[i]
			if (unit != "" && u[f] != unit) continue
			if (!((2, f) in med) || !((2, f) in lo)) { printf "%-44s missing from the second run\n", f; bad++; continue }
			ok = inside(med[1, f], lo[2, f], hi[2, f]) && inside(med[2, f], lo[1, f], hi[1, f])
			printf "%-44s %s  %s (%s to %s)  %s (%s to %s)\n", f, ok ? "ok " : "OUT",
			       med[1, f], lo[1, f], hi[1, f], med[2, f], lo[2, f], hi[2, f]
			total++; if (!ok) bad++
		}
		printf "%d of %d figures: each median within the other run'\''s spread\n", total - bad, total
		exit bad > 0
	}' "$1" "$2"
