// SPDX-License-Identifier: MIT
/*
 * The buddy allocator: free memory as blocks of 2^order pages, order
 * 0..MAX_PAGE_ORDER, each naturally aligned (its first pfn is a multiple
 * of its size).  A block's buddy is the other half of the block twice its
 * size that holds it: pfn ^ (1 << order).  Allocation takes the smallest free block
 * that fits and splits it, putting the upper halves back ("expand"); free
 * merges a block with its buddy for as long as the buddy is free.
 *
 * In front of the buddy lists sits a per-CPU cache of small blocks (order
 * up to PAGE_ALLOC_COSTLY_ORDER): the common alloc/free pair is a list
 * pop and push there, refilled and drained in batches.
 *
 * Invariants:
 *   - a free block is on exactly one list: its zone's free_area[order]
 *     (head page has PG_buddy, private = order) or the zone's pcp list
 *     for its order (head page has no flag);
 *   - every other page of a free block (a tail) has flags 0, refcount 0
 *     and no mapping;
 *   - a block on the buddy lists never has its buddy, of the same order
 *     and zone, on the buddy lists too (they would have been merged);
 *   - zone->free_pages and free_area[o].nr_free count exactly the buddy
 *     lists, never the pcp lists;
 *   - pcp.count is the number of pages on the zone's pcp lists.
 *
 * There is one CPU and no interrupt handler allocates, so nothing here
 * takes a lock.
 */
#include <linux/fault-inject.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/string.h>

#include "internal.h"

int min_free_kbytes;
bool check_pages_enabled;
struct page_alloc_stats page_alloc_stats;
struct fault_attr fail_page_alloc = FAULT_ATTR_INITIALIZER("fail_page_alloc");

/* Linux's vm.watermark_scale_factor default: 0.1% of the zone. */
static const unsigned long watermark_scale_factor = 10;

/* ---- bad page state ------------------------------------------------------ */

void bad_page(struct page *page, const char *reason)
{
	unsigned long pfn = page_to_pfn(page);

	printk("BUG: Bad page state: pfn:%05lx\n", pfn);
	printk("page: refcount:%d mapcount:%d mapping:%lx pfn:0x%lx\n",
	       page_count(page), page_mapcount(page), (unsigned long)page->mapping, pfn);
	printk("flags: 0x%lx\n", page->flags);
	printk("page dumped because: %s\n", reason);
	page_alloc_stats.bad_pages++;
	report_bad_page(pfn, reason);
}

/*
 * A free page has none of flags, no mapping, no mapcount and refcount 0:
 * one test for all four, since the biased _mapcount makes "none" zero.
 */
static inline bool page_expected_state(const struct page *page, unsigned long flags)
{
	return !((page->flags & flags) | (unsigned long)page->mapping |
		 (unsigned int)page->_mapcount | (unsigned int)page->_refcount);
}

static const char *page_bad_reason(const struct page *page, unsigned long flags)
{
	if (page->flags & flags)
		return flags == PAGE_FLAGS_CHECK_AT_PREP ? "PAGE_FLAGS_CHECK_AT_PREP flag(s) set"
							 : "PAGE_FLAGS_CHECK_AT_FREE flag(s) set";
	if (page->_refcount)
		return "nonzero _refcount";
	if (page->mapping)
		return "non-NULL mapping";
	return "nonzero mapcount";
}

/* Returns true (and reports) if page is not in the expected free state. */
static noinline bool check_page(struct page *page, unsigned long flags)
{
	if (likely(page_expected_state(page, flags)))
		return false;
	bad_page(page, page_bad_reason(page, flags));
	return true;
}

/* ---- the buddy lists ------------------------------------------------------ */

static inline void add_to_free_list(struct page *page, struct zone *zone, unsigned int order)
{
	struct free_area *area = &zone->free_area[order];

	SetPageBuddy(page);
	page->private = order;
	list_add(&page->lru, &area->free_list);
	area->nr_free++;
	zone->free_pages += 1UL << order;
}

static inline void del_page_from_free_list(struct page *page, struct zone *zone,
					   unsigned int order)
{
	struct free_area *area = &zone->free_area[order];

	list_del(&page->lru);
	ClearPageBuddy(page);
	page->private = 0;
	area->nr_free--;
	zone->free_pages -= 1UL << order;
}

/*
 * Merging stops at the zone's edges: a zone boundary need not be aligned
 * to MAX_PAGE_ORDER, and a block must never absorb another zone's pages.
 * Pages in holes and reserved pages never carry PG_buddy, so they stop it
 * too.
 */
void free_one_page(struct zone *zone, struct page *page, unsigned long pfn, unsigned int order)
{
	unsigned long start = zone->zone_start_pfn, end = zone_end_pfn(zone);
	unsigned long buddy_pfn;
	struct page *buddy;

	while (order < MAX_PAGE_ORDER) {
		buddy_pfn = pfn ^ (1UL << order);
		if (buddy_pfn < start || buddy_pfn >= end)
			break;
		buddy = page + (buddy_pfn - pfn);
		if (!PageBuddy(buddy) || buddy->private != order)
			break;
		del_page_from_free_list(buddy, zone, order);
		page = page + ((buddy_pfn & pfn) - pfn);
		pfn &= buddy_pfn;
		order++;
	}
	add_to_free_list(page, zone, order);
}

/*
 * Boot's hand-over of nr consecutive free blocks of one order, from page
 * on: the free list ends up as nr free_one_page() calls in ascending
 * order would leave it (the last block first), but the blocks are linked
 * to each other in one pass and the counters added once.  The caller
 * knows that no block has a free buddy to merge with.  At 3 GiB boot hands
 * over 768 blocks of order 10, and each instruction is emulated.  nr may
 * be 1: then it is free_one_page() without the look at the buddy.
 */
void free_block_run(struct zone *zone, struct page *page, unsigned long nr, unsigned int order)
{
	struct free_area *area = &zone->free_area[order];
	struct list_head *head = &area->free_list, *first = head->next;
	unsigned long step = 1UL << order;
	struct page *p = page + (nr - 1) * step;

	head->next = &p->lru;
	p->lru.prev = head;
	for (; p != page; p -= step) {
		SetPageBuddy(p);
		p->private = order;
		p->lru.next = &(p - step)->lru;
		(p - step)->lru.prev = &p->lru;
	}
	SetPageBuddy(page);
	page->private = order;
	page->lru.next = first;
	first->prev = &page->lru;
	area->nr_free += nr;
	zone->free_pages += nr << order;
}

/* Splits an order-high block down to order low, freeing the upper halves. */
static inline void expand(struct zone *zone, struct page *page, unsigned int low,
			  unsigned int high)
{
	while (high > low) {
		high--;
		add_to_free_list(page + (1UL << high), zone, high);
	}
}

static struct page *__rmqueue_smallest(struct zone *zone, unsigned int order)
{
	struct free_area *area;
	struct page *page;
	unsigned int o;

	for (o = order; o < NR_PAGE_ORDERS; o++) {
		area = &zone->free_area[o];
		if (list_empty(&area->free_list))
			continue;
		page = list_first_entry(&area->free_list, struct page, lru);
		del_page_from_free_list(page, zone, o);
		expand(zone, page, order, o);
		return page;
	}
	return NULL;
}

/* ---- the per-CPU lists ---------------------------------------------------- */

/* Moves up to count blocks from the buddy lists to the tail of list. */
static int rmqueue_bulk(struct zone *zone, unsigned int order, int count,
			struct list_head *list)
{
	struct page *page;
	int i;

	for (i = 0; i < count; i++) {
		page = __rmqueue_smallest(zone, order);
		if (!page)
			break;
		list_add_tail(&page->lru, list);
	}
	return i;
}

/* Linux's CONFIG_PCP_BATCH_SCALE_MAX: refills grow to at most batch << 5. */
#define PCP_BATCH_SCALE_MAX	5

/*
 * Refill size, in blocks (Linux 6.7's nr_pcp_alloc()).  Larger blocks come
 * batch >> order at a time, never below 2.  Order-0 refills double each
 * time the list runs dry with nothing freed since, up to what high leaves
 * room for: a task faulting in many pages goes to the buddy lists once per
 * 32 batches rather than once per batch (a batch is a single page in a
 * 48 MiB zone).  Any free halves the factor again.
 */
static inline int nr_pcp_alloc(struct per_cpu_pages *pcp, unsigned int order)
{
	int batch, room;

	if (order)
		return max(pcp->batch >> order, 2);
	batch = pcp->batch << pcp->alloc_factor;
	room = max(pcp->high - pcp->count - pcp->batch, pcp->batch);
	if (batch <= room && pcp->alloc_factor < PCP_BATCH_SCALE_MAX)
		pcp->alloc_factor++;
	return min(batch, room);
}

/*
 * A refill takes at least the block asked for, and otherwise neither takes
 * the zone below the watermark the allocation passed (mark) nor fills the
 * lists to high: stricter than Linux, whose refill may overshoot both by
 * a batch, so that an allocation without reserves never leaves less than
 * min free and the lists stay below high between frees.
 */
static int pcp_refill_count(const struct zone *zone, unsigned int order, unsigned long mark,
			    int want)
{
	long below_mark = ((long)zone->free_pages - (long)mark) >> order;
	long below_high = (long)(zone->pcp.high - zone->pcp.count) >> order;

	return (int)max(min(min((long)want, below_mark), below_high), 1L);
}

static struct page *rmqueue_pcplist(struct zone *zone, unsigned int order, unsigned long mark)
{
	struct per_cpu_pages *pcp = &zone->pcp;
	struct list_head *list = &pcp->lists[order];
	struct page *page;
	int n;

	if (unlikely(list_empty(list))) {
		n = rmqueue_bulk(zone, order,
				 pcp_refill_count(zone, order, mark, nr_pcp_alloc(pcp, order)), list);
		if (!n)
			return NULL;
		pcp->count += n << order;
	}
	page = list_first_entry(list, struct page, lru);
	list_del(&page->lru);
	pcp->count -= 1 << order;
	return page;
}

/*
 * Returns at least count pages (or all there are) from the pcp lists to
 * the buddy, oldest (list tail) first, taking turns over the orders.
 */
static void free_pcppages_bulk(struct zone *zone, int count)
{
	struct per_cpu_pages *pcp = &zone->pcp;
	struct list_head *list;
	struct page *page;
	unsigned int order = 0;

	while (count > 0 && pcp->count > 0) {
		list = &pcp->lists[order];
		if (!list_empty(list)) {
			page = list_entry(list->prev, struct page, lru);
			list_del(&page->lru);
			pcp->count -= 1 << order;
			count -= 1 << order;
			free_one_page(zone, page, page_to_pfn(page), order);
		}
		if (++order == NR_PCP_LISTS)
			order = 0;
	}
}

/* Past high, drain down to high - batch, so the next frees stay cheap. */
static inline void free_unref_page(struct zone *zone, struct page *page, unsigned int order)
{
	struct per_cpu_pages *pcp = &zone->pcp;

	list_add(&page->lru, &pcp->lists[order]);
	pcp->count += 1 << order;
	pcp->alloc_factor >>= 1;
	if (unlikely(pcp->count >= pcp->high))
		free_pcppages_bulk(zone, pcp->count - pcp->high + pcp->batch);
}

void drain_all_pages(struct zone *zone)
{
	if (zone) {
		free_pcppages_bulk(zone, zone->pcp.count);
		return;
	}
	for_each_zone(zone)
		free_pcppages_bulk(zone, zone->pcp.count);
}

void zone_pcp_disable(struct zone *zone)
{
	zone->pcp.nr_orders = 0;
	drain_all_pages(zone);
}

void zone_pcp_enable(struct zone *zone)
{
	zone->pcp.nr_orders = NR_PCP_LISTS;
}

/* ---- watermarks ----------------------------------------------------------- */

static bool __zone_watermark_ok(const struct zone *z, unsigned int order, unsigned long mark,
				unsigned int alloc_flags, long free_pages)
{
	unsigned long min = mark;
	unsigned int o;

	/* What must stay free is what is left once this block is gone. */
	free_pages -= (1L << order) - 1;
	if (alloc_flags & ALLOC_MIN_RESERVE) {
		min -= min / 2;
		if (alloc_flags & ALLOC_NON_BLOCK)
			min -= min / 4;
	}
	if (free_pages <= (long)min)
		return false;
	if (!order)
		return true;
	/* Enough pages, but also a block big enough? */
	for (o = order; o < NR_PAGE_ORDERS; o++)
		if (z->free_area[o].nr_free)
			return true;
	return false;
}

bool zone_watermark_ok(const struct zone *z, unsigned int order, unsigned long mark,
		       unsigned int alloc_flags)
{
	return __zone_watermark_ok(z, order, mark, alloc_flags, (long)z->free_pages);
}

/* Order 0 without reserves is a single comparison. */
static inline bool zone_watermark_fast(const struct zone *z, unsigned int order,
				       unsigned int alloc_flags)
{
	unsigned long mark = z->_watermark[alloc_flags & ALLOC_WMARK_MASK];

	if (!order && z->free_pages > mark)
		return true;
	return __zone_watermark_ok(z, order, mark, alloc_flags, (long)z->free_pages);
}

/* The second pass: the min watermark, less what gfp may dip into. */
static unsigned int gfp_to_alloc_flags(gfp_t gfp)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN;

	if (gfp & __GFP_HIGH)
		alloc_flags |= ALLOC_MIN_RESERVE;
	if (!(gfp & __GFP_DIRECT_RECLAIM))
		alloc_flags |= ALLOC_NON_BLOCK;
	return alloc_flags;
}

/* Integer square root, digit by digit (two bits of x per result bit). */
static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, bit = 1UL << (sizeof(long) * 8 - 2);

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

unsigned long calculate_min_free_kbytes(unsigned long lowmem_kbytes)
{
	return clamp(int_sqrt(lowmem_kbytes * 16), 128UL, 262144UL);
}

/*
 * WMARK_MIN (min_free_kbytes in pages) is shared out in proportion to
 * managed pages; each further watermark adds max(min / 4, 0.1% of the
 * zone).
 */
static void setup_per_zone_wmarks(void)
{
	unsigned long pages_min = (unsigned long)min_free_kbytes >> (PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0, min, delta;
	struct zone *zone;

	for_each_zone(zone)
		lowmem_pages += zone->managed_pages;
	for_each_zone(zone) {
		min = lowmem_pages ? pages_min * zone->managed_pages / lowmem_pages : 0;
		delta = max(min / 4, zone->managed_pages * watermark_scale_factor / 10000);
		zone->_watermark[WMARK_MIN] = min;
		zone->_watermark[WMARK_LOW] = min + delta;
		zone->_watermark[WMARK_HIGH] = min + 2 * delta;
		zone->_watermark[WMARK_PROMO] = min + 3 * delta;
	}
}

static unsigned long rounddown_pow_of_two(unsigned long n)
{
	return 1UL << (sizeof(long) * 8 - 1 - __builtin_clzl(n));
}

/*
 * Linux's zone_batchsize(): about 0.1% of the zone (at most 1 MiB) over
 * four, rounded to 2^n - 1, at least 1.  high: the low watermark shared
 * by the CPUs (one here), at least 4 batches.
 */
static void zone_set_pageset_high_and_batch(struct zone *zone)
{
	unsigned long batch = min(zone->managed_pages >> 10, SZ_1M / PAGE_SIZE) / 4;

	batch = max(batch, 1UL);
	batch = max(rounddown_pow_of_two(batch + batch / 2) - 1, 1UL);
	zone->pcp.batch = (int)batch;
	zone->pcp.high = (int)max(low_wmark_pages(zone), 4 * batch);
}

/*
 * lowmem_kbytes is every managed page: there is no highmem on x86-64 and
 * this runs when nothing is allocated yet (Linux subtracts high
 * watermarks, which are still 0 at that point).
 */
void init_per_zone_wmark_min(void)
{
	unsigned long lowmem_pages = 0;
	struct zone *zone;

	for_each_zone(zone)
		lowmem_pages += zone->managed_pages;
	min_free_kbytes = (int)calculate_min_free_kbytes(lowmem_pages << (PAGE_SHIFT - 10));
	setup_per_zone_wmarks();
	for_each_zone(zone)
		zone_set_pageset_high_and_batch(zone);
}

/* ---- allocation ----------------------------------------------------------- */

/* Tail pages are checked only on request, as in Linux (check_pages). */
static bool check_new_pages(struct page *page, unsigned int order)
{
	bool bad = check_page(page, PAGE_FLAGS_CHECK_AT_PREP);
	unsigned long i;

	if (unlikely(check_pages_enabled))
		for (i = 1; i < (1UL << order); i++)
			bad |= check_page(page + i, PAGE_FLAGS_CHECK_AT_PREP);
	return bad;
}

/* A block that fails its checks is reported and left out: take the next. */
static struct page *rmqueue(struct zone *zone, unsigned int order, unsigned int alloc_flags)
{
	unsigned long mark = zone->_watermark[alloc_flags & ALLOC_WMARK_MASK];
	struct page *page;

	do {
		if (order < zone->pcp.nr_orders)
			page = rmqueue_pcplist(zone, order, mark);
		else
			page = __rmqueue_smallest(zone, order);
	} while (page && unlikely(check_new_pages(page, order)));
	return page;
}

static inline void prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	set_page_count(page, 1);
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
}

/* The first zone of the request's zonelist that passes the watermark serves it. */
static struct page *get_page_from_freelist(gfp_t gfp, unsigned int order,
					   unsigned int alloc_flags)
{
	struct zone *const *z = contig_page_data.node_zonelists[gfp_zone(gfp)];
	struct zone *zone;
	struct page *page;

	for (; (zone = *z) != NULL; z++) {
		if (!zone_watermark_fast(zone, order, alloc_flags))
			continue;
		page = rmqueue(zone, order, alloc_flags);
		if (page) {
			prep_new_page(page, order, gfp);
			return page;
		}
	}
	return NULL;
}

void fail_page_alloc_configure(const struct fault_config *cfg)
{
	fault_attr_configure(&fail_page_alloc, cfg);
}

/* The page allocator's single fault-injection decision point. */
static bool should_fail_alloc_page(gfp_t gfp, unsigned int order)
{
	struct fault_site site = { .gfp = gfp, .order = order, .zone = gfp_zone(gfp) };

	return should_fail_ex(&fail_page_alloc, (ssize_t)(PAGE_SIZE << order), &site);
}

static void warn_alloc(gfp_t gfp, unsigned int order)
{
	if (!(gfp & __GFP_NOWARN))
		printk("page allocation failure: order:%u, mode:0x%x\n", order, gfp);
}

/*
 * The whole algorithm.  First pass: the low watermark, no reserves.  With
 * no reclaim to wake or wait for, the slow path proper is a second pass at
 * the min watermark with whatever reserves gfp grants.
 */
static noinline struct page *__alloc_pages(gfp_t gfp, unsigned int order)
{
	struct page *page;

	if (unlikely(order > MAX_PAGE_ORDER)) {
		warn_alloc(gfp, order);
		goto fail;
	}
	if (fault_attr_armed(&fail_page_alloc) && should_fail_alloc_page(gfp, order)) {
		page_alloc_stats.alloc_injected++;
		goto fail;
	}
	page = get_page_from_freelist(gfp, order, ALLOC_WMARK_LOW);
	if (page)
		return page;
	page = get_page_from_freelist(gfp, order, gfp_to_alloc_flags(gfp));
	if (page)
		return page;
	warn_alloc(gfp, order);
fail:
	page_alloc_stats.alloc_fail++;
	return NULL;
}

/*
 * The common case, in a few dozen instructions: no fault injection armed,
 * the preferred zone passes its low watermark and its per-CPU list holds
 * a clean block of this order.  That is exactly what __alloc_pages()
 * would do first; anything else (refill, fallback, reserves, a bad page
 * to report) is left to it.
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	struct zone *zone = contig_page_data.node_zonelists[gfp_zone(gfp)][0];
	struct per_cpu_pages *pcp;
	struct list_head *list;
	struct page *page;

	if (unlikely(!zone || order >= zone->pcp.nr_orders ||
		     fault_attr_armed(&fail_page_alloc) || check_pages_enabled))
		return __alloc_pages(gfp, order);
	pcp = &zone->pcp;
	list = &pcp->lists[order];
	if (unlikely(list_empty(list) || !zone_watermark_fast(zone, order, ALLOC_WMARK_LOW)))
		return __alloc_pages(gfp, order);
	page = list_first_entry(list, struct page, lru);
	if (unlikely(!page_expected_state(page, PAGE_FLAGS_CHECK_AT_PREP)))
		return __alloc_pages(gfp, order);
	list_del(&page->lru);
	pcp->count -= 1 << order;
	prep_new_page(page, order, gfp);
	return page;
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

/* ---- freeing -------------------------------------------------------------- */

/* To the per-CPU lists, or straight to the buddy lists if they are off or order too big. */
static inline void free_to_zone(struct page *page, unsigned long pfn, unsigned int order)
{
	struct zone *zone = &contig_page_data.node_zones[pfn_zonenum(pfn)];

	if (likely(order < zone->pcp.nr_orders))
		free_unref_page(zone, page, order);
	else
		free_one_page(zone, page, pfn, order);
}

/*
 * Every free but a clean order-0 page comes here.  Linux clears the flags
 * of every tail page, checking them only with check_pages; a bad block is
 * reported and leaked, never merged.
 */
static noinline void free_pages_checked(struct page *page, unsigned int order)
{
	bool bad;
	unsigned long i;

	if (unlikely(order > MAX_PAGE_ORDER)) {
		bad_page(page, "freed with order > MAX_PAGE_ORDER");
		return;
	}
	bad = check_page(page, PAGE_FLAGS_CHECK_AT_FREE);
	for (i = 1; i < (1UL << order); i++) {
		if (unlikely(check_pages_enabled) && check_page(page + i, PAGE_FLAGS_CHECK_AT_FREE)) {
			bad = true;
			continue;
		}
		page[i].flags = 0;
	}
	if (unlikely(bad))
		return;
	page->flags = 0;	/* PG_dirty and such, allowed until now */
	free_to_zone(page, page_to_pfn(page), order);
}

static noinline void put_page_not_last(struct page *page)
{
	if (page->_refcount <= 0)
		bad_page(page, "freeing a page with _refcount 0 (double free?)");
	else
		page->_refcount--;
}

/*
 * Drops the caller's reference; the last one frees the block.  The
 * common case, a clean order-0 page, makes no call on its way to the
 * per-CPU list.
 */
void __free_pages(struct page *page, unsigned int order)
{
	if (unlikely(page->_refcount != 1)) {
		put_page_not_last(page);
		return;
	}
	page->_refcount = 0;
	if (unlikely(order || !page_expected_state(page, PAGE_FLAGS_CHECK_AT_FREE))) {
		free_pages_checked(page, order);
		return;
	}
	page->flags = 0;
	free_to_zone(page, page_to_pfn(page), 0);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page((void *)addr), order);
}

/* ---- what the host verifies ----------------------------------------------- */

void walk_free_blocks(free_block_fn fn, void *arg)
{
	struct zone *zone;
	struct page *page;
	unsigned int order;

	for_each_zone(zone) {
		for (order = 0; order < NR_PAGE_ORDERS; order++)
			list_for_each_entry(page, &zone->free_area[order].free_list, lru)
				fn(arg, zone, page_to_pfn(page), order, false);
		for (order = 0; order < NR_PCP_LISTS; order++)
			list_for_each_entry(page, &zone->pcp.lists[order], lru)
				fn(arg, zone, page_to_pfn(page), order, true);
	}
}
