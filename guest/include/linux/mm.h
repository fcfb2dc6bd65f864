/* SPDX-License-Identifier: MIT */
/*
 * The physical memory manager's interface: struct page <-> pfn <-> address,
 * reference counts, the page allocator's checks and statistics, and what
 * the host reads to verify it.
 *
 * Boot order (guest/mm/mm_init.c):
 *   memblock_add() each RAM range, memblock_reserve() what is in use,
 *   memblock_phys_alloc() for early page tables,
 *   free_area_init(max_zone_pfn)   zones, mem_map (via memblock),
 *   memblock_free_all()            free ranges -> buddy, watermarks;
 *   fail_page_alloc_configure() whenever the fault plan says so.
 */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#include <asm/page.h>
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/mm_types.h>
#include <linux/mmzone.h>
#include <linux/page-flags.h>

extern struct page *mem_map;	/* struct page of pfn 0; through __va() */
extern unsigned long max_pfn;	/* mem_map covers pfns 0 .. max_pfn - 1 */

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - mem_map);
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return mem_map + pfn;
}

static inline bool pfn_valid(unsigned long pfn)
{
	return pfn < max_pfn;
}

static inline phys_addr_t page_to_phys(const struct page *page)
{
	return PFN_PHYS(page_to_pfn(page));
}

static inline void *page_address(const struct page *page)
{
	return __va(page_to_phys(page));
}

static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(PHYS_PFN(__pa(addr)));
}

/* Zones are contiguous pfn ranges in order, so the zone is a count of ends passed. */
static inline enum zone_type pfn_zonenum(unsigned long pfn)
{
	const unsigned long *end = contig_page_data.zone_end_pfn;

	return (enum zone_type)((pfn >= end[ZONE_DMA]) + (pfn >= end[ZONE_DMA32]));
}

static inline enum zone_type page_zonenum(const struct page *page)
{
	return pfn_zonenum(page_to_pfn(page));
}

static inline struct zone *page_zone(const struct page *page)
{
	return &contig_page_data.node_zones[page_zonenum(page)];
}

static inline int page_count(const struct page *page)
{
	return page->_refcount;
}

static inline void set_page_count(struct page *page, int v)
{
	page->_refcount = v;
}

static inline void get_page(struct page *page)
{
	page->_refcount++;
}

/* Number of page-table mappings (Linux: atomic_read(&_mapcount) + 1). */
static inline int page_mapcount(const struct page *page)
{
	return page->_mapcount;
}

/*
 * Bad page state: prints the page and calls report_bad_page(), which the
 * guest forwards to the host and the native seam records for tests.  The
 * page is then left alone: never merged, never handed out again.
 */
void bad_page(struct page *page, const char *reason);
void report_bad_page(unsigned long pfn, const char *reason);

/* Also check every tail page of a block on alloc and free (Linux: check_pages). */
extern bool check_pages_enabled;

struct page_alloc_stats {
	unsigned long alloc_fail;	/* NULL returns, all causes */
	unsigned long alloc_injected;	/* of which should_fail_alloc_page() */
	unsigned long bad_pages;	/* bad_page() reports */
};
extern struct page_alloc_stats page_alloc_stats;

/* The page allocator's fault-injection site and the plan's entry point. */
extern struct fault_attr fail_page_alloc;
void fail_page_alloc_configure(const struct fault_config *cfg);

/* Where mem_map lives, for the host's own reading of struct pages. */
void mem_map_extent(phys_addr_t *phys, size_t *size);

/*
 * Calls fn for every free block: those on the buddy lists (pcp false) and
 * those cached on the per-CPU lists (pcp true), zone by zone.
 */
typedef void (*free_block_fn)(void *arg, const struct zone *zone, unsigned long pfn,
			      unsigned int order, bool pcp);
void walk_free_blocks(free_block_fn fn, void *arg);

/*
 * /proc/buddyinfo and /proc/zoneinfo text (guest/mm/vmstat.c): returns
 * the length written, or -1 if it did not fit (buf then holds a
 * NUL-terminated prefix).
 */
int buddyinfo_show(char *buf, size_t size);
int zoneinfo_show(char *buf, size_t size);

#endif
