// SPDX-License-Identifier: MIT
/*
 * The guest's page allocator (guest/mm/page_alloc.c), compiled natively:
 * the guest's own source, built as host C for these tests.
 *
 * Each test gets a fresh 64 MiB "physical memory" (zeroed, as the host
 * gives it) and fresh allocator state: Check runs every test in its own
 * forked process and the fixture is a checked one, so the mm globals start
 * at zero each time.
 *
 * The machine, worked out by hand once:
 *   zones   DMA [0, 16M)  DMA32 [16M, 48M)  Normal [48M, 64M)
 *   reserved  [0, 1M) low memory, [1M, 2.5M) "kernel", 4900 bytes at
 *             20M + 100 (pfns 5120-5121), mem_map [63M, 64M) (256 pages)
 *   managed   DMA 3456, DMA32 8190, Normal 3840, total 15486
 *   free blocks
 *     DMA     640+128 (order 7), 768 (8), 1024, 2048, 3072 (10)
 *     DMA32   4096 (10), 5122 (1), 5124 (2), ... 5632 (9), 6144..11264 (10 x6)
 *     Normal  12288, 13312, 14336 (10), 15360 (9), 15872 (8)
 *   min_free_kbytes = isqrt(15486 * 4 * 16) = 995 -> 248 pages
 *     DMA     min 248*3456/15486 = 55, delta max(13, 3) = 13: 55 68 81 94
 *     DMA32   min 131, delta max(32, 8) = 32:  131 163 195 227
 *     Normal  min 61, delta max(15, 3) = 15:   61 76 91 106
 *   pcp batch 1 everywhere (under 8192 managed pages -> 2^n - 1 = 0 -> 1),
 *   high = low watermark.
 */
#include <signal.h>
#include <string.h>
#include <sys/mman.h>

#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <native/mm_machine.h>
#include <native/seam.h>

#include "lib/kernel.h"
#include "check_fast.h"
#include "check_main.h"
#include "guest/mm/internal.h"

#define PHYS_SIZE	(64UL << 20)
#define NR_PFNS		(PHYS_SIZE >> PAGE_SHIFT)
#define MANAGED_TOTAL	15486UL

static const unsigned long zone_ends[MAX_NR_ZONES] = { 4096, 12288, ~0UL };

static const char initial_buddyinfo[] =
	"Node 0, zone      DMA      0      0      0      0      0      0      0      1      1      0      3 \n"
	"Node 0, zone    DMA32      0      1      1      1      1      1      1      1      1      1      7 \n"
	"Node 0, zone   Normal      0      0      0      0      0      0      0      0      1      1      3 \n";

static void setup(void)
{
	void *mem = mmap(NULL, PHYS_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ck_assert_ptr_ne(mem, MAP_FAILED);
	native_phys_base = mem;
	memblock_add(0, PHYS_SIZE);
	memblock_reserve(0, SZ_1M);
	memblock_reserve(SZ_1M, 3 * SZ_1M / 2);
	memblock_reserve(20 * SZ_1M + 100, 4900);
	free_area_init(zone_ends);
	memblock_free_all();
}

static void teardown(void)
{
	munmap(native_phys_base, PHYS_SIZE);
}

static struct zone *zone_of(enum zone_type z)
{
	return &contig_page_data.node_zones[z];
}

static void pcp_off(void)
{
	struct zone *zone;

	for_each_zone(zone)
		zone_pcp_disable(zone);
}

static const char *buddyinfo(void)
{
	static char buf[1024];

	ck_assert_int_gt(buddyinfo_show(buf, sizeof(buf)), 0);
	return buf;
}

struct counts {
	unsigned long nr_free[MAX_NR_ZONES][NR_PAGE_ORDERS];
	unsigned long free_pages[MAX_NR_ZONES];
};

static void take_counts(struct counts *c)
{
	int z, o;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		for (o = 0; o < NR_PAGE_ORDERS; o++)
			c->nr_free[z][o] = zone_of(z)->free_area[o].nr_free;
		c->free_pages[z] = zone_of(z)->free_pages;
	}
}

static unsigned long list_len(const struct list_head *head)
{
	const struct list_head *p;
	unsigned long n = 0;

	list_for_each(p, head)
		n++;
	return n;
}

/* The counters agree with the lists, zone by zone. */
static void check_consistency(void)
{
	struct zone *zone;
	unsigned long sum, pcp;
	int o;

	for_each_zone(zone) {
		sum = 0;
		for (o = 0; o < NR_PAGE_ORDERS; o++) {
			fast_assert_uint_eq(list_len(&zone->free_area[o].free_list),
					    zone->free_area[o].nr_free);
			sum += zone->free_area[o].nr_free << o;
		}
		fast_assert_uint_eq(sum, zone->free_pages);
		pcp = 0;
		for (o = 0; o < NR_PCP_LISTS; o++)
			pcp += list_len(&zone->pcp.lists[o]) << o;
		fast_assert_uint_eq(pcp, (unsigned long)zone->pcp.count);
		fast_assert_int_lt(zone->pcp.count, zone->pcp.high);
	}
}

START_TEST(test_init_layout)
{
	static const unsigned long spanned[] = { 4096, 8192, 4096 };
	static const unsigned long managed[] = { 3456, 8190, 3840 };
	static const unsigned long start[] = { 0, 4096, 12288 };
	phys_addr_t phys;
	size_t size;
	int z;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		ck_assert_uint_eq(zone_of(z)->zone_start_pfn, start[z]);
		ck_assert_uint_eq(zone_of(z)->spanned_pages, spanned[z]);
		ck_assert_uint_eq(zone_of(z)->present_pages, spanned[z]);
		ck_assert_uint_eq(zone_of(z)->managed_pages, managed[z]);
		ck_assert_uint_eq(zone_of(z)->free_pages, managed[z]);
		ck_assert_int_eq(zone_of(z)->pcp.count, 0);
	}
	ck_assert_str_eq(buddyinfo(), initial_buddyinfo);
	ck_assert_uint_eq(max_pfn, NR_PFNS);
	mem_map_extent(&phys, &size);
	ck_assert_uint_eq(phys, 63 * SZ_1M);
	ck_assert_uint_eq(size, NR_PFNS * 64);
	ck_assert_uint_eq(sizeof(struct page), 64);
	ck_assert_ptr_eq(mem_map, (void *)(native_phys_base + 63 * SZ_1M));
	/* Reserved frames: PG_reserved with a reference; the rest untouched. */
	ck_assert(PageReserved(pfn_to_page(0)));
	ck_assert(PageReserved(pfn_to_page(639)));
	ck_assert(!PageReserved(pfn_to_page(640)));
	ck_assert(PageReserved(pfn_to_page(5120)));
	ck_assert(PageReserved(pfn_to_page(5121)));
	ck_assert(!PageReserved(pfn_to_page(5122)));
	ck_assert(PageReserved(pfn_to_page(16128)));
	ck_assert_int_eq(page_count(pfn_to_page(16383)), 1);
	ck_assert_uint_eq(pfn_to_page(641)->flags, 0);
	/* Free block heads, and the zone boundaries as pfn_zonenum() sees them. */
	ck_assert(PageBuddy(pfn_to_page(640)) && pfn_to_page(640)->private == 7);
	ck_assert(PageBuddy(pfn_to_page(5122)) && pfn_to_page(5122)->private == 1);
	ck_assert_int_eq(pfn_zonenum(4095), ZONE_DMA);
	ck_assert_int_eq(pfn_zonenum(4096), ZONE_DMA32);
	ck_assert_int_eq(pfn_zonenum(12287), ZONE_DMA32);
	ck_assert_int_eq(pfn_zonenum(12288), ZONE_NORMAL);
	ck_assert_ptr_eq(contig_page_data.node_zonelists[ZONE_NORMAL][0], zone_of(ZONE_NORMAL));
	ck_assert_ptr_eq(contig_page_data.node_zonelists[ZONE_NORMAL][1], zone_of(ZONE_DMA32));
	ck_assert_ptr_eq(contig_page_data.node_zonelists[ZONE_NORMAL][2], zone_of(ZONE_DMA));
	ck_assert_ptr_null(contig_page_data.node_zonelists[ZONE_NORMAL][3]);
	ck_assert_ptr_eq(contig_page_data.node_zonelists[ZONE_DMA][0], zone_of(ZONE_DMA));
	ck_assert_ptr_null(contig_page_data.node_zonelists[ZONE_DMA][1]);
	check_consistency();
}
END_TEST

START_TEST(test_watermarks_boot)
{
	static const unsigned long wm[MAX_NR_ZONES][NR_WMARK] = {
		{ 55, 68, 81, 94 }, { 131, 163, 195, 227 }, { 61, 76, 91, 106 },
	};
	int z, w;

	ck_assert_int_eq(min_free_kbytes, 995);
	for (z = 0; z < MAX_NR_ZONES; z++) {
		for (w = 0; w < NR_WMARK; w++)
			ck_assert_uint_eq(zone_of(z)->_watermark[w], wm[z][w]);
		ck_assert_int_eq(zone_of(z)->pcp.batch, 1);
		ck_assert_int_eq(zone_of(z)->pcp.high, (int)wm[z][WMARK_LOW]);
	}
}
END_TEST

START_TEST(test_watermarks_by_hand)
{
	/*
	 * 251000 pages = 1004000 kB; isqrt(16064000) = 4007 -> 1001 pages.
	 * DMA    1001*1000/251000 = 3,     delta max(0, 1) = 1
	 * DMA32  1001*50000/251000 = 199,  delta max(49, 50) = 50
	 * Normal 1001*200000/251000 = 797, delta max(199, 200) = 200
	 * batches: 0 -> 1; 48/4 = 12 -> 18 -> 15; 195/4 = 48 -> 72 -> 63.
	 */
	zone_of(ZONE_DMA)->managed_pages = 1000;
	zone_of(ZONE_DMA32)->managed_pages = 50000;
	zone_of(ZONE_NORMAL)->managed_pages = 200000;
	init_per_zone_wmark_min();
	ck_assert_int_eq(min_free_kbytes, 4007);
	ck_assert_uint_eq(min_wmark_pages(zone_of(ZONE_DMA)), 3);
	ck_assert_uint_eq(low_wmark_pages(zone_of(ZONE_DMA)), 4);
	ck_assert_uint_eq(high_wmark_pages(zone_of(ZONE_DMA)), 5);
	ck_assert_uint_eq(min_wmark_pages(zone_of(ZONE_DMA32)), 199);
	ck_assert_uint_eq(low_wmark_pages(zone_of(ZONE_DMA32)), 249);
	ck_assert_uint_eq(high_wmark_pages(zone_of(ZONE_DMA32)), 299);
	ck_assert_uint_eq(min_wmark_pages(zone_of(ZONE_NORMAL)), 797);
	ck_assert_uint_eq(low_wmark_pages(zone_of(ZONE_NORMAL)), 997);
	ck_assert_uint_eq(high_wmark_pages(zone_of(ZONE_NORMAL)), 1197);
	ck_assert_uint_eq(promo_wmark_pages(zone_of(ZONE_NORMAL)), 1397);
	ck_assert_int_eq(zone_of(ZONE_DMA)->pcp.batch, 1);
	ck_assert_int_eq(zone_of(ZONE_DMA32)->pcp.batch, 15);
	ck_assert_int_eq(zone_of(ZONE_NORMAL)->pcp.batch, 63);
	ck_assert_int_eq(zone_of(ZONE_DMA32)->pcp.high, 249);
	/* The clamp, and Linux's documented 1 GiB -> 4096 kB. */
	ck_assert_uint_eq(calculate_min_free_kbytes(0), 128);
	ck_assert_uint_eq(calculate_min_free_kbytes(1UL << 20), 4096);
	ck_assert_uint_eq(calculate_min_free_kbytes(1UL << 40), 262144);
}
END_TEST

START_TEST(test_watermark_reserves)
{
	struct zone *zone = zone_of(ZONE_NORMAL);

	/* 3840 free: an order-0 request passes a mark of 3839, not 3840. */
	ck_assert(zone_watermark_ok(zone, 0, 3839, ALLOC_WMARK_MIN));
	ck_assert(!zone_watermark_ok(zone, 0, 3840, ALLOC_WMARK_MIN));
	/*
	 * __GFP_HIGH: half the mark (7678 - 3839 = 3839 passes, 7679 - 3839
	 * does not); GFP_ATOMIC: a quarter of that again (10236 -> 5118 ->
	 * 3839 passes, 10237 -> 5119 -> 3840 does not).
	 */
	ck_assert(zone_watermark_ok(zone, 0, 7678, ALLOC_WMARK_MIN | ALLOC_MIN_RESERVE));
	ck_assert(!zone_watermark_ok(zone, 0, 7679, ALLOC_WMARK_MIN | ALLOC_MIN_RESERVE));
	ck_assert(zone_watermark_ok(zone, 0, 10236, ALLOC_WMARK_MIN | ALLOC_RESERVES));
	ck_assert(!zone_watermark_ok(zone, 0, 10237, ALLOC_WMARK_MIN | ALLOC_RESERVES));
	/* An order-3 block counts against the mark (3840 - 7 left). */
	ck_assert(zone_watermark_ok(zone, 3, 3832, ALLOC_WMARK_MIN));
	ck_assert(!zone_watermark_ok(zone, 3, 3833, ALLOC_WMARK_MIN));
	/* Enough pages but no block that large: Normal has none above order 10. */
	ck_assert(zone_watermark_ok(zone, 10, 0, ALLOC_WMARK_MIN));
}
END_TEST

/* Splitting at the smallest order >= order that has a block, and merging back. */
START_TEST(test_split_merge_every_order)
{
	struct zone *zone = zone_of(ZONE_NORMAL);
	struct counts before, after;
	unsigned int order, o, src;
	struct page *page;
	char text[1024];

	pcp_off();
	for (order = 0; order <= MAX_PAGE_ORDER; order++) {
		take_counts(&before);
		strcpy(text, buddyinfo());
		for (src = order; !zone->free_area[src].nr_free; src++)
			;
		page = alloc_pages(GFP_KERNEL, order);
		ck_assert_ptr_nonnull(page);
		ck_assert_int_eq(page_zonenum(page), ZONE_NORMAL);
		ck_assert_uint_eq(page_to_pfn(page) & ((1UL << order) - 1), 0);
		ck_assert_int_eq(page_count(page), 1);
		take_counts(&after);
		for (o = 0; o <= MAX_PAGE_ORDER; o++) {
			unsigned long want = before.nr_free[ZONE_NORMAL][o];

			if (o == src)
				want--;
			else if (o >= order && o < src)
				want++;
			fast_assert_msg(after.nr_free[ZONE_NORMAL][o] == want,
					"order %u from order %u: %lu free blocks of order %u, want %lu",
					order, src, after.nr_free[ZONE_NORMAL][o], o, want);
		}
		ck_assert_uint_eq(after.free_pages[ZONE_NORMAL],
				  before.free_pages[ZONE_NORMAL] - (1UL << order));
		check_consistency();
		__free_pages(page, order);
		ck_assert_str_eq(buddyinfo(), text);
		take_counts(&after);
		ck_assert_mem_eq(&before, &after, sizeof(before));
	}
	ck_assert_str_eq(buddyinfo(), initial_buddyinfo);
	check_consistency();
}
END_TEST

/* Orders 0..3 through the per-CPU lists come back once drained. */
START_TEST(test_split_merge_pcp)
{
	struct page *page;
	unsigned int order;

	for (order = 0; order <= PAGE_ALLOC_COSTLY_ORDER; order++) {
		page = alloc_pages(GFP_KERNEL, order);
		ck_assert_ptr_nonnull(page);
		ck_assert_uint_eq(page_to_pfn(page) & ((1UL << order) - 1), 0);
		check_consistency();
		__free_pages(page, order);
		check_consistency();
		ck_assert_int_gt(zone_of(ZONE_NORMAL)->pcp.count, 0);
		drain_all_pages(NULL);
		ck_assert_int_eq(zone_of(ZONE_NORMAL)->pcp.count, 0);
		ck_assert_str_eq(buddyinfo(), initial_buddyinfo);
	}
}
END_TEST

START_TEST(test_512_from_1024)
{
	struct zone *zone = zone_of(ZONE_NORMAL);
	struct page *first, *half;

	pcp_off();
	/* Take Normal's one order-9 block so the next must split an order 10. */
	first = alloc_pages(GFP_KERNEL, 9);
	ck_assert_uint_eq(page_to_pfn(first), 15360);
	ck_assert_uint_eq(zone->free_area[9].nr_free, 0);
	ck_assert_uint_eq(zone->free_area[10].nr_free, 3);
	half = alloc_pages(GFP_KERNEL, 9);
	ck_assert_ptr_nonnull(half);
	ck_assert_uint_eq(page_to_pfn(half) & 1023, 0);
	ck_assert_uint_eq(zone->free_area[10].nr_free, 2);
	ck_assert_uint_eq(zone->free_area[9].nr_free, 1);
	ck_assert(PageBuddy(half + 512));
	ck_assert_uint_eq((half + 512)->private, 9);
	__free_pages(half, 9);
	ck_assert_uint_eq(zone->free_area[10].nr_free, 3);
	ck_assert_uint_eq(zone->free_area[9].nr_free, 0);
	ck_assert(!PageBuddy(half + 512));
	__free_pages(first, 9);
	ck_assert_str_eq(buddyinfo(), initial_buddyinfo);
}
END_TEST

START_TEST(test_top_order)
{
	static const unsigned int bad_orders[] = { 11, 12, 63, 64, ~0U };
	struct counts before, after;
	struct page *page;
	unsigned int i;

	page = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);
	ck_assert_ptr_nonnull(page);
	ck_assert_uint_eq(page_to_pfn(page) & 1023, 0);
	__free_pages(page, MAX_PAGE_ORDER);
	ck_assert_str_eq(buddyinfo(), initial_buddyinfo);

	take_counts(&before);
	for (i = 0; i < ARRAY_SIZE(bad_orders); i++) {
		ck_assert_ptr_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, bad_orders[i]));
		ck_assert_uint_eq(__get_free_pages(GFP_KERNEL | __GFP_NOWARN, bad_orders[i]), 0);
	}
	take_counts(&after);
	ck_assert_mem_eq(&before, &after, sizeof(before));
	ck_assert_uint_eq(page_alloc_stats.alloc_fail, 10);
	ck_assert_uint_eq(native_bad_page_count, 0);
	check_consistency();
	ck_assert_str_eq(buddyinfo(), initial_buddyinfo);
}
END_TEST

/* Frees an order-0 page list built through page->lru (the owner's list). */
static void free_page_list(struct list_head *list)
{
	struct page *page;

	while (!list_empty(list)) {
		page = list_first_entry(list, struct page, lru);
		list_del(&page->lru);
		__free_pages(page, 0);
	}
}

START_TEST(test_fallback_and_exhaustion)
{
	struct zone *normal = zone_of(ZONE_NORMAL), *dma32 = zone_of(ZONE_DMA32);
	struct zone *dma = zone_of(ZONE_DMA);
	enum zone_type z, last = ZONE_NORMAL;
	unsigned long n = 0;
	struct page *page;
	struct list_head pages = LIST_HEAD_INIT(pages);

	while ((page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0)) != NULL) {
		z = page_zonenum(page);
		if (n == 0)
			fast_assert_int_eq(z, ZONE_NORMAL);
		/* Falling back means the better zone failed its low watermark. */
		if (z == ZONE_DMA32 && last == ZONE_NORMAL)
			fast_assert(!zone_watermark_ok(normal, 0, low_wmark_pages(normal), 0));
		if (z == ZONE_DMA && last == ZONE_DMA32)
			fast_assert(!zone_watermark_ok(dma32, 0, low_wmark_pages(dma32), 0));
		last = z;
		list_add(&page->lru, &pages);
		n++;
	}
	/* Every zone is down to its min watermark, and not below. */
	ck_assert_uint_eq(normal->free_pages, min_wmark_pages(normal));
	ck_assert_uint_eq(dma32->free_pages, min_wmark_pages(dma32));
	ck_assert_uint_eq(dma->free_pages, min_wmark_pages(dma));
	ck_assert_uint_eq(n + native_free_pages(), MANAGED_TOTAL);
	ck_assert_uint_eq(page_alloc_stats.alloc_fail, 1);
	/* GFP_ATOMIC may go below min, and only so far. */
	while ((page = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0)) != NULL) {
		list_add(&page->lru, &pages);
		n++;
	}
	ck_assert_uint_lt(normal->free_pages, min_wmark_pages(normal));
	/* min 61, less half (30) = 31, less a quarter of that (7) = 24. */
	ck_assert_uint_eq(normal->free_pages, 24);
	ck_assert_uint_gt(normal->free_pages, 0);
	check_consistency();
	free_page_list(&pages);
	drain_all_pages(NULL);
	check_consistency();
	ck_assert_uint_eq(native_free_pages(), MANAGED_TOTAL);
	ck_assert_str_eq(buddyinfo(), initial_buddyinfo);
}
END_TEST

START_TEST(test_gfp_dma_only_dma)
{
	unsigned long dma32_free = zone_of(ZONE_DMA32)->free_pages;
	unsigned long normal_free = zone_of(ZONE_NORMAL)->free_pages;
	struct page *page;
	struct list_head pages = LIST_HEAD_INIT(pages);

	while ((page = alloc_pages(GFP_DMA | GFP_KERNEL | __GFP_NOWARN, 0)) != NULL) {
		fast_assert_int_eq(page_zonenum(page), ZONE_DMA);
		list_add(&page->lru, &pages);
	}
	ck_assert_uint_eq(zone_of(ZONE_DMA32)->free_pages, dma32_free);
	ck_assert_uint_eq(zone_of(ZONE_NORMAL)->free_pages, normal_free);
	free_page_list(&pages);
	drain_all_pages(NULL);
	ck_assert_str_eq(buddyinfo(), initial_buddyinfo);
}
END_TEST

START_TEST(test_gfp_dma32_never_normal)
{
	unsigned long normal_free = zone_of(ZONE_NORMAL)->free_pages;
	bool saw_dma32 = false, saw_dma = false;
	struct page *page;
	struct list_head pages = LIST_HEAD_INIT(pages);

	while ((page = alloc_pages(GFP_DMA32 | GFP_KERNEL | __GFP_NOWARN, 0)) != NULL) {
		fast_assert_int_ne(page_zonenum(page), ZONE_NORMAL);
		saw_dma32 |= page_zonenum(page) == ZONE_DMA32;
		saw_dma |= page_zonenum(page) == ZONE_DMA;
		list_add(&page->lru, &pages);
	}
	ck_assert(saw_dma32 && saw_dma);
	ck_assert_uint_eq(zone_of(ZONE_NORMAL)->free_pages, normal_free);
	free_page_list(&pages);
	drain_all_pages(NULL);
	ck_assert_str_eq(buddyinfo(), initial_buddyinfo);
}
END_TEST

START_TEST(test_gfp_zero)
{
	unsigned char *p, zero[PAGE_SIZE << 2] = { 0 };
	struct page *page, *again;

	/* The per-CPU list is LIFO: the dirty page comes straight back. */
	page = alloc_pages(GFP_KERNEL, 0);
	memset(page_address(page), 0xa5, PAGE_SIZE);
	__free_pages(page, 0);
	again = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);
	ck_assert_ptr_eq(again, page);
	ck_assert_mem_eq(page_address(again), zero, PAGE_SIZE);
	memset(page_address(again), 0x5a, PAGE_SIZE);
	free_pages((unsigned long)page_address(again), 0);
	p = (unsigned char *)get_zeroed_page(GFP_KERNEL);
	ck_assert_ptr_eq(p, page_address(page));
	ck_assert_mem_eq(p, zero, PAGE_SIZE);
	free_page((unsigned long)p);

	page = alloc_pages(GFP_KERNEL, 2);
	memset(page_address(page), 0xff, PAGE_SIZE << 2);
	__free_pages(page, 2);
	again = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	ck_assert_ptr_eq(again, page);
	ck_assert_mem_eq(page_address(again), zero, PAGE_SIZE << 2);
	__free_pages(again, 2);
}
END_TEST

START_TEST(test_address_helpers)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	unsigned long pfn = page_to_pfn(page);
	unsigned long addr;

	ck_assert_ptr_eq(pfn_to_page(pfn), page);
	ck_assert_uint_eq(page_to_phys(page), pfn << PAGE_SHIFT);
	ck_assert_ptr_eq(page_address(page), native_phys_base + (pfn << PAGE_SHIFT));
	ck_assert_ptr_eq(virt_to_page((char *)page_address(page) + 123), page);
	ck_assert_ptr_eq(page_zone(page), zone_of(ZONE_NORMAL));
	ck_assert(pfn_valid(NR_PFNS - 1) && !pfn_valid(NR_PFNS));
	__free_pages(page, 0);
	addr = __get_free_pages(GFP_DMA, 1);
	ck_assert_uint_ne(addr, 0);
	ck_assert_int_eq(page_zonenum(virt_to_page((void *)addr)), ZONE_DMA);
	free_pages(addr, 1);
	free_pages(0, 3);	/* like Linux, freeing 0 is a no-op */
	drain_all_pages(NULL);
	ck_assert_str_eq(buddyinfo(), initial_buddyinfo);
}
END_TEST

static bool pfn_is_free(unsigned long pfn);

START_TEST(test_bad_page_mapcount)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	int count = zone_of(ZONE_NORMAL)->pcp.count;

	page->_mapcount = 1;
	__free_pages(page, 0);
	ck_assert_uint_eq(native_bad_page_count, 1);
	ck_assert_uint_eq(native_last_bad_page()->pfn, page_to_pfn(page));
	ck_assert_str_eq(native_last_bad_page()->reason, "nonzero mapcount");
	ck_assert_int_eq(zone_of(ZONE_NORMAL)->pcp.count, count);
	ck_assert(!pfn_is_free(page_to_pfn(page)));
	ck_assert_uint_eq(page_alloc_stats.bad_pages, 1);
	check_consistency();
}
END_TEST

START_TEST(test_bad_page_mapping)
{
	struct page *page;

	pcp_off();
	page = alloc_pages(GFP_KERNEL, 3);
	page->mapping = (struct address_space *)page;
	__free_pages(page, 3);
	ck_assert_uint_eq(native_bad_page_count, 1);
	ck_assert_str_eq(native_last_bad_page()->reason, "non-NULL mapping");
	ck_assert(!pfn_is_free(page_to_pfn(page)));
	ck_assert(!PageBuddy(page));
	check_consistency();
}
END_TEST

START_TEST(test_bad_page_tail_refcount)
{
	struct page *page;
	unsigned long free_before;

	check_pages_enabled = true;
	pcp_off();
	page = alloc_pages(GFP_KERNEL, 1);
	free_before = zone_of(ZONE_NORMAL)->free_pages;
	set_page_count(page + 1, 1);
	__free_pages(page, 1);
	ck_assert_uint_eq(native_bad_page_count, 1);
	ck_assert_uint_eq(native_last_bad_page()->pfn, page_to_pfn(page) + 1);
	ck_assert_str_eq(native_last_bad_page()->reason, "nonzero _refcount");
	/* Not merged: neither page went back. */
	ck_assert_uint_eq(zone_of(ZONE_NORMAL)->free_pages, free_before);
	ck_assert(!pfn_is_free(page_to_pfn(page)));
	ck_assert(!pfn_is_free(page_to_pfn(page) + 1));
	check_consistency();
}
END_TEST

START_TEST(test_bad_page_double_free)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	int count;

	__free_pages(page, 0);
	count = zone_of(ZONE_NORMAL)->pcp.count;
	__free_pages(page, 0);
	ck_assert_uint_eq(native_bad_page_count, 1);
	ck_assert_str_eq(native_last_bad_page()->reason,
			 "freeing a page with _refcount 0 (double free?)");
	ck_assert_int_eq(zone_of(ZONE_NORMAL)->pcp.count, count);
	check_consistency();
}
END_TEST

START_TEST(test_bad_page_reserved)
{
	__free_pages(pfn_to_page(300), 0);
	ck_assert_uint_eq(native_bad_page_count, 1);
	ck_assert_uint_eq(native_last_bad_page()->pfn, 300);
	ck_assert_str_eq(native_last_bad_page()->reason, "PAGE_FLAGS_CHECK_AT_FREE flag(s) set");
	ck_assert(!pfn_is_free(300));
	check_consistency();
}
END_TEST

/* A page corrupted while free is caught on its way out and never handed out. */
START_TEST(test_bad_page_on_alloc)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0), *next;

	__free_pages(page, 0);
	page->_refcount = 5;	/* a stray write while the page sits on the pcp list */
	next = alloc_pages(GFP_KERNEL, 0);
	ck_assert_ptr_nonnull(next);
	ck_assert_ptr_ne(next, page);
	ck_assert_uint_eq(native_bad_page_count, 1);
	ck_assert_uint_eq(native_last_bad_page()->pfn, page_to_pfn(page));
	ck_assert_str_eq(native_last_bad_page()->reason, "nonzero _refcount");
	__free_pages(next, 0);
	check_consistency();
}
END_TEST

START_TEST(test_bad_page_flags_on_alloc)
{
	struct page *page;

	pcp_off();
	/* The page goes back as the head of a merged free block; dirty it there. */
	page = alloc_pages(GFP_KERNEL, 0);
	__free_pages(page, 0);
	ck_assert(PageBuddy(page));
	SetPageDirty(page);
	ck_assert_ptr_ne(alloc_pages(GFP_KERNEL, 0), page);
	ck_assert_uint_eq(native_bad_page_count, 1);
	ck_assert_uint_eq(native_last_bad_page()->pfn, page_to_pfn(page));
	ck_assert_str_eq(native_last_bad_page()->reason, "PAGE_FLAGS_CHECK_AT_PREP flag(s) set");
}
END_TEST

START_TEST(test_pcp_batch_and_drain)
{
	struct zone *normal = zone_of(ZONE_NORMAL);
	struct page *pages[300];
	int i, high = normal->pcp.high, max_count = 0;

	for (i = 0; i < 300; i++) {
		pages[i] = alloc_pages(GFP_KERNEL, 0);
		fast_assert_int_eq(page_zonenum(pages[i]), ZONE_NORMAL);
		fast_assert_uint_eq(normal->free_pages + normal->pcp.count + i + 1, 3840);
	}
	check_consistency();
	for (i = 0; i < 300; i++) {
		__free_pages(pages[i], 0);
		fast_assert_int_lt(normal->pcp.count, high);
		if (normal->pcp.count > max_count)
			max_count = normal->pcp.count;
		fast_assert_uint_eq(normal->free_pages + normal->pcp.count + 299 - i, 3840);
	}
	/* It filled to high, then drained a batch at a time: high - batch left. */
	ck_assert_int_eq(max_count, high - 1);
	ck_assert_int_eq(normal->pcp.count, high - normal->pcp.batch);
	check_consistency();
	/* Near high, a refill takes only the block asked for... */
	pages[0] = alloc_pages(GFP_KERNEL, 3);
	ck_assert_uint_eq(list_len(&normal->pcp.lists[3]), 0);
	__free_pages(pages[0], 3);
	/* ...otherwise order-3 refills take max(batch >> 3, 2) blocks. */
	drain_all_pages(NULL);
	pages[0] = alloc_pages(GFP_KERNEL, 3);
	ck_assert_uint_eq(list_len(&normal->pcp.lists[3]), 1);
	__free_pages(pages[0], 3);
	drain_all_pages(NULL);
	check_consistency();
	ck_assert_int_eq(normal->pcp.count, 0);
	ck_assert_str_eq(buddyinfo(), initial_buddyinfo);
}
END_TEST

/*
 * Linux 6.7's scaling: each order-0 refill with nothing freed since is
 * twice the last, up to batch << 5; a free halves the next one.
 */
START_TEST(test_pcp_refill_grows)
{
	struct zone *normal = zone_of(ZONE_NORMAL);
	int batch = normal->pcp.batch, expect = batch, i, refills = 0;
	struct page *pages[200];

	drain_all_pages(NULL);
	for (i = 0; i < 200; i++) {
		bool empty = list_empty(&normal->pcp.lists[0]);

		pages[i] = alloc_pages(GFP_KERNEL, 0);
		if (!empty)
			continue;
		/* What the refill brought, less the page just taken. */
		fast_assert_int_eq(normal->pcp.count + 1, expect);
		expect = min(expect * 2, batch << 5);
		refills++;
	}
	ck_assert_int_gt(refills, 6);	/* reached the cap */
	__free_pages(pages[199], 0);
	ck_assert_uint_eq(normal->pcp.alloc_factor, 5 / 2);
	for (i = 0; i < 199; i++)
		__free_pages(pages[i], 0);
	check_consistency();
}
END_TEST

START_TEST(test_pcp_disable_enable)
{
	struct zone *normal = zone_of(ZONE_NORMAL);
	struct page *page = alloc_pages(GFP_KERNEL, 0);

	__free_pages(page, 0);
	ck_assert_int_gt(normal->pcp.count, 0);
	zone_pcp_disable(normal);
	ck_assert_int_eq(normal->pcp.count, 0);
	ck_assert_str_eq(buddyinfo(), initial_buddyinfo);
	page = alloc_pages(GFP_KERNEL, 0);
	__free_pages(page, 0);
	ck_assert_int_eq(normal->pcp.count, 0);
	ck_assert_str_eq(buddyinfo(), initial_buddyinfo);
	zone_pcp_enable(normal);
	page = alloc_pages(GFP_KERNEL, 0);
	__free_pages(page, 0);
	ck_assert_int_eq(normal->pcp.count, 1);
}
END_TEST

START_TEST(test_fail_nth)
{
	struct fault_config cfg = { .nth = 5, .times = -1 };
	struct page *pages[8];
	int i;

	fail_page_alloc_configure(&cfg);
	for (i = 0; i < 8; i++) {
		pages[i] = alloc_pages(GFP_KERNEL, 0);
		if (i == 4)
			ck_assert_ptr_null(pages[i]);
		else
			ck_assert_ptr_nonnull(pages[i]);
	}
	ck_assert_uint_eq(page_alloc_stats.alloc_injected, 1);
	ck_assert_uint_eq(page_alloc_stats.alloc_fail, 1);
	ck_assert_uint_eq(fail_page_alloc.failures, 1);
	for (i = 0; i < 8; i++)
		if (pages[i])
			__free_pages(pages[i], 0);
	drain_all_pages(NULL);
	ck_assert_str_eq(buddyinfo(), initial_buddyinfo);
}
END_TEST

START_TEST(test_fail_filters_and_times)
{
	struct fault_config cfg = {
		.probability = 100, .times = 2, .filter = { .min_order = 2 },
	};
	struct page *page;

	fail_page_alloc_configure(&cfg);
	page = alloc_pages(GFP_KERNEL, 1);
	ck_assert_ptr_nonnull(page);
	__free_pages(page, 1);
	ck_assert_ptr_null(alloc_pages(GFP_KERNEL, 2));
	ck_assert_ptr_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 9));
	page = alloc_pages(GFP_KERNEL, 2);	/* times used up */
	ck_assert_ptr_nonnull(page);
	__free_pages(page, 2);
	ck_assert_uint_eq(page_alloc_stats.alloc_injected, 2);

	/* Only DMA32 requests. */
	cfg = (struct fault_config){
		.probability = 100, .times = -1, .filter = { .zone_mask = 1U << ZONE_DMA32 },
	};
	fail_page_alloc_configure(&cfg);
	ck_assert_ptr_null(alloc_pages(GFP_DMA32, 0));
	page = alloc_pages(GFP_KERNEL, 0);
	ck_assert_ptr_nonnull(page);
	__free_pages(page, 0);
}
END_TEST

/* ---- a random workload against a model ------------------------------------ */

struct block {
	struct page *page;
	unsigned int order;
};

static unsigned char model_owned[NR_PFNS];	/* 1: allocated by the workload */
static unsigned char model_free[NR_PFNS];	/* 1: in a free block */

static void mark_free(void *arg, const struct zone *zone, unsigned long pfn,
		      unsigned int order, bool pcp)
{
	unsigned long i, *n = arg;

	fast_assert_uint_eq(pfn & ((1UL << order) - 1), 0);
	fast_assert(pfn >= zone->zone_start_pfn && pfn + (1UL << order) <= zone_end_pfn(zone));
	fast_assert(!pcp || order < NR_PCP_LISTS);
	for (i = pfn; i < pfn + (1UL << order); i++) {
		fast_assert_msg(!model_free[i], "pfn %lu free twice", i);
		fast_assert_msg(!model_owned[i], "pfn %lu free and allocated", i);
		model_free[i] = 1;
	}
	*n += 1UL << order;
}

static void check_against_model(unsigned long allocated)
{
	unsigned long nfree = 0;

	memset(model_free, 0, sizeof(model_free));
	walk_free_blocks(mark_free, &nfree);
	fast_assert_uint_eq(nfree, native_free_pages());
	fast_assert_uint_eq(nfree + allocated, MANAGED_TOTAL);
	check_consistency();
}

static bool pfn_is_free(unsigned long pfn)
{
	unsigned long n = 0;

	memset(model_free, 0, sizeof(model_free));
	memset(model_owned, 0, sizeof(model_owned));
	walk_free_blocks(mark_free, &n);
	return model_free[pfn];
}

START_TEST(test_random_against_model)
{
	static const gfp_t gfps[] = {
		GFP_KERNEL, GFP_KERNEL, GFP_USER, GFP_ATOMIC, GFP_KERNEL | GFP_DMA32,
		GFP_KERNEL | GFP_DMA, GFP_KERNEL | __GFP_ZERO,
	};
	static struct block live[4096];
	unsigned long allocated = 0, i, pfn;
	struct rnd_state rnd;
	unsigned int n = 0, k, order, op;
	struct page *page;
	gfp_t gfp;

	memset(model_owned, 0, sizeof(model_owned));
	prandom_seed_state(&rnd, 20240601);
	for (op = 0; op < 30000; op++) {
		if (n < 4096 && (n == 0 || prandom_u32_below(&rnd, 100) < 55)) {
			/* Mostly small orders, sometimes large ones. */
			order = prandom_u32_below(&rnd, 100) < 80 ? prandom_u32_below(&rnd, 4)
								  : prandom_u32_below(&rnd, 11);
			gfp = gfps[prandom_u32_below(&rnd, 7)] | __GFP_NOWARN;
			page = alloc_pages(gfp, order);
			if (!page)
				continue;
			pfn = page_to_pfn(page);
			fast_assert_uint_eq(pfn & ((1UL << order) - 1), 0);
			fast_assert_int_le(page_zonenum(page), gfp_zone(gfp));
			fast_assert_int_eq(pfn_zonenum(pfn + (1UL << order) - 1), page_zonenum(page));
			for (i = pfn; i < pfn + (1UL << order); i++) {
				fast_assert_msg(!model_owned[i], "step %u: pfn %lu handed out twice",
						op, i);
				model_owned[i] = 1;
			}
			live[n++] = (struct block){ page, order };
			allocated += 1UL << order;
		} else {
			k = prandom_u32_below(&rnd, n);
			pfn = page_to_pfn(live[k].page);
			for (i = pfn; i < pfn + (1UL << live[k].order); i++)
				model_owned[i] = 0;
			__free_pages(live[k].page, live[k].order);
			allocated -= 1UL << live[k].order;
			live[k] = live[--n];
		}
		if (op % 1000 == 0)
			check_against_model(allocated);
	}
	check_against_model(allocated);
	while (n) {
		n--;
		__free_pages(live[n].page, live[n].order);
	}
	drain_all_pages(NULL);
	memset(model_owned, 0, sizeof(model_owned));
	check_against_model(0);
	ck_assert_str_eq(buddyinfo(), initial_buddyinfo);
	ck_assert_uint_eq(native_bad_page_count, 0);
}
END_TEST

/* ---- /proc text ----------------------------------------------------------- */

START_TEST(test_buddyinfo_text)
{
	char small[40];
	struct page *page;

	pcp_off();
	page = alloc_pages(GFP_DMA, 0);
	ck_assert_str_eq(buddyinfo(),
		"Node 0, zone      DMA      1      1      1      1      1      1      1      0      1      0      3 \n"
		"Node 0, zone    DMA32      0      1      1      1      1      1      1      1      1      1      7 \n"
		"Node 0, zone   Normal      0      0      0      0      0      0      0      0      1      1      3 \n");
	__free_pages(page, 0);
	ck_assert_int_eq(buddyinfo_show(small, sizeof(small)), -1);
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
	ck_assert_int_eq(buddyinfo_show(small, 0), -1);
}
END_TEST

START_TEST(test_zoneinfo_text)
{
	static char buf[4096];
	struct page *page = alloc_pages(GFP_KERNEL, 0);

	ck_assert_int_gt(zoneinfo_show(buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf,
		"Node 0, zone      DMA\n"
		"  pages free     3456\n"
		"        boost    0\n"
		"        min      55\n"
		"        low      68\n"
		"        high     81\n"
		"        promo    94\n"
		"        spanned  4096\n"
		"        present  4096\n"
		"        managed  3456\n"
		"        cma      0\n"
		"        protection: (0, 0, 0)\n"
		"      nr_free_pages 3456\n"
		"  pagesets\n"
		"    cpu: 0\n"
		"              count: 0\n"
		"              high:  68\n"
		"              batch: 1\n"
		"  node_unreclaimable:  0\n"
		"  start_pfn:           0\n"
		"Node 0, zone    DMA32\n"
		"  pages free     8190\n"
		"        boost    0\n"
		"        min      131\n"
		"        low      163\n"
		"        high     195\n"
		"        promo    227\n"
		"        spanned  8192\n"
		"        present  8192\n"
		"        managed  8190\n"
		"        cma      0\n"
		"        protection: (0, 0, 0)\n"
		"      nr_free_pages 8190\n"
		"  pagesets\n"
		"    cpu: 0\n"
		"              count: 0\n"
		"              high:  163\n"
		"              batch: 1\n"
		"  node_unreclaimable:  0\n"
		"  start_pfn:           4096\n"
		"Node 0, zone   Normal\n"
		"  pages free     3839\n"
		"        boost    0\n"
		"        min      61\n"
		"        low      76\n"
		"        high     91\n"
		"        promo    106\n"
		"        spanned  4096\n"
		"        present  4096\n"
		"        managed  3840\n"
		"        cma      0\n"
		"        protection: (0, 0, 0)\n"
		"      nr_free_pages 3839\n"
		"  pagesets\n"
		"    cpu: 0\n"
		"              count: 0\n"
		"              high:  76\n"
		"              batch: 1\n"
		"  node_unreclaimable:  0\n"
		"  start_pfn:           12288\n");
	__free_pages(page, 0);
}
END_TEST

/*
 * A second machine: 32 MiB with a hole at [8M, 12M), Linux's default zone
 * ends (so Normal is empty), only [0, 1M) reserved besides mem_map
 * (512 KiB at [31.5M, 32M), pfns 8064-8191).
 *   DMA     present 3072, managed 2816: blocks 256 (8), 512 (9), 1024, 3072 (10)
 *   DMA32   present 4096, managed 3968: 4096, 5120, 6144 (10), 7168 (9),
 *           7680 (8), 7936 (7)
 *   min_free_kbytes isqrt(6784 * 4 * 16) = 658 -> 164 pages
 *   DMA     min 164*2816/6784 = 68, delta 17;  DMA32 min 95, delta 23
 */
static void setup_small(void)
{
	static const unsigned long ends[MAX_NR_ZONES] = { MAX_DMA_PFN, MAX_DMA32_PFN, ~0UL };
	void *mem = mmap(NULL, 32UL << 20, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ck_assert_ptr_ne(mem, MAP_FAILED);
	native_phys_base = mem;
	memblock_add(12 * SZ_1M, 20 * SZ_1M);
	memblock_add(0, 8 * SZ_1M);
	memblock_reserve(0, SZ_1M);
	free_area_init(ends);
	memblock_free_all();
}

static void teardown_small(void)
{
	munmap(native_phys_base, 32UL << 20);
}

START_TEST(test_small_machine_layout)
{
	static char buf[4096];
	static const char normal_block[] =
		"Node 0, zone   Normal\n"
		"  pages free     0\n"
		"        boost    0\n"
		"        min      0\n"
		"        low      0\n"
		"        high     0\n"
		"        promo    0\n"
		"        spanned  0\n"
		"        present  0\n"
		"        managed  0\n"
		"        cma      0\n"
		"        protection: (0, 0, 0)\n";
	int len;

	ck_assert_uint_eq(zone_of(ZONE_DMA)->spanned_pages, 4096);
	ck_assert_uint_eq(zone_of(ZONE_DMA)->present_pages, 3072);
	ck_assert_uint_eq(zone_of(ZONE_DMA)->managed_pages, 2816);
	ck_assert_uint_eq(zone_of(ZONE_DMA32)->managed_pages, 3968);
	ck_assert(!populated_zone(zone_of(ZONE_NORMAL)));
	ck_assert_uint_eq(min_wmark_pages(zone_of(ZONE_DMA)), 68);
	ck_assert_uint_eq(low_wmark_pages(zone_of(ZONE_DMA)), 85);
	ck_assert_uint_eq(min_wmark_pages(zone_of(ZONE_DMA32)), 95);
	ck_assert_uint_eq(high_wmark_pages(zone_of(ZONE_DMA32)), 141);
	ck_assert_str_eq(buddyinfo(),
		"Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      2 \n"
		"Node 0, zone    DMA32      0      0      0      0      0      0      0      1      1      1      3 \n");
	len = zoneinfo_show(buf, sizeof(buf));
	ck_assert_int_gt(len, (int)strlen(normal_block));
	ck_assert_str_eq(buf + len - strlen(normal_block), normal_block);
	ck_assert_ptr_eq(contig_page_data.node_zonelists[ZONE_NORMAL][0], zone_of(ZONE_DMA32));
	ck_assert_ptr_eq(contig_page_data.node_zonelists[ZONE_NORMAL][1], zone_of(ZONE_DMA));
	ck_assert_ptr_null(contig_page_data.node_zonelists[ZONE_NORMAL][2]);
}
END_TEST

/* Everything that can be allocated is RAM: nothing from the hole. */
START_TEST(test_small_machine_hole)
{
	unsigned long pfn, n = 0;
	struct page *page;
	struct list_head pages = LIST_HEAD_INIT(pages);

	while ((page = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0)) != NULL) {
		pfn = page_to_pfn(page);
		fast_assert(pfn < 2048 || pfn >= 3072);
		fast_assert(pfn >= 256 && pfn < 8064);
		list_add(&page->lru, &pages);
		n++;
	}
	ck_assert_uint_eq(n + native_free_pages(), 2816 + 3968);
	free_page_list(&pages);
	drain_all_pages(NULL);
	ck_assert_uint_eq(native_free_pages(), 2816 + 3968);
	check_consistency();
}
END_TEST

static Suite *buddy_suite(void)
{
	Suite *s = suite_create("buddy");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_init_layout);
	tcase_add_test(tc, test_watermarks_boot);
	tcase_add_test(tc, test_watermarks_by_hand);
	tcase_add_test(tc, test_watermark_reserves);
	tcase_add_test(tc, test_split_merge_every_order);
	tcase_add_test(tc, test_split_merge_pcp);
	tcase_add_test(tc, test_512_from_1024);
	tcase_add_test(tc, test_top_order);
	tcase_add_test(tc, test_fallback_and_exhaustion);
	tcase_add_test(tc, test_gfp_dma_only_dma);
	tcase_add_test(tc, test_gfp_dma32_never_normal);
	tcase_add_test(tc, test_gfp_zero);
	tcase_add_test(tc, test_address_helpers);
	tcase_add_test(tc, test_bad_page_mapcount);
	tcase_add_test(tc, test_bad_page_mapping);
	tcase_add_test(tc, test_bad_page_tail_refcount);
	tcase_add_test(tc, test_bad_page_double_free);
	tcase_add_test(tc, test_bad_page_reserved);
	tcase_add_test(tc, test_bad_page_on_alloc);
	tcase_add_test(tc, test_bad_page_flags_on_alloc);
	tcase_add_test(tc, test_pcp_batch_and_drain);
	tcase_add_test(tc, test_pcp_refill_grows);
	tcase_add_test(tc, test_pcp_disable_enable);
	tcase_add_test(tc, test_fail_nth);
	tcase_add_test(tc, test_fail_filters_and_times);
	tcase_add_test(tc, test_random_against_model);
	tcase_add_test(tc, test_buddyinfo_text);
	tcase_add_test(tc, test_zoneinfo_text);
	suite_add_tcase(s, tc);

	tc = tcase_create("small machine");
	tcase_add_checked_fixture(tc, setup_small, teardown_small);
	tcase_add_test(tc, test_small_machine_layout);
	tcase_add_test(tc, test_small_machine_hole);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(buddy_suite)
