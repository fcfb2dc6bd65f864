#!/usr/bin/env bash
# Sweep figures, with real guests, for every accelerator this machine has:
#   sweep.ACCEL.runs_per_s        `vmm sweep` of tests/scenarios/proc-fork-cow.vmm
#                                 (every allocation of a fork-heavy scenario failed
#                                 in turn), runs per second with -j SWEEP_JOBS
#                                 (default: cores), as the sweep itself reports
#   sweep.ACCEL.runs              how many runs that sweep made
#   sweep.ACCEL.boot_share        the share of a run's wall time spent booting:
#                                 the boot time `vmm run` reports over the run's wall
#                                 time, median of 5 runs, min and max on a `spread:` line
# Prints `bench: NAME VALUE UNIT` lines and `spread: NAME MIN MAX UNIT (...)`.
set -eu
vmm=${VMM:-./vmm}
jobs=${SWEEP_JOBS:-$(nproc)}
scenario=tests/scenarios/proc-fork-cow.vmm
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

now() { date +%s.%N; }

for accel in $("$vmm" info | awk '$2 == "available" { print $1 }'); do
	"$vmm" sweep --accel "$accel" -j "$jobs" "$scenario" > "$dir/out" 2>&1 || true
	read -r runs rate < <(sed -n 's/^sweep: \([0-9]*\) runs in .* s (\([0-9.]*\) runs\/s.*/\1 \2/p' "$dir/out")
	echo "sweep $accel: $runs runs of $scenario, $rate runs/s, $jobs at a time"
	echo "bench: sweep.$accel.runs_per_s $rate runs/s"
	echo "bench: sweep.$accel.runs $runs runs"
	for i in 1 2 3 4 5; do
		t0=$(now)
		"$vmm" run --accel "$accel" "$scenario" > "$dir/run"
		boot=$(sed -n 's/.*booted a .* in \([0-9.]*\) ms.*/\1/p' "$dir/run")
		echo "$(now) $t0 $boot" | awk '{ printf "%.3f\n", $3 / (($1 - $2) * 1000) }'
	done > "$dir/share"
	read -r share lo hi < <(sort -n "$dir/share" |
		awk '{ v[NR] = $1 } END { printf "%.2f %.2f %.2f\n", v[int((NR + 1) / 2)], v[1], v[NR] }')
	echo "sweep $accel: booting is $share of a run's wall time"
	echo "bench: sweep.$accel.boot_share $share ratio"
	echo "spread: sweep.$accel.boot_share $lo $hi ratio (min max of 5 runs)"
done
