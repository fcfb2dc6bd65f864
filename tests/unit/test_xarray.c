// SPDX-License-Identifier: MIT
/*
 * The page cache's index (guest/lib/xarray.c), compiled natively: loads,
 * stores, erases and finds against a plain array as the model, the tree
 * growing and shrinking back to nothing (no node left behind), sparse
 * indices far apart, and a store that cannot allocate a node leaving the
 * array exactly as it was (and every node back in the pool).
 */
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <native/mm_machine.h>

#include "check_fast.h"
#include "check_main.h"

#define PHYS_SIZE	(32UL << 20)
#define MODEL_SIZE	5000UL

static void setup(void)
{
	native_mm_machine_init(PHYS_SIZE);
	kmem_cache_init();
}

/* Entries are distinct non-NULL pointers made from the index. */
static void *entry_for(unsigned long index)
{
	return (void *)((index << 4) | 8);
}

START_TEST(test_empty)
{
	struct xarray xa = XARRAY_INIT;
	unsigned long index = 0;

	ck_assert(xa_empty(&xa));
	ck_assert_ptr_null(xa_load(&xa, 0));
	ck_assert_ptr_null(xa_load(&xa, ~0UL));
	ck_assert_ptr_null(xa_erase(&xa, 7));
	ck_assert_ptr_null(xa_find(&xa, &index, ~0UL));
}
END_TEST

/* Index 0 alone needs no node; anything else grows the tree, and erasing shrinks it. */
START_TEST(test_head_entry)
{
	struct xarray xa = XARRAY_INIT;

	ck_assert_int_eq(xa_store(&xa, 0, entry_for(0), GFP_KERNEL), 0);
	ck_assert_uint_eq(xa.xa_nodes, 0);
	ck_assert_ptr_eq(xa_load(&xa, 0), entry_for(0));
	ck_assert_int_eq(xa_store(&xa, 100, entry_for(100), GFP_KERNEL), 0);
	ck_assert_uint_eq(xa.xa_nodes, 3);	/* head, and the leaves of 0 and 100 */
	ck_assert_ptr_eq(xa_load(&xa, 0), entry_for(0));
	ck_assert_ptr_eq(xa_load(&xa, 100), entry_for(100));
	ck_assert_ptr_null(xa_load(&xa, 64));
	ck_assert_ptr_eq(xa_erase(&xa, 100), entry_for(100));
	ck_assert_uint_eq(xa.xa_nodes, 0);
	ck_assert_ptr_eq(xa_load(&xa, 0), entry_for(0));
	ck_assert_ptr_eq(xa_erase(&xa, 0), entry_for(0));
	ck_assert(xa_empty(&xa));
}
END_TEST

/* The largest indices work, and a lone one far out costs one node per level. */
START_TEST(test_sparse)
{
	struct xarray xa = XARRAY_INIT;
	unsigned long index = 1;

	ck_assert_int_eq(xa_store(&xa, ~0UL, entry_for(1), GFP_KERNEL), 0);
	ck_assert_uint_eq(xa.xa_nodes, 11);	/* 64 bits in levels of 6 */
	ck_assert_int_eq(xa_store(&xa, 5, entry_for(5), GFP_KERNEL), 0);
	ck_assert_ptr_eq(xa_load(&xa, ~0UL), entry_for(1));
	ck_assert_ptr_eq(xa_find(&xa, &index, ~0UL), entry_for(5));
	ck_assert_uint_eq(index, 5);
	index = 6;
	ck_assert_ptr_eq(xa_find(&xa, &index, ~0UL), entry_for(1));
	ck_assert_uint_eq(index, ~0UL);
	index = 6;
	ck_assert_ptr_null(xa_find(&xa, &index, ~0UL - 1));
	xa_erase(&xa, ~0UL);
	xa_erase(&xa, 5);
	ck_assert(xa_empty(&xa));
	ck_assert_uint_eq(xa.xa_nodes, 0);
}
END_TEST

/* Random stores and erases against an array; find walks exactly the model's entries. */
START_TEST(test_random_against_model)
{
	static void *model[MODEL_SIZE];
	struct xarray xa = XARRAY_INIT;
	struct rnd_state rnd;
	unsigned long i, index, seen;

	prandom_seed_state(&rnd, 15);
	for (int step = 0; step < 20000; step++) {
		i = prandom_u32_state(&rnd) % MODEL_SIZE;
		if (prandom_u32_state(&rnd) % 3) {
			ck_assert_int_eq(xa_store(&xa, i, entry_for(i), GFP_KERNEL), 0);
			model[i] = entry_for(i);
		} else {
			ck_assert_ptr_eq(xa_erase(&xa, i), model[i]);
			model[i] = NULL;
		}
	}
	for (i = 0; i < MODEL_SIZE + 100; i++)
		if (xa_load(&xa, i) != (i < MODEL_SIZE ? model[i] : NULL))
			ck_abort_msg("index %lu differs from the model", i);
	seen = 0;
	index = 0;
	for (void *e = xa_find(&xa, &index, ~0UL); e; e = xa_find(&xa, &index, ~0UL)) {
		if (index >= MODEL_SIZE || model[index] != e)
			ck_abort_msg("find gave index %lu", index);
		seen++;
		index++;
	}
	for (i = 0; i < MODEL_SIZE; i++)
		seen -= model[i] != NULL;
	ck_assert_uint_eq(seen, 0);
	for (i = 0; i < MODEL_SIZE; i++)
		xa_erase(&xa, i);
	ck_assert(xa_empty(&xa));
	ck_assert_uint_eq(xa.xa_nodes, 0);
}
END_TEST

/*
 * A node allocation that fails leaves the array as it was, with no node
 * more: with the page allocator empty, the pool's first page (7 nodes)
 * cannot hold the 11 levels an index near 2^64 needs.
 */
START_TEST(test_store_enomem)
{
	struct xarray xa = XARRAY_INIT;
	unsigned long nodes;

	ck_assert_int_eq(xa_store(&xa, 3, entry_for(3), GFP_KERNEL), 0);
	nodes = xa.xa_nodes;
	while (alloc_page(GFP_KERNEL))
		;
	ck_assert_int_eq(xa_store(&xa, ~0UL, entry_for(7), GFP_KERNEL), -ENOMEM);
	ck_assert_uint_eq(xa.xa_nodes, nodes);
	ck_assert_ptr_eq(xa_load(&xa, 3), entry_for(3));
	ck_assert_ptr_null(xa_load(&xa, ~0UL));
	xa_destroy(&xa);
	ck_assert_uint_eq(xa.xa_nodes, 0);
}
END_TEST

static Suite *xarray_suite(void)
{
	Suite *s = suite_create("xarray");
	TCase *tc = tcase_create("index");

	tcase_add_checked_fixture(tc, setup, native_mm_machine_exit);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_head_entry);
	tcase_add_test(tc, test_sparse);
	tcase_add_test(tc, test_random_against_model);
	tcase_add_test(tc, test_store_enomem);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(xarray_suite)
