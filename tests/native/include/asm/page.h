/* SPDX-License-Identifier: MIT */
/*
 * The native half of the physical-address seam (see the guest's
 * asm/page.h).  Guest-physical address pa lives at native_phys_base + pa, a
 * buffer that the unit test or benchmark allocates and sizes.
 */
#ifndef _ASM_X86_PAGE_H
#define _ASM_X86_PAGE_H

#include <linux/types.h>
#include "shared/layout.h"

#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PFN_PHYS(pfn)	((phys_addr_t)(pfn) << PAGE_SHIFT)
#define PHYS_PFN(pa)	((unsigned long)((pa) >> PAGE_SHIFT))

extern unsigned char *native_phys_base;

static inline void *__va(phys_addr_t pa)
{
	return native_phys_base + pa;
}

static inline phys_addr_t __pa(const void *va)
{
	return (phys_addr_t)((const unsigned char *)va - native_phys_base);
}

#endif
