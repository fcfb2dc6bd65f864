// SPDX-License-Identifier: MIT
/* See native/mm_machine.h.  Kept apart from code that includes linux/mman.h: <sys/mman.h> clashes with it. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <linux/memblock.h>
#include <linux/mm.h>
#include <native/mm_machine.h>

static size_t machine_bytes;

void native_mm_machine_init(size_t bytes)
{
	static const unsigned long zone_ends[MAX_NR_ZONES] = { 4096, 12288, ~0UL };
	void *mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (mem == MAP_FAILED) {
		perror("native_mm_machine_init");
		abort();
	}
	native_phys_base = mem;
	machine_bytes = bytes;
	memblock_add(0, bytes);
	memblock_reserve(0, 3 * SZ_1M);
	free_area_init(zone_ends);
	memblock_free_all();
}

void native_mm_machine_exit(void)
{
	munmap(native_phys_base, machine_bytes);
	native_phys_base = NULL;
}

unsigned long native_free_pages(void)
{
	struct zone *zone;
	unsigned long n = 0;

	for_each_zone(zone)
		n += zone->free_pages + zone->pcp.count;
	return n;
}
