#!/usr/bin/env bash
# Guest figures of the page-fault, fork and exit paths, measured in real
# guests from `vmm run --profile`'s count of guest instructions: kvm_pvm's
# count of emulated instructions, or TCG's -icount (both exact), on the
# first available accelerator that counts (counting.sh asks vmm; on a
# machine without KVM that is TCG).  Where none counts, the script says so
# and prints no figure.
#
# Each figure is a difference of two commands in the same run (`vmm run
# --profile` notes every command's count), so the channel round trip and
# the user program's own instructions cancel out:
#   fault.anon_write       write to an untouched page whose page table exists,
#                          minus a write to a mapped page
#   fault.zero_page_read   read of an untouched page (maps the zero page), same base
#   fault.clear_page       zeroing one frame: alloc_pages with __GFP_ZERO minus without,
#                          per page, both right after freeing as many (same allocator state)
#   fault.anon_write_nozero  anon_write minus clear_page: the fault path itself
#   fault.cow_copy         write to a page shared with a child (copies it)
#   fork.per_page          fork of a process with N resident pages minus fork with
#                          one (same VMAs and page tables), divided by N - 1
#   exit.per_page          the same for exit (the child's, whose pages the parent shares)
#   exit.base              exit of that child with one resident page: mostly the
#                          search of the user page tables for empty ones
#   fault.pagecache_read   read of an untouched page of a file mapping whose page is
#                          in the page cache (maps it read-only), same base
#   fault.shared_file_write  first write to that page through a shared mapping, now
#                          mapped read-only and clean: it becomes writable and dirty
#   fault.shared_file_first_write  write to an untouched page of a shared file mapping
# Prints `bench: NAME VALUE UNIT` lines.
set -eu
vmm=${VMM:-./vmm}
N=${FORK_PAGES:-512}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. "$(dirname "$0")/counting.sh"
accel=$(counting_accels | head -n1)
[ -n "$accel" ] || { echo "fault.sh: no accelerator here counts guest instructions: no fault figures" >&2; exit 0; }
echo "fault.sh: guest instructions counted on $accel"

# The instructions of the command on line $1 of the last run.
at() { sed -n "s/^vmm: profile [^:]*:$1 [a-z_]*: [0-9]* exits, \([0-9-]*\) guest instructions$/\1/p" "$dir/out"; }

cat > "$dir/fault.vmm" <<SCENARIO
vm
spawn A
A: m = mmap 1M
A: touch \$m write
A: touch \$m write
A: touch \$m+4K write
A: touch \$m+8K read
a = alloc_pages count=$N
free_pages \$a
z = alloc_pages count=$N gfp=GFP_KERNEL|__GFP_ZERO
free_pages \$z
p = alloc_pages count=$N
fork A -> B
A: touch \$m write
SCENARIO
"$vmm" run --accel "$accel" --profile "$dir/fault.vmm" > "$dir/out"
base=$(at 5)
write=$(( $(at 6) - base ))
read=$(( $(at 7) - base ))
clear=$(( ($(at 10) - $(at 12)) / N ))
cow=$(( $(at 14) - base ))

# fork and exit with N resident pages against the same VMA with one: only
# the resident pages differ.  The page allocator's state differs a little
# too (its per-CPU refills grow with a run of allocations), which is why N
# is large: that difference is a few hundred instructions in all.
for populate in 0 1; do
	flags=MAP_PRIVATE\|MAP_ANONYMOUS
	[ "$populate" = 1 ] && flags="$flags|MAP_POPULATE"
	printf 'vm\nspawn A\nA: m = mmap %d flags=%s\nA: touch $m write\nfork A -> B\nB: exit\n' \
		$((N * 4096)) "$flags" > "$dir/fork.vmm"
	"$vmm" run --accel "$accel" --profile "$dir/fork.vmm" > "$dir/out"
	eval "fork$populate=$(at 5) exit$populate=$(at 6)"
done

# File faults: pages already in the page cache (fill=), so no zeroing is measured.
cat > "$dir/file.vmm" <<SCENARIO
vm
file "/bench" size=64K fill=0x11
spawn A
A: fd = open "/bench" flags=O_RDWR
A: m = mmap 64K fd=\$fd flags=MAP_SHARED
A: touch \$m write
A: touch \$m write
A: touch \$m+4K read
A: touch \$m+4K write
A: touch \$m+8K write
SCENARIO
"$vmm" run --profile "$dir/file.vmm" > "$dir/out"
fbase=$(at 7)
pcread=$(( $(at 8) - fbase ))
sfwrite=$(( $(at 9) - fbase ))
sffirst=$(( $(at 10) - fbase ))

cat <<FIGURES
bench: fault.anon_write $write instr
bench: fault.zero_page_read $read instr
bench: fault.clear_page $clear instr
bench: fault.anon_write_nozero $(( write - clear )) instr
bench: fault.cow_copy $cow instr
bench: fork.per_page $(( (fork1 - fork0) / (N - 1) )) instr/page
bench: exit.per_page $(( (exit1 - exit0) / (N - 1) )) instr/page
bench: exit.base $exit0 instr
bench: fault.pagecache_read $pcread instr
bench: fault.shared_file_write $sfwrite instr
bench: fault.shared_file_first_write $sffirst instr
FIGURES
