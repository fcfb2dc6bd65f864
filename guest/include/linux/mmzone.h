/* SPDX-License-Identifier: MIT */
/*
 * Zones, free areas and the per-CPU page lists: one node, one CPU.
 *
 * Orders run 0..MAX_PAGE_ORDER inclusive, so there are NR_PAGE_ORDERS
 * (11) free lists and the largest block is 1024 pages (4 MiB).  Linux
 * before 6.4 called the list count MAX_ORDER, an exclusive bound: loops
 * here run "order < NR_PAGE_ORDERS" or "order <= MAX_PAGE_ORDER".
 */
#ifndef _LINUX_MMZONE_H
#define _LINUX_MMZONE_H

#include <linux/list.h>
#include <linux/types.h>
#include "shared/layout.h"

#define MAX_PAGE_ORDER		10
#define NR_PAGE_ORDERS		(MAX_PAGE_ORDER + 1)
#define MAX_ORDER_NR_PAGES	(1UL << MAX_PAGE_ORDER)
#define PAGE_ALLOC_COSTLY_ORDER	3
#define NR_PCP_LISTS		(PAGE_ALLOC_COSTLY_ORDER + 1)

enum zone_type {
	ZONE_DMA,	/* below 16 MiB by default */
	ZONE_DMA32,	/* below 4 GiB by default */
	ZONE_NORMAL,
	MAX_NR_ZONES
};

/* Default zone ends (x86-64), as pfns, for free_area_init(). */
#define MAX_DMA_PFN	((16UL << 20) >> PAGE_SHIFT)
#define MAX_DMA32_PFN	((4UL << 30) >> PAGE_SHIFT)

enum zone_watermarks {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	WMARK_PROMO,
	NR_WMARK
};

struct free_area {
	struct list_head free_list;	/* head pages of free blocks */
	unsigned long nr_free;		/* blocks (not pages) on the list */
};

/*
 * Free pages cached for the one CPU, one list per order up to
 * PAGE_ALLOC_COSTLY_ORDER.  count is in pages; freeing past high returns
 * pages to the buddy lists, an empty list is refilled with batch pages'
 * worth at once.  Pages here are not counted in the zone's free_pages
 * (Linux's NR_FREE_PAGES) nor in free_area[].nr_free.
 */
struct per_cpu_pages {
	int count;
	int high;
	int batch;
	unsigned int alloc_factor;	/* order-0 refills double 2^this times while nothing is freed */
	unsigned int nr_orders;	/* orders below use the lists; 0: off, all go to the buddy */
	struct list_head lists[NR_PCP_LISTS];
};

struct zone {
	unsigned long _watermark[NR_WMARK];
	unsigned long free_pages;	/* in the free_area lists */
	struct per_cpu_pages pcp;
	/*
	 * spanned: zone_start_pfn .. end, holes included; present: RAM in
	 * that span; managed: pages handed to the buddy allocator (present
	 * less what memblock kept).
	 */
	unsigned long zone_start_pfn;
	unsigned long spanned_pages;
	unsigned long present_pages;
	unsigned long managed_pages;
	const char *name;
	struct free_area free_area[NR_PAGE_ORDERS];
};

struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	/*
	 * node_zonelists[z]: the populated zones a request whose highest
	 * zone is z may use, best first (NORMAL -> DMA32 -> DMA), NULL-ended.
	 */
	struct zone *node_zonelists[MAX_NR_ZONES][MAX_NR_ZONES + 1];
	/* zone_end_pfn[z]: where zone z ends on this machine, holes or not. */
	unsigned long zone_end_pfn[MAX_NR_ZONES];
	unsigned long node_start_pfn;
	unsigned long node_spanned_pages;
	unsigned long node_present_pages;
	int node_id;
};

extern struct pglist_data contig_page_data;
#define NODE_DATA(nid)	(&contig_page_data)

#define for_each_zone(zone)						\
	for (zone = contig_page_data.node_zones;			\
	     zone < contig_page_data.node_zones + MAX_NR_ZONES; zone++)

static inline bool populated_zone(const struct zone *zone)
{
	return zone->present_pages != 0;
}

static inline unsigned long zone_end_pfn(const struct zone *zone)
{
	return zone->zone_start_pfn + zone->spanned_pages;
}

static inline enum zone_type zone_idx(const struct zone *zone)
{
	return (enum zone_type)(zone - contig_page_data.node_zones);
}

#define min_wmark_pages(z)	((z)->_watermark[WMARK_MIN])
#define low_wmark_pages(z)	((z)->_watermark[WMARK_LOW])
#define high_wmark_pages(z)	((z)->_watermark[WMARK_HIGH])
#define promo_wmark_pages(z)	((z)->_watermark[WMARK_PROMO])

/*
 * Zone sizing, mem_map, free lists (guest/mm/mm_init.c).  max_zone_pfn[z]
 * is the pfn where zone z ends (ZONE_NORMAL: anything at or above the end
 * of RAM, e.g. ~0UL); the array must not decrease.
 */
void free_area_init(const unsigned long *max_zone_pfn);

/* Watermarks, min_free_kbytes and pcp sizes from managed page counts. */
extern int min_free_kbytes;
unsigned long calculate_min_free_kbytes(unsigned long lowmem_kbytes);
void init_per_zone_wmark_min(void);

/*
 * Would an order-sized allocation leave more than mark free pages?
 * alloc_flags: ALLOC_* (guest/mm/internal.h), the reserves it may use.
 */
bool zone_watermark_ok(const struct zone *z, unsigned int order, unsigned long mark,
		       unsigned int alloc_flags);

/* Returns every page on the per-CPU lists of zone (NULL: all) to the buddy. */
void drain_all_pages(struct zone *zone);
/* Per-CPU lists off (drained) or back on, as in Linux's memory hotplug. */
void zone_pcp_disable(struct zone *zone);
void zone_pcp_enable(struct zone *zone);

#endif
