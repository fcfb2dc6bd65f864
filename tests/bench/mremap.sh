#!/usr/bin/env bash
# Guest figures of mremap, from `vmm run --profile`'s count of guest
# instructions on the first available accelerator that counts them
# (counting.sh: kvm_pvm's count or TCG's -icount; where none counts, the
# script says so and prints no figure).  Each figure is a difference of two
# commands of one run, so the channel round trip and the user program's
# own instructions cancel out:
#   mremap.move_per_page   MREMAP_FIXED move of N resident pages minus the
#                          same move of one resident page, divided by N - 1,
#                          where the PTEs move one by one (the destination is
#                          not 2 MiB aligned): the work per page moved
#   mremap.move_base       that move of one resident page: the checks, the
#                          new VMA, the old range's removal
#   mremap.move_2m_by_pte  2 MiB of resident pages moved PTE by PTE (N = 512)
#   mremap.move_2m_by_table  the same 2 MiB moved between 2 MiB boundaries,
#                          where the page table itself changes place: one PMD
#                          entry (Linux's move_normal_pmd())
# Prints `bench: NAME VALUE UNIT` lines.
set -eu
vmm=${VMM:-./vmm}
N=512	# 2 MiB: one whole page table
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. "$(dirname "$0")/counting.sh"
accel=$(counting_accels | head -n1)
[ -n "$accel" ] || { echo "mremap.sh: no accelerator here counts guest instructions: no mremap figures" >&2; exit 0; }
echo "mremap.sh: guest instructions counted on $accel"

# The instructions of the command on line $1 of the last run.
at() { sed -n "s/^vmm: profile [^:]*:$1 [a-z_]*: [0-9]* exits, \([0-9-]*\) guest instructions$/\1/p" "$dir/out"; }

# Line 4 moves N resident pages from a 2 MiB boundary to a place that is
# not one (PTE by PTE), line 5 moves them on to a 2 MiB boundary (PTE by
# PTE again: the source is not aligned), line 6 between two boundaries.
for pages in "$N" 1; do
	cat > "$dir/mremap.vmm" <<SCENARIO
vm
spawn A
A: m = mmap $((pages * 4096)) addr=0x40000000 flags=MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_POPULATE
A: a = mremap \$m $((pages * 4096)) $((pages * 4096)) flags=MREMAP_MAYMOVE|MREMAP_FIXED new_addr=0x50001000
A: b = mremap \$a $((pages * 4096)) $((pages * 4096)) flags=MREMAP_MAYMOVE|MREMAP_FIXED new_addr=0x60000000
A: c = mremap \$b $((pages * 4096)) $((pages * 4096)) flags=MREMAP_MAYMOVE|MREMAP_FIXED new_addr=0x80000000
expect A.rss == $pages
expect \$c == 0x80000000
SCENARIO
	"$vmm" run --accel "$accel" --profile "$dir/mremap.vmm" > "$dir/out" ||
		{ cat "$dir/out" >&2; exit 1; }
	eval "pte$pages=$(at 4) table$pages=$(at 6)"
done
cat <<FIGURES
bench: mremap.move_per_page $(( (pte512 - pte1) / (N - 1) )) instr/page
bench: mremap.move_base $pte1 instr
bench: mremap.move_2m_by_pte $pte512 instr
bench: mremap.move_2m_by_table $table512 instr
FIGURES
