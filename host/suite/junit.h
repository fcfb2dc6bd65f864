/* SPDX-License-Identifier: MIT */
/*
 * The suite's JUnit file, and the merge of several into one.
 *
 * A <testsuite> per accelerator, named after it; in it a <testcase> per
 * case, classname the accelerator and name the scenario's path (with " #K"
 * for a repetition), with <failure> for FAIL, <error> for TIMEOUT and CRASH
 * and <skipped> for SKIP, whose text is the end of the case's log.  Suites
 * and cases are in name order, not in the order they ended, and the totals
 * are sums over the cases, so that the JUnit files of N shards merged are
 * the file of the whole suite run at once (times apart).
 *
 * Merging reads files in exactly the form written here and refuses
 * anything else, or a case found twice, naming FILE:LINE.
 */
#ifndef HOST_SUITE_JUNIT_H
#define HOST_SUITE_JUNIT_H

#include "suite.h"

struct junit_case;

struct junit {
	struct junit_case *c;
	size_t n, cap;
};

void junit_add(struct junit *doc, const struct suite_case *k);
/* Add the cases of a file written by junit_write(); -1 with "FILE:LINE: why" in err. */
int junit_read(struct junit *doc, const char *path, char *err, size_t errlen);
/* Write doc to path; -1 with the reason in err (a case twice among those read is one). */
int junit_write(struct junit *doc, const char *path, char *err, size_t errlen);
void junit_free(struct junit *doc);

#endif
