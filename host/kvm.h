/* SPDX-License-Identifier: MIT */
/*
 * Thin helpers over the KVM API: a VM with one RAM slot and one vCPU.
 * Every function returns 0 or -1 with a message in the caller's buffer;
 * none of them exits the process.
 */
#ifndef HOST_KVM_H
#define HOST_KVM_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>

#include "guest_ram.h"

struct vm {
	int kvm_fd;
	int vm_fd;
	int vcpu_fd;
	int stats_fd;			/* vCPU binary stats, or -1 */
	struct kvm_run *run;
	size_t run_size;
	struct guest_ram ram;
	bool pvm;			/* served by kvm_pvm (no VMX/EPT, emulated) */
};

/* Open /dev/kvm.  Returns 0, -1 on error, or 1 if KVM is unavailable here. */
int kvm_open(struct vm *vm, char *err, size_t errlen);
int vm_create(struct vm *vm, uint64_t ram_size, char *err, size_t errlen);
void vm_destroy(struct vm *vm);

/* A named counter from the vCPU's binary stats fd; -1 if absent. */
int64_t vcpu_stat(const struct vm *vm, const char *name);

/* Which kind of KVM we got: "pvm (shadow paging, emulated)", "vmx+ept", ... */
const char *kvm_flavour(const struct vm *vm);

#endif
