// SPDX-License-Identifier: MIT
/*
 * From memblock to the buddy allocator: zone sizes, the struct page array,
 * and the hand-over of free memory.
 *
 * Boot touches as few struct pages as it can, because every guest
 * instruction is emulated: mem_map comes out of zeroed RAM, and an
 * all-zero struct page is already a valid "nothing here" page
 * (linux/mm_types.h).  The writes left are one per free block handed
 * over (the largest aligned blocks, so a few dozen for a small guest) and
 * one per reserved page (PG_reserved, refcount 1).
 */
#include <linux/kernel.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/printk.h>

#include "internal.h"

struct pglist_data contig_page_data;
struct page *mem_map;
unsigned long max_pfn;

static const char *const zone_names[MAX_NR_ZONES] = {
	[ZONE_DMA] = "DMA",
	[ZONE_DMA32] = "DMA32",
	[ZONE_NORMAL] = "Normal",
};

#define PFN_UP(x)	PHYS_PFN((x) + PAGE_SIZE - 1)
#define PFN_DOWN(x)	PHYS_PFN(x)

/* Whole pages of RAM in [start_pfn, end_pfn). */
static unsigned long present_pages_in_range(unsigned long start_pfn, unsigned long end_pfn)
{
	struct memblock_region *r;
	unsigned long s, e, n = 0;

	for_each_mem_region(r) {
		s = max(PFN_UP(r->base), start_pfn);
		e = min(PFN_DOWN(r->base + r->size), end_pfn);
		if (s < e)
			n += e - s;
	}
	return n;
}

/* One struct page per pfn below max_pfn, holes included (a flat mem_map). */
static void alloc_node_mem_map(void)
{
	phys_addr_t size = ALIGN((phys_addr_t)max_pfn * sizeof(struct page), PAGE_SIZE);

	mem_map = memblock_alloc_raw(size, PAGE_SIZE);
	if (!mem_map)
		panic("free_area_init: no room for mem_map (%llu bytes)", (unsigned long long)size);
}

void mem_map_extent(phys_addr_t *phys, size_t *size)
{
	*phys = __pa(mem_map);
	*size = max_pfn * sizeof(struct page);
}

static void zone_init(struct zone *zone, enum zone_type z, unsigned long start_pfn,
		      unsigned long end_pfn)
{
	unsigned int i;

	zone->name = zone_names[z];
	if (start_pfn < end_pfn) {
		zone->zone_start_pfn = start_pfn;
		zone->spanned_pages = end_pfn - start_pfn;
		zone->present_pages = present_pages_in_range(start_pfn, end_pfn);
	}
	for (i = 0; i < NR_PAGE_ORDERS; i++)
		INIT_LIST_HEAD(&zone->free_area[i].free_list);
	for (i = 0; i < NR_PCP_LISTS; i++)
		INIT_LIST_HEAD(&zone->pcp.lists[i]);
	zone->pcp.nr_orders = NR_PCP_LISTS;
}

/* node_zonelists[z]: populated zones z, z - 1, ..., DMA. */
static void build_zonelists(struct pglist_data *pgdat)
{
	struct zone **zl;
	int z, k;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		zl = pgdat->node_zonelists[z];
		for (k = z; k >= 0; k--)
			if (populated_zone(&pgdat->node_zones[k]))
				*zl++ = &pgdat->node_zones[k];
		*zl = NULL;
	}
}

void free_area_init(const unsigned long *max_zone_pfn)
{
	struct pglist_data *pgdat = &contig_page_data;
	unsigned long start_pfn = PFN_UP(memblock_start_of_DRAM());
	unsigned long lo = 0, hi;
	int z;

	max_pfn = PFN_DOWN(memblock_end_of_DRAM());
	if (start_pfn >= max_pfn)
		panic("free_area_init: no memory (memblock_add first)");
	alloc_node_mem_map();
	pgdat->node_start_pfn = start_pfn;
	pgdat->node_spanned_pages = max_pfn - start_pfn;
	for (z = 0; z < MAX_NR_ZONES; z++) {
		/* A decreasing boundary would make pfn_zonenum() lie: clamp it. */
		hi = max(lo, max_zone_pfn[z]);
		pgdat->zone_end_pfn[z] = hi;
		zone_init(&pgdat->node_zones[z], z, max(lo, start_pfn), min(hi, max_pfn));
		pgdat->node_present_pages += pgdat->node_zones[z].present_pages;
		lo = hi;
	}
	build_zonelists(pgdat);
}

/*
 * Linux marks reserved frames PG_reserved with a reference held; so do
 * we.  The struct pages of a region are consecutive, so this is a run of
 * stores, unrolled: most reserved frames are mem_map's own (a 64th of
 * RAM), and each instruction of this loop is emulated.
 */
static void reserve_page_run(struct page *page, unsigned long nr)
{
	struct page *end = page + nr;

#pragma GCC unroll 16
	for (; page < end; page++) {
		page->flags |= 1UL << PG_reserved;
		page->_refcount = 1;
	}
}

static void reserve_bootmem_regions(void)
{
	struct memblock_region *r;
	unsigned long start, end;

	for_each_reserved_mem_region(r) {
		start = PFN_DOWN(r->base);
		end = min(PFN_UP(r->base + r->size), max_pfn);
		if (start < end)
			reserve_page_run(pfn_to_page(start), end - start);
	}
}

/*
 * [pfn, end) within one zone, as the largest naturally aligned blocks, the
 * run of MAX_PAGE_ORDER blocks in between handed over in one pass.  No
 * block needs merging: two equal neighbours that were buddies would have
 * formed a larger block, and separate free ranges are at least a reserved
 * page apart.  So free_block_run() links them without looking at buddies.
 */
static void free_range_to_zone(struct zone *zone, unsigned long pfn, unsigned long end)
{
	unsigned int order, fit;
	unsigned long nr;

	while (pfn < end) {
		order = pfn ? min(__builtin_ctzl(pfn), MAX_PAGE_ORDER) : MAX_PAGE_ORDER;
		fit = sizeof(long) * 8 - 1 - __builtin_clzl(end - pfn);
		order = min(order, fit);
		nr = order == MAX_PAGE_ORDER ? (end - pfn) >> MAX_PAGE_ORDER : 1;
		zone->managed_pages += nr << order;
		free_block_run(zone, pfn_to_page(pfn), nr, order);
		pfn += nr << order;
	}
}

static void free_range(unsigned long start_pfn, unsigned long end_pfn)
{
	struct zone *zone;
	unsigned long s, e;

	for_each_zone(zone) {
		s = max(start_pfn, zone->zone_start_pfn);
		e = min(end_pfn, zone_end_pfn(zone));
		if (s < e)
			free_range_to_zone(zone, s, e);
	}
}

void memblock_free_all(void)
{
	phys_addr_t start, end;
	u64 i;

	reserve_bootmem_regions();
	for_each_free_mem_range(i, &start, &end)
		free_range(PFN_UP(start), min(PFN_DOWN(end), max_pfn));
	memblock.released = true;
	init_per_zone_wmark_min();
}
