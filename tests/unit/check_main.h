/* SPDX-License-Identifier: MIT */
/*
 * Each unit-test file is one binary: CHECK_MAIN(suite_fn) or
 * CHECK_MAIN_NOFORK(suite_fn) supplies main().
 *
 * CHECK_MAIN runs each test in a process of its own (Check's fork mode).
 * The guest mm code keeps its state in globals, so each test needs a fresh
 * machine, and a crash, an abort() or a sanitizer report in one test is
 * then that test's error while the others still run.
 *
 * CHECK_MAIN_NOFORK runs the tests one after the other in one process, for
 * tests of host code that keep nothing from one test to the next.  A
 * process per test is not free: under ASan, LeakSanitizer checks each one
 * as it exits, some 40 ms a test on a small machine, more than all the
 * tests of those files take.  Leaks are still found, once for the whole
 * binary as it exits, and a crash still fails the binary (the runner
 * counts it); the tests after it just do not run.  CK_FORK=yes in the
 * environment brings the process per test back, to isolate such a crash.
 *
 * No test has a speed limit.  Check's default of 4 s per test is one that
 * a slow or busy machine can hit, so main() makes the default a hang guard
 * of ten minutes instead; CK_DEFAULT_TIMEOUT from the environment still
 * wins.  It is set before the suite is built because tcase_create() reads
 * it.  A slow test is to be made fast, not given a bigger limit.
 *
 * The output follows CK_VERBOSITY (CK_ENV), "normal" by default.
 * tests/run-unit.sh also sets CK_TAP_LOG_FILE_NAME=-: a TAP line per test
 * on stdout, right after whatever the test printed, so that the messages
 * a failing test provoked can be shown with its failure.
 */
#ifndef TESTS_CHECK_MAIN_H
#define TESTS_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

#define CHECK_HANG_GUARD	"600"	/* seconds */

static inline int check_main(Suite *suite, enum fork_status fork)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(suite);
	if (!getenv("CK_FORK"))
		srunner_set_fork_status(sr, fork);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#define CHECK_MAIN_(suite_fn, fork)					\
	int main(void)							\
	{								\
		setenv("CK_DEFAULT_TIMEOUT", CHECK_HANG_GUARD, 0);	\
		return check_main(suite_fn(), fork);			\
	}

#define CHECK_MAIN(suite_fn)		CHECK_MAIN_(suite_fn, CK_FORK)
#define CHECK_MAIN_NOFORK(suite_fn)	CHECK_MAIN_(suite_fn, CK_NOFORK)

#endif
