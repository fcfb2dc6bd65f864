# Sourced by boot.sh and fault.sh: which accelerators count guest
# instructions exactly.  vmm itself says: `vmm run --profile` notes a
# command's "N guest instructions" where the accelerator counts them
# (kvm_pvm's insn_emulation, TCG's -icount) and "(NAME counts no
# instructions)" where it does not (hardware KVM).

# The accelerators this machine can run a guest on (`vmm info`).
available_accels() { "$vmm" info | awk '$2 == "available" { print $1 }'; }

# Whether accelerator $1 counts guest instructions, asked of vmm with a one-command run.
counts_instructions() {
	printf 'vm\necho 1\n' > "$dir/probe.vmm"
	"$vmm" run --accel "$1" --profile "$dir/probe.vmm" 2>&1 | grep -q ' guest instructions$'
}

# The available accelerators that count, one per line; says plainly which do not.
counting_accels() {
	local a
	for a in $(available_accels); do
		if counts_instructions "$a"; then
			echo "$a"
		else
			echo "$(basename "$0"): $a counts no guest instructions here (only kvm_pvm and TCG's -icount do): no instruction figures from it" >&2
		fi
	done
}
