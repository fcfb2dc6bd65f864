/* SPDX-License-Identifier: MIT */
/*
 * The guest's address map, shared by host and guest.
 *
 * Virtual addresses follow Linux on x86-64 with 4-level paging.  Physical
 * placement of what the host puts in guest RAM (boot page tables, device
 * tree, mailbox) is the host's choice; the guest learns it from the device
 * tree and never from these constants, which is why only the host-side
 * placement lives under VMM_HOST_*.
 */
#ifndef SHARED_LAYOUT_H
#define SHARED_LAYOUT_H

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PMD_SHIFT		21
#define PUD_SHIFT		30
#define PGDIR_SHIFT		39
#define PTRS_PER_TABLE		512

#define PAGE_OFFSET		0xffff888000000000UL	/* direct map of all RAM */
#define VMALLOC_START		0xffffc90000000000UL
#define VMALLOC_END		0xffffe8ffffffffffUL
#define VMEMMAP_START		0xffffea0000000000UL
#define __START_KERNEL_map	0xffffffff80000000UL	/* kernel image */
#define TASK_SIZE_MAX		0x00007ffffffff000UL	/* user space ends below */
#define KERNEL_HALF_FIRST_PGD	256			/* PML4 slots 256..511 */

/* Where the host places its own things in guest-physical memory. */
#define VMM_HOST_BOOT_PGT	0x1000UL	/* PML4, PDPT, PD: 3 pages */
#define VMM_HOST_BOOT_PGT_SIZE	0x3000UL
#define VMM_HOST_FDT		0x10000UL
#define VMM_HOST_FDT_MAX	0x10000UL
#define VMM_HOST_MAILBOX	0x20000UL
#define VMM_BIOS_AREA		0x9f000UL	/* EBDA and BIOS, up to 1 MiB: reserved */
#define VMM_HOST_LOW_END	0x100000UL	/* the kernel image loads above */

/* The boot page tables map this much RAM at PAGE_OFFSET and __START_KERNEL_map. */
#define VMM_BOOT_MAPPED		(1UL << 30)

#endif
