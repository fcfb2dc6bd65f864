// SPDX-License-Identifier: MIT
/*
 * kmalloc and friends (guest/mm/slab_common.c), compiled natively: size
 * classes against Linux's rule, large allocations, krealloc, ksize,
 * zeroing (Linux's test_meminit), the kmalloc red zone, /proc/slabinfo and
 * random sequences against a model.  "core" boots without slab_debug=,
 * "debug" with slab_debug=FZPU, as a guest would.
 */
#include <stdio.h>
#include <string.h>

#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/poison.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <native/mm_machine.h>
#include <native/seam.h>

#include "check_fast.h"
#include "check_main.h"
#include "guest/mm/slab.h"

#define PHYS_SIZE	(64UL << 20)

static void setup(void)
{
	native_mm_machine_init(PHYS_SIZE);
	kmem_cache_init();
}

static void setup_debug(void)
{
	native_mm_machine_init(PHYS_SIZE);
	ck_assert_int_eq(slab_debug_setup("FZPU"), 0);
	kmem_cache_init();
}

static const struct slab_report *last_report(void)
{
	ck_assert_uint_gt(native_slab_report_count, 0);
	return &native_slab_report(0)->r;
}

/* Empty slabs of every kmalloc cache back to the page allocator. */
static void shrink_kmalloc_caches(void)
{
	unsigned int t, i;

	for (t = 0; t < NR_KMALLOC_TYPES; t++)
		for (i = 0; i <= KMALLOC_SHIFT_HIGH; i++)
			if (kmalloc_caches[t][i])
				kmem_cache_shrink(kmalloc_caches[t][i]);
	drain_all_pages(NULL);
}

/* Linux's rule, written out independently of the code under test. */
static unsigned int expected_class(size_t size)
{
	unsigned int c = 8;

	if (size > 64 && size <= 96)
		return 96;
	if (size > 128 && size <= 192)
		return 192;
	while (c < size)
		c *= 2;
	return c;
}

static void class_name(unsigned int size, bool dma, char *buf, size_t len)
{
	const char *prefix = dma ? "dma-" : "";

	if (size >= 1024)
		snprintf(buf, len, "%skmalloc-%uk", prefix, size / 1024);
	else
		snprintf(buf, len, "%skmalloc-%u", prefix, size);
}

START_TEST(test_size_classes)
{
	char name[32];
	size_t size;
	void *p;

	for (size = 1; size <= KMALLOC_MAX_CACHE_SIZE; size++) {
		class_name(expected_class(size), false, name, sizeof(name));
		fast_assert_str_eq(kmalloc_cache_name(size, GFP_KERNEL), name);
		fast_assert_ptr_eq(kmalloc_slab(size, GFP_KERNEL),
				   kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(size)]);
		p = kmalloc(size, GFP_KERNEL);
		fast_assert_ptr_eq(virt_to_slab(p)->slab_cache, kmalloc_slab(size, GFP_KERNEL));
		fast_assert_uint_eq(ksize(p), expected_class(size));
		fast_assert_uint_eq((unsigned long)p % (expected_class(size) & -expected_class(size)),
				    0);
		kfree(p);
	}
	ck_assert_str_eq(kmalloc_cache_name(100, GFP_KERNEL), "kmalloc-128");
	ck_assert_str_eq(kmalloc_cache_name(150, GFP_KERNEL), "kmalloc-192");
	ck_assert_str_eq(kmalloc_cache_name(72, GFP_KERNEL), "kmalloc-96");
	ck_assert_str_eq(kmalloc_cache_name(18, GFP_KERNEL), "kmalloc-32");
	ck_assert_str_eq(kmalloc_cache_name(8192, GFP_KERNEL), "kmalloc-8k");
	ck_assert_str_eq(kmalloc_cache_name(8193, GFP_KERNEL), "kmalloc-large");
	ck_assert_ptr_null(kmalloc_cache_name(0, GFP_KERNEL));
	ck_assert_ptr_null(kmalloc_slab(8193, GFP_KERNEL));
	ck_assert_uint_eq(native_slab_report_count, 0);
}
END_TEST

/* kmalloc() with a constant size picks the cache at compile time: the same one. */
START_TEST(test_constant_sizes)
{
	void *p[] = { kmalloc(1, GFP_KERNEL), kmalloc(72, GFP_KERNEL), kmalloc(100, GFP_KERNEL),
		      kmalloc(150, GFP_KERNEL), kmalloc(193, GFP_KERNEL), kmalloc(8192, GFP_KERNEL) };
	static const char *const want[] = { "kmalloc-8", "kmalloc-96", "kmalloc-128",
					    "kmalloc-192", "kmalloc-256", "kmalloc-8k" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(p); i++) {
		ck_assert_str_eq(kmem_cache_name(virt_to_slab(p[i])->slab_cache), want[i]);
		kfree(p[i]);
	}
}
END_TEST

START_TEST(test_dma)
{
	char name[32];
	size_t size;
	void *p;

	for (size = 1; size <= KMALLOC_MAX_CACHE_SIZE; size += 7) {
		class_name(expected_class(size), true, name, sizeof(name));
		fast_assert_str_eq(kmalloc_cache_name(size, GFP_DMA), name);
		p = kmalloc(size, GFP_KERNEL | GFP_DMA);
		fast_assert_str_eq(kmem_cache_name(virt_to_slab(p)->slab_cache), name);
		fast_assert_int_eq(page_zonenum(virt_to_page(p)), ZONE_DMA);
		kfree(p);
	}
	p = kmalloc(100, GFP_DMA);
	ck_assert_str_eq(kmem_cache_name(virt_to_slab(p)->slab_cache), "dma-kmalloc-128");
	kfree(p);
}
END_TEST

START_TEST(test_zero_size)
{
	ck_assert_ptr_eq(kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	ck_assert_ptr_eq(kzalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	ck_assert_uint_eq(ksize(ZERO_SIZE_PTR), 0);
	ck_assert_uint_eq(ksize(NULL), 0);
	ck_assert_uint_eq(native_slab_report_count, 0);
}
END_TEST

START_TEST(test_large)
{
	unsigned long before;
	struct page *page;
	u8 *p;

	drain_all_pages(NULL);
	before = native_free_pages();
	p = kmalloc(8193, GFP_KERNEL);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq((unsigned long)p % PAGE_SIZE, 0);
	page = virt_to_page(p);
	ck_assert(PageLargeKmalloc(page));
	ck_assert(!PageSlab(page));
	ck_assert_uint_eq(ksize(p), 4 * PAGE_SIZE);
	memset(p, 1, 4 * PAGE_SIZE);
	kfree(p);
	drain_all_pages(NULL);
	ck_assert_uint_eq(native_free_pages(), before);
	ck_assert(!PageLargeKmalloc(page));
	p = kmalloc(KMALLOC_MAX_SIZE, GFP_KERNEL | __GFP_ZERO);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p[KMALLOC_MAX_SIZE - 1], 0);
	kfree(p);
	ck_assert_ptr_null(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN));
	ck_assert_uint_eq(native_slab_report_count, 0);
}
END_TEST

START_TEST(test_large_bad_free)
{
	u8 *p = kmalloc(20000, GFP_KERNEL);

	kfree(p + 100);
	ck_assert_int_eq(last_report()->kind, SLAB_BUG_INVALID_FREE);
	ck_assert_str_eq(last_report()->text, "Not the start of a kmalloc block");
	kfree(p + PAGE_SIZE);			/* a tail page */
	ck_assert_uint_eq(native_slab_report_count, 2);
	kfree(p);
	ck_assert_uint_eq(native_slab_report_count, 2);
	kfree(p);				/* double free */
	ck_assert_uint_eq(native_slab_report_count, 3);
	ck_assert_ptr_null(last_report()->cache);
	ck_assert_uint_eq(native_bad_page_count, 0);
}
END_TEST

START_TEST(test_kfree_page)
{
	struct page *page = alloc_page(GFP_KERNEL);

	kfree(page_address(page));
	ck_assert_int_eq(last_report()->kind, SLAB_BUG_INVALID_FREE);
	ck_assert_int_eq(page_count(page), 1);
	__free_page(page);
}
END_TEST

START_TEST(test_double_kfree)
{
	void *p = kmalloc(50, GFP_KERNEL);

	kfree(p);
	kfree(p);
	ck_assert_uint_eq(native_slab_report_count, 1);
	ck_assert_int_eq(last_report()->kind, SLAB_BUG_DOUBLE_FREE);
	ck_assert_str_eq(last_report()->cache, "kmalloc-64");
}
END_TEST

START_TEST(test_array)
{
	u8 *p = kcalloc(10, 30, GFP_KERNEL);

	ck_assert_str_eq(kmem_cache_name(virt_to_slab(p)->slab_cache), "kmalloc-512");
	fast_assert_bytes(p, 0, 300, "kcalloc(10, 30) at %p", (void *)p);
	kfree(p);
	ck_assert_ptr_null(kmalloc_array(~0UL / 2, 4, GFP_KERNEL));
}
END_TEST

/* ---- zeroing (Linux's test_meminit) ------------------------------------------------ */

static void check_kzalloc(size_t size, size_t must_be_zero)
{
	unsigned int iter;
	u8 *p;

	for (iter = 0; iter < 20; iter++) {
		p = kmalloc(size, GFP_KERNEL);
		memset(p, 0xa7, size);
		kfree(p);
		p = kzalloc(size, GFP_KERNEL);
		fast_assert_bytes(p, 0, must_be_zero, "kzalloc(%zu) at %p, round %u", size,
				  (void *)p, iter);
		memset(p, 0xa7, size);
		kfree(p);
	}
}

START_TEST(test_kzalloc)
{
	static const size_t sizes[] = { 1, 8, 18, 64, 72, 100, 192, 500, 4000, 8192, 9000, 70000 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		check_kzalloc(sizes[i], sizes[i] <= KMALLOC_MAX_CACHE_SIZE ?
			      expected_class(sizes[i]) : sizes[i]);
	ck_assert_uint_eq(native_slab_report_count, 0);
}
END_TEST

/* With red zones, only the size asked for is zeroed: the slack is red zone. */
START_TEST(test_kzalloc_debug)
{
	u8 *p;

	check_kzalloc(18, 18);
	check_kzalloc(5000, 5000);
	p = kzalloc(18, GFP_KERNEL);
	fast_assert_bytes(p + 18, SLUB_RED_ACTIVE, 32 - 18, "kzalloc(18) at %p, slack from byte 18",
			  (void *)p);
	kfree(p);
	ck_assert_uint_eq(native_slab_report_count, 0);
}
END_TEST

/* ---- the kmalloc red zone ------------------------------------------------------------- */

START_TEST(test_kmalloc_slack_write)
{
	const struct slab_report *r;
	unsigned int i;
	u8 *p;

	for (i = 18; i < 32; i++) {
		p = kmalloc(18, GFP_KERNEL);
		memset(p, 0, 18);
		p[i] = 0x11;
		kfree(p);
		ck_assert_uint_eq(native_slab_report_count, i - 17);
		r = last_report();
		ck_assert_int_eq(r->kind, SLAB_BUG_KMALLOC_REDZONE);
		ck_assert_str_eq(r->cache, "kmalloc-32");
		ck_assert_uint_eq(r->object, (unsigned long)p);
		ck_assert_int_eq(r->offset, i);
		ck_assert_int_eq(r->expected, SLUB_RED_ACTIVE);
		ck_assert_int_eq(r->found, 0x11);
	}
	/* And past the class: the right red zone. */
	p = kmalloc(32, GFP_KERNEL);
	p[32] = 0;
	kfree(p);
	ck_assert_int_eq(last_report()->kind, SLAB_BUG_REDZONE);
}
END_TEST

START_TEST(test_ksize_unlocks_slack)
{
	u8 *p = kmalloc(18, GFP_KERNEL);

	ck_assert_uint_eq(ksize(p), 32);
	memset(p, 0x33, 32);
	kfree(p);
	ck_assert_uint_eq(native_slab_report_count, 0);
}
END_TEST

/* ---- krealloc -------------------------------------------------------------------------- */

START_TEST(test_krealloc_shrink_redzone)
{
	u8 *p = kmalloc(30, GFP_KERNEL), *q;

	memset(p, 0x44, 30);
	q = krealloc(p, 20, GFP_KERNEL);
	ck_assert_ptr_eq(q, p);
	ck_assert_int_eq(p[19], 0x44);
	ck_assert_int_eq(p[20], SLUB_RED_ACTIVE);
	p[25] = 0;
	kfree(p);
	ck_assert_int_eq(last_report()->kind, SLAB_BUG_KMALLOC_REDZONE);
	ck_assert_int_eq(last_report()->offset, 25);
}
END_TEST

static void check_krealloc_grow_zero(void)
{
	u8 *p = kzalloc(18, GFP_KERNEL), *q;

	memset(p, 0x55, 18);
	q = krealloc(p, 30, GFP_KERNEL | __GFP_ZERO);
	ck_assert_ptr_eq(q, p);
	fast_assert_bytes(p, 0x55, 18, "krealloc(%p, 30), kept part", (void *)p);
	fast_assert_bytes(p + 18, 0, 30 - 18, "krealloc(%p, 30), new part from byte 18",
			  (void *)p);
	memset(p, 0x66, 30);
	kfree(p);
	ck_assert_uint_eq(native_slab_report_count, 0);
}

START_TEST(test_krealloc_grow_in_place)
{
	check_krealloc_grow_zero();
}
END_TEST

START_TEST(test_krealloc_grow_in_place_debug)
{
	check_krealloc_grow_zero();
}
END_TEST

START_TEST(test_krealloc_move)
{
	struct kmem_cache *k64 = kmalloc_slab(64, GFP_KERNEL);
	unsigned long active, total, active0;
	u8 *p, *q, want[40];
	unsigned int i;

	slab_active_objects(k64, &active0, &total);
	for (i = 0; i < 40; i++)
		want[i] = (u8)i;
	p = kmalloc(40, GFP_KERNEL);
	memcpy(p, want, 40);
	q = krealloc(p, 200, GFP_KERNEL);
	ck_assert_ptr_ne(q, p);
	ck_assert_str_eq(kmem_cache_name(virt_to_slab(q)->slab_cache), "kmalloc-256");
	fast_assert_mem(q, want, 40, "krealloc(%p, 200) = %p", (void *)p, (void *)q);
	slab_active_objects(k64, &active, &total);
	ck_assert_uint_eq(active, active0);
	/* Into and out of the page allocator. */
	p = krealloc(q, 30000, GFP_KERNEL);
	ck_assert(PageLargeKmalloc(virt_to_page(p)));
	fast_assert_mem(p, want, 40, "krealloc(%p, 30000) = %p", (void *)q, (void *)p);
	q = krealloc(p, 10000, GFP_KERNEL);
	ck_assert_ptr_eq(q, p);			/* fits: stays */
	kfree(q);
	ck_assert_uint_eq(native_slab_report_count, 0);
}
END_TEST

START_TEST(test_krealloc_edges)
{
	u8 *p = krealloc(NULL, 50, GFP_KERNEL);

	ck_assert_str_eq(kmem_cache_name(virt_to_slab(p)->slab_cache), "kmalloc-64");
	ck_assert_ptr_eq(krealloc(p, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	p = krealloc(ZERO_SIZE_PTR, 10, GFP_KERNEL);
	ck_assert_str_eq(kmem_cache_name(virt_to_slab(p)->slab_cache), "kmalloc-16");
	kfree(p);
	ck_assert_uint_eq(native_slab_report_count, 0);
}
END_TEST

START_TEST(test_krealloc_failure_keeps_object)
{
	struct fault_config cfg = { .nth = 1 };
	u8 *p = kmalloc(40, GFP_KERNEL);

	memset(p, 0x77, 40);
	failslab_configure(&cfg);
	ck_assert_ptr_null(krealloc(p, 500, GFP_KERNEL));
	ck_assert_int_eq(p[39], 0x77);
	kfree(p);
	ck_assert_uint_eq(native_slab_report_count, 0);
}
END_TEST

/* ---- /proc/slabinfo -------------------------------------------------------------------- */

START_TEST(test_slabinfo)
{
	static const char header[] =
		"slabinfo - version: 2.1\n"
		"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
		" : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs>"
		" <num_slabs> <sharedavail>\n";
	static char buf[16384];
	void *p[3];
	char *line;
	unsigned int i;
	int len;

	for (i = 0; i < 3; i++)
		p[i] = kmalloc(64, GFP_KERNEL);
	len = slabinfo_show(buf, sizeof(buf));
	ck_assert_int_gt(len, 0);
	ck_assert_int_eq(strncmp(buf, header, strlen(header)), 0);
	/* kmalloc slabs hold at least 256 objects, up to order 4 (guest/mm/slub.c). */
	ck_assert_ptr_nonnull(strstr(buf,
		"\nkmalloc-64             3    256     64  256    4 : tunables    0    0    0"
		" : slabdata      1      1      0\n"));
	ck_assert_ptr_nonnull(strstr(buf,
		"\nkmalloc-8k             0      0   8192    8   16 : tunables    0    0    0"
		" : slabdata      0      0      0\n"));
	/* Newest first: the last DMA cache made, ..., the cache of caches. */
	line = buf + strlen(header);
	ck_assert_int_eq(strncmp(line, "dma-kmalloc-8k ", 15), 0);
	ck_assert_ptr_nonnull(strstr(buf, "\nkmem_cache "));
	ck_assert_int_eq(buf[len - 1], '\n');
	ck_assert_int_eq(slabinfo_show(buf, 100), -1);
	for (i = 0; i < 3; i++)
		kfree(p[i]);
}
END_TEST

/* ---- random sequences --------------------------------------------------------------------- */

struct live {
	u8 *p;
	size_t size;
	u8 tag;
};

/* The object still holds its tag in every byte: nothing else wrote there. */
static void check_live(const struct live *l, unsigned int step)
{
	fast_assert_bytes(l->p, l->tag, l->size, "step %u: object %p", step, (void *)l->p);
}

static size_t random_size(struct rnd_state *rnd)
{
	switch (prandom_u32_below(rnd, 4)) {
	case 0:
		return 1 + prandom_u32_below(rnd, 64);
	case 1:
		return 1 + prandom_u32_below(rnd, 512);
	case 2:
		return 1 + prandom_u32_below(rnd, 8192);
	}
	return 1 + prandom_u32_below(rnd, 40000);
}

/* kmalloc, kfree and krealloc at random; every object keeps its own tag. */
static void random_kmalloc(unsigned int steps, bool validate)
{
	struct live live[256], *l;
	struct rnd_state rnd;
	unsigned long before;
	unsigned int i, n = 0, op;
	size_t size;
	u8 *p;

	shrink_kmalloc_caches();
	before = native_free_pages();
	prandom_seed_state(&rnd, 7);
	for (i = 0; i < steps; i++) {
		op = prandom_u32_below(&rnd, 100);
		if (n && (n == ARRAY_SIZE(live) || op < 40)) {
			l = &live[prandom_u32_below(&rnd, n)];
			check_live(l, i);
			kfree(l->p);
			*l = live[--n];
		} else if (n && op < 60) {
			l = &live[prandom_u32_below(&rnd, n)];
			size = random_size(&rnd);
			p = krealloc(l->p, size, GFP_KERNEL);
			fast_assert_ptr_nonnull(p);
			l->p = p;
			l->size = min(l->size, size);
			check_live(l, i);
			l->size = size;
			memset(p, l->tag, size);
		} else {
			l = &live[n++];
			l->size = random_size(&rnd);
			l->p = kmalloc(l->size, GFP_KERNEL);
			fast_assert_ptr_nonnull(l->p);
			fast_assert_uint_ge(ksize(l->p), l->size);
			l->tag = (u8)(i | 1);
			memset(l->p, l->tag, l->size);
		}
		if (validate && i % 500 == 0)
			fast_assert_int_eq(kmem_cache_validate(kmalloc_slab(64, GFP_KERNEL)), 0);
	}
	while (n) {
		l = &live[--n];
		check_live(l, steps);
		kfree(l->p);
	}
	ck_assert_uint_eq(native_slab_report_count, 0);
	shrink_kmalloc_caches();
	ck_assert_uint_eq(native_free_pages(), before);
}

START_TEST(test_random)
{
	random_kmalloc(30000, false);
}
END_TEST

START_TEST(test_random_debug)
{
	random_kmalloc(10000, true);
}
END_TEST

static Suite *kmalloc_suite(void)
{
	Suite *s = suite_create("kmalloc");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, native_mm_machine_exit);
	tcase_add_test(tc, test_size_classes);
	tcase_add_test(tc, test_constant_sizes);
	tcase_add_test(tc, test_dma);
	tcase_add_test(tc, test_zero_size);
	tcase_add_test(tc, test_large);
	tcase_add_test(tc, test_large_bad_free);
	tcase_add_test(tc, test_kfree_page);
	tcase_add_test(tc, test_double_kfree);
	tcase_add_test(tc, test_array);
	tcase_add_test(tc, test_kzalloc);
	tcase_add_test(tc, test_ksize_unlocks_slack);
	tcase_add_test(tc, test_krealloc_grow_in_place);
	tcase_add_test(tc, test_krealloc_move);
	tcase_add_test(tc, test_krealloc_edges);
	tcase_add_test(tc, test_krealloc_failure_keeps_object);
	tcase_add_test(tc, test_slabinfo);
	tcase_add_test(tc, test_random);
	suite_add_tcase(s, tc);

	tc = tcase_create("debug");
	tcase_add_checked_fixture(tc, setup_debug, native_mm_machine_exit);
	tcase_add_test(tc, test_kzalloc_debug);
	tcase_add_test(tc, test_kmalloc_slack_write);
	tcase_add_test(tc, test_ksize_unlocks_slack);
	tcase_add_test(tc, test_krealloc_shrink_redzone);
	tcase_add_test(tc, test_krealloc_grow_in_place_debug);
	tcase_add_test(tc, test_krealloc_move);
	tcase_add_test(tc, test_random_debug);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(kmalloc_suite)
