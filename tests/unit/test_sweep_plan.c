// SPDX-License-Identifier: MIT
/*
 * Fault-injection plans in words, as `vmm run --inject` and the sweep's
 * reproducer lines write them: every knob, Linux's defaults, and each way
 * a plan can be wrong.
 */
#include <string.h>

#include "check_fast.h"
#include "check_main.h"
#include "host/engine/inject_plan.h"
#include "host/vm/reply.h"

static struct inject_plan plan;
static char why[256];

static int parse(const char *spec)
{
	why[0] = '\0';
	return inject_plan_parse(spec, &plan, why, sizeof(why));
}

START_TEST(test_defaults)
{
	ck_assert_int_eq(parse("failslab"), 0);
	ck_assert_uint_eq(plan.attr, VMM_FAILSLAB);
	ck_assert_uint_eq(plan.cfg.probability, 0);
	ck_assert_uint_eq(plan.cfg.interval, 1);
	ck_assert_int_eq(plan.cfg.times, 1);
	ck_assert_int_eq(plan.cfg.space, 0);
	ck_assert_uint_eq(plan.cfg.nth, 0);
	ck_assert_str_eq(plan.cfg.cache, "");
}
END_TEST

START_TEST(test_every_knob)
{
	ck_assert_int_eq(parse("fail_page_alloc probability=30 interval=2 times=-1 space=0x1000 "
			       "verbose=1 nth=17 min_order=2 ignore_gfp_wait=1 "
			       "ignore_gfp_highmem=1 task_filter=1"), 0);
	ck_assert_uint_eq(plan.attr, VMM_FAIL_PAGE_ALLOC);
	ck_assert_uint_eq(plan.cfg.probability, 30);
	ck_assert_uint_eq(plan.cfg.interval, 2);
	ck_assert_int_eq(plan.cfg.times, -1);
	ck_assert_int_eq(plan.cfg.space, 4096);
	ck_assert_uint_eq(plan.cfg.verbose, 1);
	ck_assert_uint_eq(plan.cfg.nth, 17);
	ck_assert_uint_eq(plan.cfg.min_order, 2);
	ck_assert_uint_eq(plan.cfg.ignore_gfp_wait, 1);
	ck_assert_uint_eq(plan.cfg.ignore_gfp_highmem, 1);
	ck_assert_uint_eq(plan.cfg.task_filter, 1);
	ck_assert_int_eq(parse("failslab\tcache=kmalloc-64  probability=100"), 0);
	ck_assert_str_eq(plan.cfg.cache, "kmalloc-64");
	ck_assert_uint_eq(plan.cfg.cache_filter, 0);
	ck_assert_int_eq(parse("failslab cache_filter=1"), 0);
	ck_assert_uint_eq(plan.cfg.cache_filter, 1);
	ck_assert_int_ne(parse("failslab cache_filter=2"), 0);
	ck_assert_int_eq(parse("fail_vmalloc nth=1"), 0);
	ck_assert_uint_eq(plan.attr, VMM_FAIL_VMALLOC);
	ck_assert_int_eq(parse("fail_vm_area_alloc nth=2"), 0);
	ck_assert_uint_eq(plan.attr, VMM_FAIL_VM_AREA_ALLOC);
	ck_assert_str_eq(inject_attr_name(VMM_FAIL_VM_AREA_ALLOC), "fail_vm_area_alloc");
	ck_assert_str_eq(inject_attr_name(VMM_FAULT_ATTR_NR), "?");
}
END_TEST

START_TEST(test_errors)
{
	ck_assert_int_eq(parse(""), -1);
	ck_assert_int_eq(parse("fail_everything nth=1"), -1);
	ck_assert(strstr(why, "want an attribute first"));
	ck_assert_int_eq(parse("failslab nth"), -1);
	ck_assert_str_eq(why, "'nth': want knob=value");
	ck_assert_int_eq(parse("failslab probability=101"), -1);
	ck_assert_str_eq(why, "probability=101: want a number from 0 to 100");
	ck_assert_int_eq(parse("failslab times=-2"), -1);
	ck_assert_int_eq(parse("failslab nth=12x"), -1);
	ck_assert_int_eq(parse("failslab nth=99999999999999999999"), -1);
	ck_assert_int_eq(parse("failslab space=-1"), -1);
	ck_assert_int_eq(parse("failslab stacktrace_depth=3"), -1);
	ck_assert(strstr(why, "no knob stacktrace_depth"));
	ck_assert_int_eq(parse("failslab cache="), -1);
	ck_assert_int_eq(parse("failslab cache=0123456789012345678901234567890123"), -1);
}
END_TEST

/* The counters' reply: exactly one struct, no more frames than the mailbox holds. */
START_TEST(test_reply_fault_stats)
{
	struct vmm_fault_stats sent = { .calls = 4, .failures = 3, .nr_frames = 2 }, got;
	struct guest_reply r = { .data = (const uint8_t *)&sent, .len = sizeof(sent) };

	ck_assert_int_eq(reply_fault_stats(&r, &got, why, sizeof(why)), 0);
	ck_assert_uint_eq(got.failures, 3);
	sent.nr_frames = VMM_BACKTRACE_DEPTH + 1;
	ck_assert_int_eq(reply_fault_stats(&r, &got, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "17 frames where 16 fit");
	sent.nr_frames = 0;
	r.len--;
	ck_assert_int_eq(reply_fault_stats(&r, &got, why, sizeof(why)), -1);
}
END_TEST

static Suite *plan_suite(void)
{
	Suite *s = suite_create("sweep_plan");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_every_knob);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_reply_fault_stats);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN_NOFORK(plan_suite)
