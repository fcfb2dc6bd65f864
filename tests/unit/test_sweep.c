// SPDX-License-Identifier: MIT
/*
 * A sweep's verdicts: each outcome from results made up the way a run's
 * epilogue reports them, the order in which the worst one wins, and the
 * reproducer lines a shell must read back as the same words.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_fast.h"
#include "check_main.h"
#include "host/sweep/outcome.h"

static struct sweep_result base(void)
{
	struct sweep_result r = {
		.measured = 1, .free_pages = 10000, .nr_caches = 2,
		.caches = { { "kmalloc-64", 40 }, { "vm_area_struct", 7 } },
	};

	return r;
}

static enum sweep_outcome verdict(const struct sweep_result *run, char *why)
{
	struct sweep_result b = base();

	return sweep_classify(&b, run, why, SWEEP_TEXT_LEN);
}

START_TEST(test_handled)
{
	struct sweep_result r = base();
	char why[SWEEP_TEXT_LEN];

	r.injected = 1;
	ck_assert_int_eq(verdict(&r, why), SWEEP_HANDLED);
	/* More free memory than without the failure (a kmalloc that failed) is no leak. */
	r.free_pages += 3;
	r.caches[0].active--;
	ck_assert_int_eq(verdict(&r, why), SWEEP_HANDLED);
	ck_assert_str_eq(why, "");
}
END_TEST

START_TEST(test_changed)
{
	struct sweep_result r = base();
	char why[SWEEP_TEXT_LEN];

	r.exit_status = 1;
	r.expects_failed = 2;
	ck_assert_int_eq(verdict(&r, why), SWEEP_CHANGED);
	ck_assert_str_eq(why, "2 expectations failed");
}
END_TEST

START_TEST(test_leaked_pages_and_objects)
{
	struct sweep_result r = base();
	char why[SWEEP_TEXT_LEN];

	r.free_pages -= 2;
	ck_assert_int_eq(verdict(&r, why), SWEEP_LEAKED);
	ck_assert_str_eq(why, "2 pages");
	r.caches[1].active += 1;
	ck_assert_int_eq(verdict(&r, why), SWEEP_LEAKED);
	ck_assert_str_eq(why, "vm_area_struct +1 objects, 2 pages");
	/* A cache the run without the failure did not have counts from zero. */
	r = base();
	r.nr_caches = 3;
	strcpy(r.caches[2].name, "anon_vma");
	r.caches[2].active = 1;
	ck_assert_int_eq(verdict(&r, why), SWEEP_LEAKED);
	ck_assert_str_eq(why, "anon_vma +1 objects");
	/* A leak outranks a failed expectation. */
	r.expects_failed = 1;
	r.exit_status = 1;
	ck_assert_int_eq(verdict(&r, why), SWEEP_LEAKED);
	/* Not measured (the guest died first): no leak verdict from stale numbers. */
	r = base();
	r.measured = 0;
	r.free_pages = 0;
	ck_assert_int_eq(verdict(&r, why), SWEEP_HANDLED);
}
END_TEST

START_TEST(test_broken)
{
	struct sweep_result r = base();
	char why[SWEEP_TEXT_LEN];

	r.findings = 1;
	r.free_pages = 1;	/* and a leak: broken wins */
	strcpy(r.detail, "free-mapped: pfn 0x1234");
	ck_assert_int_eq(verdict(&r, why), SWEEP_BROKEN);
	ck_assert_str_eq(why, "check: free-mapped: pfn 0x1234");
	r = base();
	r.bad_pages = 1;
	ck_assert_int_eq(verdict(&r, why), SWEEP_BROKEN);
	ck_assert_str_eq(why, "1 bad-page reports");
	r = base();
	r.slab_reports = 3;
	ck_assert_int_eq(verdict(&r, why), SWEEP_BROKEN);
	ck_assert_str_eq(why, "3 slab reports");
}
END_TEST

/* Findings the run without the failure had too are the scenario's, not the failure's. */
START_TEST(test_broken_is_relative)
{
	struct sweep_result b = base(), r = base();
	char why[SWEEP_TEXT_LEN];

	b.findings = r.findings = 1;
	b.slab_reports = r.slab_reports = 2;
	ck_assert_int_eq(sweep_classify(&b, &r, why, sizeof(why)), SWEEP_HANDLED);
	/* Right after the failing statement, against the base run after the same statement. */
	b.stmt_findings[4] = 2;
	r.stmt = 4;
	r.mid_findings = 2;
	ck_assert_int_eq(sweep_classify(&b, &r, why, sizeof(why)), SWEEP_HANDLED);
	r.mid_findings = 3;
	strcpy(r.detail, "rss: A counts 3 anonymous pages, maps 2");
	ck_assert_int_eq(sweep_classify(&b, &r, why, sizeof(why)), SWEEP_BROKEN);
	ck_assert_str_eq(why, "check: rss: A counts 3 anonymous pages, maps 2");
	/* Past the statements the base run kept: any finding counts. */
	r.stmt = SWEEP_MAX_STMTS;
	r.mid_findings = 1;
	ck_assert_int_eq(sweep_classify(&b, &r, why, sizeof(why)), SWEEP_BROKEN);
}
END_TEST

START_TEST(test_crashed_and_hung)
{
	struct sweep_result r = base();
	char why[SWEEP_TEXT_LEN];

	r.exit_status = 3;
	r.findings = 5;
	strcpy(r.detail, "oops: page fault at 0x8 in dup_mmap+0x42");
	ck_assert_int_eq(verdict(&r, why), SWEEP_CRASHED);
	ck_assert_str_eq(why, "oops: page fault at 0x8 in dup_mmap+0x42");
	r.exit_status = 4;
	ck_assert_int_eq(verdict(&r, why), SWEEP_HUNG);
	ck_assert_str_eq(sweep_outcome_name(SWEEP_HUNG), "hung");
	ck_assert_str_eq(sweep_outcome_name(SWEEP_OUTCOME_NR), "?");
}
END_TEST

/* A reproducer, run through sh -c, must hand vmm exactly these words. */
static void assert_shell_words(const char *line, const char *file)
{
	char cmd[1024], out[512], want[512];
	FILE *p;
	size_t n;

	/* Replace "vmm run" by printf so the shell shows the words it made. */
	ck_assert(!strncmp(line, "vmm run ", 8));
	snprintf(cmd, sizeof(cmd), "printf '[%%s]' %s", line + 8);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	ck_assert_int_eq(pclose(p), 0);
	snprintf(want, sizeof(want), "[--inject][fail_page_alloc nth=17][%s]", file);
	ck_assert_str_eq(out, want);
}

START_TEST(test_reproducer)
{
	static const char *const files[] = {
		"tests/scenarios/proc-fork-cow.vmm", "my tests/it's $HOME.vmm", "a\"b\\c`d`.vmm",
		"'", "x;rm -rf y",
	};
	char line[256];

	ck_assert_int_eq(sweep_reproducer(line, sizeof(line), "fail_page_alloc", 17, 0, 0,
					  files[0]), 0);
	ck_assert_str_eq(line, "vmm run --inject 'fail_page_alloc nth=17' "
			 "tests/scenarios/proc-fork-cow.vmm");
	ck_assert_int_eq(sweep_reproducer(line, sizeof(line), "fail_page_alloc", 17, 0, 0,
					  files[1]), 0);
	ck_assert_str_eq(line, "vmm run --inject 'fail_page_alloc nth=17' "
			 "'my tests/it'\\''s $HOME.vmm'");
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		ck_assert_int_eq(sweep_reproducer(line, sizeof(line), "fail_page_alloc", 17, 0, 0,
						  files[i]), 0);
		assert_shell_words(line, files[i]);
	}
	/* Too small a buffer is an error, never a truncated command. */
	ck_assert_int_eq(sweep_reproducer(line, 20, "fail_page_alloc", 17, 0, 0, files[0]), -1);
	ck_assert_int_eq(sweep_reproducer(line, 50, "fail_page_alloc", 17, 0, 0, files[1]), -1);
	/* A sweep of some lines is repeated by the sweep itself, for that run alone. */
	ck_assert_int_eq(sweep_reproducer(line, sizeof(line), "failslab", 3, 8, 12, files[1]), 0);
	ck_assert_str_eq(line, "vmm sweep --attr failslab --lines 8-12 --nth 3 "
			 "'my tests/it'\\''s $HOME.vmm'");
}
END_TEST

static Suite *sweep_suite(void)
{
	Suite *s = suite_create("sweep");
	TCase *tc = tcase_create("outcome");

	tcase_add_test(tc, test_handled);
	tcase_add_test(tc, test_changed);
	tcase_add_test(tc, test_leaked_pages_and_objects);
	tcase_add_test(tc, test_broken);
	tcase_add_test(tc, test_broken_is_relative);
	tcase_add_test(tc, test_crashed_and_hung);
	tcase_add_test(tc, test_reproducer);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN_NOFORK(sweep_suite)
