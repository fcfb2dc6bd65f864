/* SPDX-License-Identifier: MIT */
/*
 * memblock: the boot-time physical memory map, before the buddy allocator.
 *
 * Two sorted arrays of disjoint regions: memory (RAM the firmware, here the
 * host, reported) and reserved (what is in use: kernel image, device tree,
 * page tables, mem_map).  Free = memory minus reserved.  Adjacent or
 * overlapping regions are merged as they are added.  The arrays are static
 * and bounded; running out is a boot-time bug and panics.
 *
 * memblock never zeroes what it hands out: the host gives the guest zeroed
 * RAM and nothing has written to free memory before the buddy allocator
 * owns it, so early page tables and mem_map come out zero anyway, and
 * zeroing would cost emulated instructions for nothing.
 *
 * Once memblock_free_all() has given the free ranges to the buddy
 * allocator, memblock must not allocate again (it would panic).
 */
#ifndef _LINUX_MEMBLOCK_H
#define _LINUX_MEMBLOCK_H

#include <linux/types.h>

#define INIT_MEMBLOCK_REGIONS		128
#define MEMBLOCK_ALLOC_ANYWHERE		(~(phys_addr_t)0)
#define MEMBLOCK_DEFAULT_ALIGN		64	/* align 0 means a cache line */

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
};

struct memblock_type {
	unsigned long cnt;
	unsigned long max;
	phys_addr_t total_size;
	struct memblock_region *regions;
	const char *name;
};

struct memblock {
	phys_addr_t current_limit;	/* allocations end below this */
	bool released;			/* memblock_free_all() has run */
	struct memblock_type memory;
	struct memblock_type reserved;
};

extern struct memblock memblock;

void memblock_add(phys_addr_t base, phys_addr_t size);
void memblock_reserve(phys_addr_t base, phys_addr_t size);

/*
 * Finds size bytes aligned to align (a power of two) in free memory,
 * highest address first, below the current limit and above the first
 * page, and reserves them.  Returns the physical address, 0 if none fits.
 */
phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align);
/* The same through the direct map; NULL if none fits.  Not zeroed. */
void *memblock_alloc_raw(phys_addr_t size, phys_addr_t align);
void memblock_set_current_limit(phys_addr_t limit);

phys_addr_t memblock_start_of_DRAM(void);
phys_addr_t memblock_end_of_DRAM(void);
phys_addr_t memblock_phys_mem_size(void);
phys_addr_t memblock_reserved_size(void);

/*
 * Free ranges in ascending order.  *idx is the iterator state: start at
 * 0; it is ~0 after the last range.
 */
void __next_free_mem_range(u64 *idx, phys_addr_t *out_start, phys_addr_t *out_end);

#define for_each_free_mem_range(i, p_start, p_end)			\
	for (i = 0, __next_free_mem_range(&i, p_start, p_end);		\
	     i != ~(u64)0;						\
	     __next_free_mem_range(&i, p_start, p_end))

#define for_each_memblock_type_region(type, rgn)			\
	for (rgn = (type)->regions; rgn < (type)->regions + (type)->cnt; rgn++)
#define for_each_mem_region(rgn)					\
	for_each_memblock_type_region(&memblock.memory, rgn)
#define for_each_reserved_mem_region(rgn)				\
	for_each_memblock_type_region(&memblock.reserved, rgn)

/* Gives every free range to the buddy allocator (guest/mm/mm_init.c). */
void memblock_free_all(void);

#endif
