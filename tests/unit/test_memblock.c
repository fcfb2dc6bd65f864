// SPDX-License-Identifier: MIT
/*
 * memblock, natively.  Every test runs in its own forked process (Check's
 * default), so the static region arrays start empty each time.
 */
#include <signal.h>
#include <stdlib.h>

#include <asm/page.h>
#include <linux/kernel.h>
#include <linux/memblock.h>

#include "check_main.h"

#define MB(x)	((phys_addr_t)(x) << 20)
#define KB(x)	((phys_addr_t)(x) << 10)

static void assert_region(const struct memblock_type *type, unsigned long i,
			  phys_addr_t base, phys_addr_t size)
{
	ck_assert_uint_lt(i, type->cnt);
	ck_assert_uint_eq(type->regions[i].base, base);
	ck_assert_uint_eq(type->regions[i].size, size);
}

START_TEST(test_add_sorts_and_merges)
{
	struct memblock_type *mem = &memblock.memory;

	memblock_add(MB(8), MB(4));
	memblock_add(MB(0), MB(2));
	ck_assert_uint_eq(mem->cnt, 2);
	assert_region(mem, 0, MB(0), MB(2));
	assert_region(mem, 1, MB(8), MB(4));
	/* Touching on the left: merged. */
	memblock_add(MB(2), MB(1));
	ck_assert_uint_eq(mem->cnt, 2);
	assert_region(mem, 0, MB(0), MB(3));
	/* Bridging the gap and overlapping both: one region. */
	memblock_add(MB(1), MB(9));
	ck_assert_uint_eq(mem->cnt, 1);
	assert_region(mem, 0, MB(0), MB(12));
	/* Contained: nothing changes. */
	memblock_add(MB(4), MB(1));
	ck_assert_uint_eq(mem->cnt, 1);
	assert_region(mem, 0, MB(0), MB(12));
	ck_assert_uint_eq(memblock_phys_mem_size(), MB(12));
	/* Size 0 is a no-op; a size past the top is cut at the top. */
	memblock_add(MB(20), 0);
	ck_assert_uint_eq(mem->cnt, 1);
	memblock_add(~(phys_addr_t)0 - KB(4) + 1, MB(1));
	ck_assert_uint_eq(mem->cnt, 2);
	assert_region(mem, 1, ~(phys_addr_t)0 - KB(4) + 1, KB(4) - 1);
	ck_assert_uint_eq(memblock_start_of_DRAM(), 0);
	ck_assert_uint_eq(memblock_end_of_DRAM(), ~(phys_addr_t)0);
}
END_TEST

START_TEST(test_add_many_then_merge_all)
{
	struct memblock_type *mem = &memblock.memory;
	int i;

	for (i = 0; i < INIT_MEMBLOCK_REGIONS; i++)
		memblock_add(MB(2 * i), MB(1));
	ck_assert_uint_eq(mem->cnt, INIT_MEMBLOCK_REGIONS);
	ck_assert_uint_eq(memblock_phys_mem_size(), MB(INIT_MEMBLOCK_REGIONS));
	memblock_add(MB(1), MB(2 * INIT_MEMBLOCK_REGIONS));
	ck_assert_uint_eq(mem->cnt, 1);
	assert_region(mem, 0, 0, MB(2 * INIT_MEMBLOCK_REGIONS + 1));
	ck_assert_uint_eq(memblock_phys_mem_size(), MB(2 * INIT_MEMBLOCK_REGIONS + 1));
}
END_TEST

/* One region too many is a boot bug: panic (abort, natively). */
START_TEST(test_overflow_panics)
{
	int i;

	for (i = 0; i <= INIT_MEMBLOCK_REGIONS; i++)
		memblock_reserve(MB(2 * i), MB(1));
}
END_TEST

START_TEST(test_reserve_merges)
{
	struct memblock_type *rsv = &memblock.reserved;

	memblock_reserve(KB(4), KB(4));
	memblock_reserve(KB(12), KB(4));
	memblock_reserve(KB(8), KB(4));
	ck_assert_uint_eq(rsv->cnt, 1);
	assert_region(rsv, 0, KB(4), KB(12));
	ck_assert_uint_eq(memblock_reserved_size(), KB(12));
	/* Reserving outside memory is allowed (the host may describe holes). */
	memblock_reserve(MB(100), 1);
	ck_assert_uint_eq(rsv->cnt, 2);
	ck_assert_uint_eq(memblock.memory.cnt, 0);
}
END_TEST

struct range {
	phys_addr_t start, end;
};

static int free_ranges(struct range *out, int max)
{
	phys_addr_t start, end;
	int n = 0;
	u64 i;

	for_each_free_mem_range(i, &start, &end) {
		ck_assert_int_lt(n, max);
		out[n++] = (struct range){ start, end };
	}
	return n;
}

START_TEST(test_free_range_iteration)
{
	struct range r[8];

	memblock_add(0, MB(16));
	memblock_add(MB(32), MB(16));
	memblock_reserve(0, KB(4));
	memblock_reserve(MB(1), MB(1));
	memblock_reserve(MB(15), MB(18));	/* spans the hole */
	memblock_reserve(MB(40), MB(100));	/* runs past the end */
	ck_assert_int_eq(free_ranges(r, 8), 3);
	ck_assert_uint_eq(r[0].start, KB(4));
	ck_assert_uint_eq(r[0].end, MB(1));
	ck_assert_uint_eq(r[1].start, MB(2));
	ck_assert_uint_eq(r[1].end, MB(15));
	ck_assert_uint_eq(r[2].start, MB(33));
	ck_assert_uint_eq(r[2].end, MB(40));
}
END_TEST

START_TEST(test_free_range_cases)
{
	struct range r[8];

	/* No memory: nothing. */
	ck_assert_int_eq(free_ranges(r, 8), 0);
	/* Nothing reserved: each memory region whole. */
	memblock_add(MB(1), MB(1));
	memblock_add(MB(4), MB(1));
	ck_assert_int_eq(free_ranges(r, 8), 2);
	ck_assert_uint_eq(r[1].start, MB(4));
	ck_assert_uint_eq(r[1].end, MB(5));
	/* Several reserved regions inside one memory region, and one between two. */
	memblock_reserve(MB(1) + KB(4), KB(4));
	memblock_reserve(MB(1) + KB(16), KB(4));
	memblock_reserve(MB(3), KB(4));
	ck_assert_int_eq(free_ranges(r, 8), 4);
	ck_assert_uint_eq(r[0].start, MB(1));
	ck_assert_uint_eq(r[0].end, MB(1) + KB(4));
	ck_assert_uint_eq(r[1].start, MB(1) + KB(8));
	ck_assert_uint_eq(r[1].end, MB(1) + KB(16));
	ck_assert_uint_eq(r[2].start, MB(1) + KB(20));
	ck_assert_uint_eq(r[2].end, MB(2));
	ck_assert_uint_eq(r[3].start, MB(4));
	/* Everything reserved: nothing free. */
	memblock_reserve(0, MB(8));
	ck_assert_int_eq(free_ranges(r, 8), 0);
}
END_TEST

START_TEST(test_alloc_top_down)
{
	memblock_add(0, MB(64));
	ck_assert_uint_eq(memblock_phys_alloc(KB(4), KB(4)), MB(64) - KB(4));
	ck_assert_uint_eq(memblock_phys_alloc(KB(4), KB(4)), MB(64) - KB(8));
	/* Allocations join the reserved region below them. */
	ck_assert_uint_eq(memblock.reserved.cnt, 1);
	assert_region(&memblock.reserved, 0, MB(64) - KB(8), KB(8));
	/* Alignment: the highest aligned fit, gaps left behind stay free. */
	ck_assert_uint_eq(memblock_phys_alloc(100, MB(1)), MB(63));
	ck_assert_uint_eq(memblock.reserved.cnt, 2);
	/* align 0: a cache line, as in Linux. */
	ck_assert_uint_eq(memblock_phys_alloc(10, 0), MB(64) - KB(8) - 64);
	/* Size 0 allocates nothing. */
	ck_assert_uint_eq(memblock_phys_alloc(0, KB(4)), 0);
}
END_TEST

START_TEST(test_alloc_skips_reserved)
{
	memblock_add(0, MB(4));
	memblock_reserve(MB(3), MB(1));
	memblock_reserve(MB(2) + KB(8), KB(4));
	/* [2M+12K, 3M) is too small for 1 MiB; [4K.. 2M+8K) is not. */
	ck_assert_uint_eq(memblock_phys_alloc(MB(1), KB(4)), MB(1) + KB(8));
	ck_assert_uint_eq(memblock_phys_alloc(KB(8), KB(4)), MB(3) - KB(8));
}
END_TEST

START_TEST(test_alloc_limit)
{
	memblock_add(0, MB(64));
	memblock_set_current_limit(MB(16));
	ck_assert_uint_eq(memblock_phys_alloc(KB(4), KB(4)), MB(16) - KB(4));
	/* A limit inside a page: the fit ends below it. */
	memblock_set_current_limit(MB(8) + 100);
	ck_assert_uint_eq(memblock_phys_alloc(KB(4), KB(4)), MB(8) - KB(4));
	memblock_set_current_limit(MEMBLOCK_ALLOC_ANYWHERE);
	ck_assert_uint_eq(memblock_phys_alloc(KB(4), KB(4)), MB(64) - KB(4));
}
END_TEST

START_TEST(test_alloc_exhaustion)
{
	memblock_add(0, KB(64));
	/* The first page is never handed out: 0 means failure. */
	ck_assert_uint_eq(memblock_phys_alloc(KB(64), KB(4)), 0);
	ck_assert_uint_eq(memblock_phys_alloc(KB(60), KB(4)), KB(4));
	ck_assert_uint_eq(memblock_phys_alloc(1, 1), 0);
	ck_assert_uint_eq(memblock_reserved_size(), KB(60));
	/* Nothing was reserved by the failures. */
	ck_assert_uint_eq(memblock.reserved.cnt, 1);
}
END_TEST

START_TEST(test_alloc_raw)
{
	static unsigned char phys[KB(64)];
	void *p;

	native_phys_base = phys;
	memblock_add(0, sizeof(phys));
	p = memblock_alloc_raw(KB(4), KB(4));
	ck_assert_ptr_eq(p, phys + KB(60));
	ck_assert_uint_eq(__pa(p), KB(60));
	memblock_reserve(0, KB(60));
	ck_assert_ptr_null(memblock_alloc_raw(1, 1));
}
END_TEST

START_TEST(test_alloc_after_release_panics)
{
	memblock_add(0, MB(1));
	memblock.released = true;
	memblock_phys_alloc(KB(4), KB(4));
}
END_TEST

static Suite *memblock_suite(void)
{
	Suite *s = suite_create("memblock");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_add_sorts_and_merges);
	tcase_add_test(tc, test_add_many_then_merge_all);
	tcase_add_test_raise_signal(tc, test_overflow_panics, SIGABRT);
	tcase_add_test(tc, test_reserve_merges);
	tcase_add_test(tc, test_free_range_iteration);
	tcase_add_test(tc, test_free_range_cases);
	tcase_add_test(tc, test_alloc_top_down);
	tcase_add_test(tc, test_alloc_skips_reserved);
	tcase_add_test(tc, test_alloc_limit);
	tcase_add_test(tc, test_alloc_exhaustion);
	tcase_add_test(tc, test_alloc_raw);
	tcase_add_test_raise_signal(tc, test_alloc_after_release_panics, SIGABRT);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(memblock_suite)
