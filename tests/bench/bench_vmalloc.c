// SPDX-License-Identifier: MIT
/*
 * vmalloc+vfree natively (the guest's code built as host C), with 15,000
 * areas alive as in Linux's long_busy_list_alloc_test, so that a search
 * along the areas would show.  The figure includes the page allocator,
 * the slab allocations for the bookkeeping and the native seam's mapping
 * (a three-level table, tests/native/seam.c).
 */
#include <stdlib.h>
#include <sys/mman.h>

#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "bench.h"

#define PHYS_SIZE	(128UL << 20)
#define NR_LIVE		15000
#define HOLE_EVERY	11	/* one area in 11 is freed again ... */
#define NR_BUSY		(NR_LIVE / (HOLE_EVERY - 1) * HOLE_EVERY)	/* ... leaving NR_LIVE */

static void *busy[NR_BUSY];

/*
 * NR_LIVE areas stay alive, and NR_LIVE / 10 holes between them, so that
 * the free tree has holes to skip as well.
 */
static void machine_init(void)
{
	static const unsigned long zone_ends[MAX_NR_ZONES] = { 4096, 12288, ~0UL };
	unsigned int i;
	void *mem;

	if (native_phys_base)
		return;
	mem = mmap(NULL, PHYS_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		abort();
	native_phys_base = mem;
	memblock_add(0, PHYS_SIZE);
	memblock_reserve(0, 3 * SZ_1M);
	free_area_init(zone_ends);
	memblock_free_all();
	kmem_cache_init();
	vmalloc_init();
	for (i = 0; i < NR_BUSY; i++)
		busy[i] = vmalloc(PAGE_SIZE);
	for (i = 0; i < NR_BUSY; i += HOLE_EVERY)
		vfree(busy[i]);
}

static void alloc_free(uint64_t iters, unsigned long size)
{
	void *p;

	while (iters--) {
		p = vmalloc(size);
		bench_keep(p);
		vfree(p);
	}
}

static void run_4k(uint64_t iters)
{
	alloc_free(iters, PAGE_SIZE);
}

static void run_64k(uint64_t iters)
{
	alloc_free(iters, 16 * PAGE_SIZE);
}

static const struct bench_case cases[] = {
	{ "vmalloc.4k.alloc_free", 200000, machine_init, run_4k, NULL },
	{ "vmalloc.64k.alloc_free", 100000, machine_init, run_64k, NULL },
};

BENCH_MAIN(cases)
