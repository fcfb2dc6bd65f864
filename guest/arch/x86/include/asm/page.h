/* SPDX-License-Identifier: MIT */
/*
 * Physical <-> virtual over the direct map.  This header is one half of the
 * seam between the guest build and the native build of the mm code: the
 * native build finds tests/native/include/asm/page.h first, where "physical
 * memory" is a buffer in the test process.
 */
#ifndef _ASM_X86_PAGE_H
#define _ASM_X86_PAGE_H

#include <linux/types.h>
#include "shared/layout.h"

#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PFN_PHYS(pfn)	((phys_addr_t)(pfn) << PAGE_SHIFT)
#define PHYS_PFN(pa)	((unsigned long)((pa) >> PAGE_SHIFT))

static inline void *__va(phys_addr_t pa)
{
	return (void *)(pa + PAGE_OFFSET);
}

/* Valid for direct-map and kernel-image addresses alike. */
static inline phys_addr_t __pa(const void *va)
{
	unsigned long x = (unsigned long)va;

	if (x >= __START_KERNEL_map)
		return x - __START_KERNEL_map;
	return x - PAGE_OFFSET;
}

#endif
