/* SPDX-License-Identifier: MIT */
/*
 * `check`, whole: the snapshot (check_snapshot.h), then every rule over it
 * (rules.h), in order.
 */
#ifndef HOST_CHECK_VERIFY_H
#define HOST_CHECK_VERIFY_H

#include "checker.h"

enum check_result {
	CHECK_PASSED,
	CHECK_FAILED,	/* findings, or the check could not be made: the text says */
	CHECK_DEAD,	/* the guest died or lied during the fetch: g->diag says */
};

/*
 * `check`: fetch the snapshot from g, run every rule over it; *findings is
 * the text of what was found (malloc'd, maybe empty).
 */
enum check_result check_guest(struct guest *g, char **findings);

/* Run every rule over s, in order, as far as s goes. */
void check_rules(struct checker *c, const struct check_snapshot *s);

#endif
