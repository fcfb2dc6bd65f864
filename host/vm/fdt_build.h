/* SPDX-License-Identifier: MIT */
#ifndef HOST_FDT_BUILD_H
#define HOST_FDT_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "machine.h"

struct fdt_region {
	uint64_t base, size;
};

struct fdt_layout {
	uint64_t ram_size;
	struct fdt_region mailbox;
	const struct fdt_region *reserved;	/* memory reservation block */
	unsigned nreserved;
};

/*
 * Build the guest's device tree into buf (size bytes) with libfdt:
 * /memory@0, /chosen (bootargs, vmm,seed, vmm,mailbox) and the reservation
 * block (shared/fdt.h lists the names).  Returns 0 or -1 with err set.
 */
int fdt_build(void *buf, size_t size, const struct machine *m, const struct fdt_layout *l,
	      char *err, size_t errlen);

#endif
