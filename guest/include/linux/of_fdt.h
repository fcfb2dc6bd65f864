/* SPDX-License-Identifier: MIT */
/*
 * What the kernel learned from the device tree at boot (kernel/fdt.c).
 * The host is the only source of truth for RAM, reservations and the
 * channel; the kernel asks nothing of the hardware.
 */
#ifndef _LINUX_OF_FDT_H
#define _LINUX_OF_FDT_H

#include <linux/types.h>

#define MAX_BOOT_RANGES 16

struct boot_range {
	phys_addr_t base;
	u64 size;
};

struct boot_info {
	struct boot_range ram[MAX_BOOT_RANGES];
	unsigned nr_ram;
	struct boot_range reserved[MAX_BOOT_RANGES];
	unsigned nr_reserved;
	const char *bootargs;		/* points into the device tree */
	u64 seed;
	phys_addr_t zone_dma_end;	/* vmm,zones: Linux's 16 MiB and 4 GiB by default */
	phys_addr_t zone_dma32_end;
	phys_addr_t fdt_pa;
	u64 fdt_size;
};

extern struct boot_info boot_info;

void early_init_dt_scan(phys_addr_t fdt_pa);

#endif
