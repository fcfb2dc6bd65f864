// SPDX-License-Identifier: MIT
/* should_fail() and the seeded generator behind it, natively. */
#include <string.h>

#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/random.h>

#include "check_fast.h"
#include "check_main.h"

static struct fault_attr attr = FAULT_ATTR_INITIALIZER("test");

static void configure(struct fault_config cfg)
{
	fault_attr_configure(&attr, &cfg);
}

/* Calls should_fail n times; returns a bit per call (bit i: call i + 1 failed). */
static u64 run(int n, ssize_t size, const struct fault_site *site)
{
	u64 bits = 0;
	int i;

	for (i = 0; i < n; i++)
		if (should_fail_ex(&attr, size, site))
			bits |= 1ULL << i;
	return bits;
}

START_TEST(test_defaults_off)
{
	ck_assert(!fault_attr_armed(&attr));
	ck_assert_uint_eq(run(64, 1, NULL), 0);
	ck_assert_uint_eq(attr.interval, 1);
	ck_assert_int_eq(attr.times, 1);
}
END_TEST

START_TEST(test_probability_0_and_100)
{
	configure((struct fault_config){ .probability = 0, .times = -1 });
	ck_assert(!fault_attr_armed(&attr));
	ck_assert_uint_eq(run(64, 1, NULL), 0);
	configure((struct fault_config){ .probability = 100, .times = -1 });
	ck_assert(fault_attr_armed(&attr));
	ck_assert_uint_eq(run(64, 1, NULL), ~0ULL);
	ck_assert_uint_eq(attr.failures, 64);
	/* Out of range is clamped to 100. */
	configure((struct fault_config){ .probability = 1000, .times = -1 });
	ck_assert_uint_eq(attr.probability, 100);
}
END_TEST

START_TEST(test_times)
{
	configure((struct fault_config){ .probability = 100, .times = 3 });
	ck_assert_uint_eq(run(10, 1, NULL), 0x7);
	ck_assert_int_eq(attr.times, 0);
	/* times 0: nothing left, even at 100%. */
	configure((struct fault_config){ .probability = 100, .times = 0 });
	ck_assert_uint_eq(run(10, 1, NULL), 0);
}
END_TEST

START_TEST(test_interval)
{
	configure((struct fault_config){ .probability = 100, .interval = 4, .times = -1 });
	/* Calls 4, 8, 12, 16: bits 3, 7, 11, 15. */
	ck_assert_uint_eq(run(16, 1, NULL), 0x8888);
	/* interval 0 or 1: every call. */
	configure((struct fault_config){ .probability = 100, .interval = 0, .times = -1 });
	ck_assert_uint_eq(run(8, 1, NULL), 0xff);
}
END_TEST

START_TEST(test_space)
{
	/* 10000 bytes let through: 4096 + 4096 pass, the third call fails. */
	configure((struct fault_config){ .probability = 100, .space = 10000, .times = -1 });
	ck_assert_uint_eq(run(5, 4096, NULL), 0x1c);
	ck_assert_int_eq(attr.space, 10000 - 2 * 4096);
}
END_TEST

START_TEST(test_nth)
{
	configure((struct fault_config){ .nth = 3 });
	ck_assert(fault_attr_armed(&attr));
	ck_assert_uint_eq(run(10, 1, NULL), 0x4);
	ck_assert(!fault_attr_armed(&attr));
	ck_assert_uint_eq(attr.failures, 1);
}
END_TEST

/* While nth counts down, nothing else may fail; afterwards the rest applies. */
START_TEST(test_nth_overrides_the_rest)
{
	configure((struct fault_config){ .nth = 3, .probability = 100, .times = -1 });
	ck_assert_uint_eq(run(6, 1, NULL), 0x3c);
	/* nth ignores filters, times, space and interval too. */
	configure((struct fault_config){
		.nth = 2, .probability = 100, .times = 0, .space = 1 << 20, .interval = 100,
		.filter = { .min_order = 5 },
	});
	ck_assert_uint_eq(run(4, 1, NULL), 0x2);
	/* ... and still uses up one of times. */
	configure((struct fault_config){ .nth = 1, .times = 2 });
	run(1, 1, NULL);
	ck_assert_int_eq(attr.times, 1);
}
END_TEST

START_TEST(test_filters)
{
	struct fault_site order1 = { .gfp = GFP_KERNEL, .order = 1, .zone = ZONE_NORMAL };
	struct fault_site order2 = { .gfp = GFP_KERNEL, .order = 2, .zone = ZONE_NORMAL };
	struct fault_site atomic = { .gfp = GFP_ATOMIC, .zone = ZONE_NORMAL };
	struct fault_site dma = { .gfp = GFP_DMA, .zone = ZONE_DMA };
	struct fault_site k64 = { .cache = "kmalloc-64" };
	struct fault_site k128 = { .cache = "kmalloc-128" };

	configure((struct fault_config){ .probability = 100, .times = -1,
					 .filter = { .min_order = 2 } });
	ck_assert(!should_fail_ex(&attr, 1, &order1));
	ck_assert(should_fail_ex(&attr, 1, &order2));
	ck_assert(!should_fail(&attr, 1));	/* no site: order 0 */

	configure((struct fault_config){ .probability = 100, .times = -1,
					 .filter = { .gfp_require = __GFP_HIGH } });
	ck_assert(!should_fail_ex(&attr, 1, &order1));
	ck_assert(should_fail_ex(&attr, 1, &atomic));

	configure((struct fault_config){ .probability = 100, .times = -1,
					 .filter = { .gfp_ignore = __GFP_DIRECT_RECLAIM } });
	ck_assert(!should_fail_ex(&attr, 1, &order1));
	ck_assert(should_fail_ex(&attr, 1, &atomic));

	configure((struct fault_config){ .probability = 100, .times = -1,
					 .filter = { .zone_mask = 1U << ZONE_DMA } });
	ck_assert(should_fail_ex(&attr, 1, &dma));
	ck_assert(!should_fail_ex(&attr, 1, &order1));

	configure((struct fault_config){ .probability = 100, .times = -1,
					 .filter = { .cache = "kmalloc-64" } });
	ck_assert(should_fail_ex(&attr, 1, &k64));
	ck_assert(!should_fail_ex(&attr, 1, &k128));
	ck_assert(!should_fail_ex(&attr, 1, &order1));
	ck_assert(!should_fail(&attr, 1));

	/* cache-filter: only caches marked SLAB_FAILSLAB (slab_debug=A). */
	k64.cache_failslab = true;
	configure((struct fault_config){ .probability = 100, .times = -1,
					 .filter = { .cache_filter = true } });
	ck_assert(should_fail_ex(&attr, 1, &k64));
	ck_assert(!should_fail_ex(&attr, 1, &k128));
	ck_assert(!should_fail(&attr, 1));

	/* Unset filters match everything, with or without a site. */
	configure((struct fault_config){ .probability = 100, .times = -1 });
	ck_assert(should_fail(&attr, 1));
	ck_assert(should_fail_ex(&attr, 1, &k128));
}
END_TEST

/*
 * Each stage that says "no" leaves the state of the later ones alone:
 * nth, probability 0, filters, times, space, interval, random.
 */
START_TEST(test_decision_order)
{
	struct fault_site small = { .order = 0 };
	struct rnd_state before;

	/* probability 0: times, space, interval untouched. */
	configure((struct fault_config){ .times = 5, .space = 100, .interval = 3 });
	run(10, 1, NULL);
	ck_assert_int_eq(attr.times, 5);
	ck_assert_int_eq(attr.space, 100);
	ck_assert_uint_eq(attr.count, 0);

	/* filters before times, space and interval. */
	configure((struct fault_config){ .probability = 100, .times = 5, .space = 100,
					 .interval = 3, .filter = { .min_order = 1 } });
	run(10, 1, &small);
	ck_assert_int_eq(attr.times, 5);
	ck_assert_int_eq(attr.space, 100);
	ck_assert_uint_eq(attr.count, 0);

	/* times before space. */
	configure((struct fault_config){ .probability = 100, .times = 0, .space = 100 });
	run(10, 1, NULL);
	ck_assert_int_eq(attr.space, 100);

	/* space before interval. */
	configure((struct fault_config){ .probability = 100, .times = -1, .space = 100,
					 .interval = 3 });
	ck_assert_uint_eq(run(2, 10, NULL), 0);
	ck_assert_int_eq(attr.space, 80);
	ck_assert_uint_eq(attr.count, 0);

	/* interval before random: skipped calls draw no random number. */
	configure((struct fault_config){ .probability = 50, .times = -1, .interval = 4,
					 .seed = 9 });
	before = attr.rnd;
	run(3, 1, NULL);
	ck_assert_mem_eq(&attr.rnd, &before, sizeof(before));
	run(1, 1, NULL);
	ck_assert_mem_ne(&attr.rnd, &before, sizeof(before));
}
END_TEST

/* The same seed gives the same failures; the rate is about the probability. */
START_TEST(test_random_deterministic)
{
	u64 a[16], b[16];
	int i, fails = 0;

	configure((struct fault_config){ .probability = 30, .times = -1, .seed = 42 });
	for (i = 0; i < 16; i++)
		a[i] = run(64, 1, NULL);
	configure((struct fault_config){ .probability = 30, .times = -1, .seed = 42 });
	for (i = 0; i < 16; i++) {
		b[i] = run(64, 1, NULL);
		fails += __builtin_popcountll(b[i]);
	}
	ck_assert_mem_eq(a, b, sizeof(a));
	ck_assert_int_gt(fails, 1024 * 25 / 100);
	ck_assert_int_lt(fails, 1024 * 35 / 100);
	configure((struct fault_config){ .probability = 30, .times = -1, .seed = 43 });
	for (i = 0; i < 16; i++)
		b[i] = run(64, 1, NULL);
	ck_assert_mem_ne(a, b, sizeof(a));
}
END_TEST

START_TEST(test_prandom)
{
	struct rnd_state s1, s2;
	u32 hist[10] = { 0 };
	int i;

	prandom_seed_state(&s1, 0);
	prandom_seed_state(&s2, 0);
	for (i = 0; i < 1000; i++)
		fast_assert_uint_eq(prandom_u32_state(&s1), prandom_u32_state(&s2));
	/* Seed 0 is not degenerate, and below(n) stays below n, roughly evenly. */
	ck_assert_uint_ne(prandom_u32_state(&s1) | prandom_u32_state(&s1), 0);
	for (i = 0; i < 100000; i++)
		hist[prandom_u32_below(&s1, 10)]++;
	for (i = 0; i < 10; i++) {
		ck_assert_uint_gt(hist[i], 9500);
		ck_assert_uint_lt(hist[i], 10500);
	}
	ck_assert_uint_eq(prandom_u32_below(&s1, 1), 0);
	prandom_seed_state(&s2, 1);
	ck_assert_uint_ne(prandom_u32_state(&s1), prandom_u32_state(&s2));
}
END_TEST

START_TEST(test_verbose_and_nowarn)
{
	struct fault_site quiet = { .gfp = GFP_KERNEL | __GFP_NOWARN };

	configure((struct fault_config){ .probability = 100, .times = -1, .verbose = 1 });
	ck_assert(should_fail(&attr, 1));	/* prints a notice */
	ck_assert(should_fail_ex(&attr, 1, &quiet));	/* prints nothing */
	ck_assert_uint_eq(attr.failures, 2);
}
END_TEST

/* Linux's fail-nth: the task's nth call fails, on any attribute, armed or not. */
START_TEST(test_task_fail_nth)
{
	struct fault_attr other = FAULT_ATTR_INITIALIZER("other");
	struct fail_task a = { 0 }, b = { 0 };

	configure((struct fault_config){ 0 });
	ck_assert(!fault_attr_armed(&attr));
	fail_nth_set(&a, 3);
	ck_assert_uint_eq(fail_nth_tasks, 1);
	ck_assert(fault_attr_armed(&attr) && fault_attr_armed(&other));
	/* Calls for another task, or for none, do not count. */
	fault_current = &b;
	ck_assert_uint_eq(run(4, 1, NULL), 0);
	fault_current = NULL;
	ck_assert_uint_eq(run(4, 1, NULL), 0);
	fault_current = &a;
	ck_assert(!should_fail(&attr, 1));
	ck_assert(!should_fail(&other, 1));
	ck_assert(should_fail(&attr, 1));
	ck_assert_uint_eq(a.fail_nth, 0);	/* injected: reads 0, as in Linux */
	ck_assert_uint_eq(fail_nth_tasks, 0);
	ck_assert(!fault_attr_armed(&attr));
	ck_assert_uint_eq(attr.failures, 1);
	ck_assert_uint_eq(attr.calls, 10);
	ck_assert_uint_eq(other.calls, 1);
	/* Disarming a pending one keeps the count right. */
	fail_nth_set(&a, 5);
	fail_nth_set(&a, 0);
	ck_assert_uint_eq(fail_nth_tasks, 0);
	fault_current = NULL;
}
END_TEST

/* task-filter: only calls made for a task marked make_it_fail. */
START_TEST(test_task_filter)
{
	struct fail_task marked = { .make_it_fail = true }, plain = { 0 };

	configure((struct fault_config){ .probability = 100, .times = -1,
					 .filter = { .task_filter = true } });
	ck_assert_uint_eq(run(4, 1, NULL), 0);
	fault_current = &plain;
	ck_assert_uint_eq(run(4, 1, NULL), 0);
	fault_current = &marked;
	ck_assert_uint_eq(run(4, 1, NULL), 0xf);
	fault_current = NULL;
	ck_assert_uint_eq(attr.calls, 12);
	ck_assert_uint_eq(attr.failures, 4);
}
END_TEST

static Suite *fault_inject_suite(void)
{
	Suite *s = suite_create("fault_inject");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_defaults_off);
	tcase_add_test(tc, test_probability_0_and_100);
	tcase_add_test(tc, test_times);
	tcase_add_test(tc, test_interval);
	tcase_add_test(tc, test_space);
	tcase_add_test(tc, test_nth);
	tcase_add_test(tc, test_nth_overrides_the_rest);
	tcase_add_test(tc, test_filters);
	tcase_add_test(tc, test_decision_order);
	tcase_add_test(tc, test_random_deterministic);
	tcase_add_test(tc, test_prandom);
	tcase_add_test(tc, test_verbose_and_nowarn);
	tcase_add_test(tc, test_task_fail_nth);
	tcase_add_test(tc, test_task_filter);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(fault_inject_suite)
