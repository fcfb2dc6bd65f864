// SPDX-License-Identifier: MIT
/*
 * The page allocator's alloc+free pair, natively (the guest's code built
 * as host C).
 * One 64 MiB machine (zones as in a 64 MiB guest: DMA 16M, DMA32 to 48M,
 * Normal above) serves every case; each case leaves the allocator as it
 * found it.  ".pcp" goes through the per-CPU lists, ".buddy" has them
 * disabled (zone_pcp_disable), so every pair splits and merges.
 */
#include <stdlib.h>
#include <sys/mman.h>

#include <linux/memblock.h>
#include <linux/mm.h>

#include "bench.h"

#define PHYS_SIZE	(64UL << 20)

static void machine_init(void)
{
	static const unsigned long zone_ends[MAX_NR_ZONES] = { 4096, 12288, ~0UL };
	void *mem;

	if (native_phys_base)
		return;
	mem = mmap(NULL, PHYS_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		abort();
	native_phys_base = mem;
	memblock_add(0, PHYS_SIZE);
	memblock_reserve(0, SZ_1M);
	memblock_reserve(SZ_1M, 2 * SZ_1M);
	free_area_init(zone_ends);
	memblock_free_all();
}

static void pcp_on(void)
{
	struct zone *zone;

	machine_init();
	for_each_zone(zone)
		zone_pcp_enable(zone);
}

static void pcp_off(void)
{
	struct zone *zone;

	machine_init();
	for_each_zone(zone)
		zone_pcp_disable(zone);
}

static void alloc_free(uint64_t iters, unsigned int order)
{
	struct page *page;

	while (iters--) {
		page = alloc_pages(GFP_KERNEL, order);
		bench_keep(page);
		__free_pages(page, order);
	}
}

static void run_order0(uint64_t iters)
{
	alloc_free(iters, 0);
}

static void run_order3(uint64_t iters)
{
	alloc_free(iters, 3);
}

static void run_order9(uint64_t iters)
{
	alloc_free(iters, 9);
}

static const struct bench_case cases[] = {
	{ "buddy.order0.pcp.alloc_free", 2000000, pcp_on, run_order0, NULL },
	{ "buddy.order0.buddy.alloc_free", 1000000, pcp_off, run_order0, pcp_on },
	{ "buddy.order3.pcp.alloc_free", 2000000, pcp_on, run_order3, NULL },
	{ "buddy.order3.buddy.alloc_free", 1000000, pcp_off, run_order3, pcp_on },
	{ "buddy.order9.alloc_free", 1000000, pcp_on, run_order9, NULL },
};

BENCH_MAIN(cases)
