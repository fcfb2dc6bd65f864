// SPDX-License-Identifier: MIT
/*
 * The CI configurations in ci/ (docs/ci.md) are checked before anyone
 * copies them: yamllint with ci/yamllint.yml, strict, over every one of
 * them, then tests/unit/ci_check.py for what a linter cannot see (a job's
 * `needs:` naming a job that is not there, a stage not in `stages:`).  Both
 * are shown to refuse a broken configuration too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"

#define CONFIGS		"ci/github/vmm-test.yml ci/gitlab/vmm-test.gitlab-ci.yml"

static int sh(const char *fmt, const char *arg)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), fmt, arg);
	return system(cmd);
}

START_TEST(configs_pass_yamllint)
{
	ck_assert_int_eq(sh("yamllint --strict -c ci/yamllint.yml %s ci/yamllint.yml", CONFIGS), 0);
}
END_TEST

START_TEST(configs_name_only_jobs_and_stages_they_have)
{
	ck_assert_int_eq(sh("tests/unit/ci_check.py %s", CONFIGS), 0);
}
END_TEST

static char broken[64];

static void write_broken(const char *text)
{
	FILE *f;

	strcpy(broken, "/tmp/test_ci.XXXXXX");
	ck_assert_int_ge(mkstemp(broken), 0);
	f = fopen(broken, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(yamllint_refuses_a_broken_config)
{
	/* A key twice: YAML loaders keep the last and say nothing. */
	write_broken("---\njobs:\n  test:\n    runs-on: a\n    runs-on: b\n");
	ck_assert_int_ne(sh("yamllint --strict -c ci/yamllint.yml %s >/dev/null", broken), 0);
	unlink(broken);
}
END_TEST

START_TEST(ci_check_refuses_a_missing_job)
{
	write_broken("---\nstages: [a]\nx:\n  stage: b\n  needs: [y]\n  script: [true]\n");
	ck_assert_int_ne(sh("tests/unit/ci_check.py %s >/dev/null", broken), 0);
	unlink(broken);
	write_broken("---\njobs:\n  test:\n    runs-on: a\n    needs: plan\n");
	ck_assert_int_ne(sh("tests/unit/ci_check.py %s >/dev/null", broken), 0);
	unlink(broken);
}
END_TEST

static Suite *ci_suite(void)
{
	Suite *s = suite_create("ci");
	TCase *tc = tcase_create("ci");

	tcase_add_test(tc, configs_pass_yamllint);
	tcase_add_test(tc, configs_name_only_jobs_and_stages_they_have);
	tcase_add_test(tc, yamllint_refuses_a_broken_config);
	tcase_add_test(tc, ci_check_refuses_a_missing_job);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN_NOFORK(ci_suite)
