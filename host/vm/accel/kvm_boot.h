/* SPDX-License-Identifier: MIT */
#ifndef HOST_ACCEL_KVM_BOOT_H
#define HOST_ACCEL_KVM_BOOT_H

#include <stddef.h>
#include <stdint.h>

#include "vm/guest_ram.h"

/*
 * Put the vCPU straight into 64-bit mode at `entry` with RDI = fdt_gpa:
 * boot page tables at VMM_HOST_BOOT_PGT mapping the first GiB at both
 * PAGE_OFFSET and __START_KERNEL_map, Linux's selectors (CS 0x10, DS 0x18).
 */
int kvm_boot_long_mode(int vcpu_fd, struct guest_ram *ram, uint64_t entry, uint64_t fdt_gpa,
		       char *err, size_t errlen);

#endif
