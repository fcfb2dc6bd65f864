/* SPDX-License-Identifier: MIT */
/*
 * How a rule of `check` reports what it finds, and spends the check's
 * budgets (checker.c).
 */
#ifndef HOST_CHECK_CHECKER_H
#define HOST_CHECK_CHECKER_H

#include <stdio.h>

#include "check_snapshot.h"
#include "vm/guest_ram.h"

#define CHECK_RULES		16

struct rule_count {
	const char *rule;
	uint64_t more;			/* findings past CHECK_FINDINGS_SHOWN */
};

struct checker {
	const struct guest_ram *ram;	/* to print a finding's entries; NULL: none */
	uint64_t cr3;			/* the address space being looked at */
	FILE *out;			/* findings text */
	uint64_t findings;
	unsigned shown;			/* findings printed in full */
	struct rule_count more[CHECK_RULES];
	uint64_t records_left;		/* CHECK_MAX_RECORDS, as it is spent */
	char stop[CHECK_STOP_LEN];	/* why the check stopped short, or empty */
};

/* The "and N more like it" lines, one per rule. */
void check_print_more(struct checker *c);

void prot_str(uint64_t prot, char *buf, size_t size);
/*
 * Count a finding of rule; true if it is to be printed in full, false once
 * CHECK_FINDINGS_SHOWN have been.
 */
bool finding_shown(struct checker *c, const char *rule);
/* Stop the check short, saying why (a budget spent, out of memory). */
void check_stop(struct checker *c, const char *why);
/* Take n from a budget; false (and the check stopped) if it does not hold n. */
bool check_spend(struct checker *c, uint64_t *budget, uint64_t n, const char *what);
/* One finding of rule over [va, end], with every level's entry for va. */
void finding(struct checker *c, const char *rule, uint64_t va, uint64_t end,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/*
 * The walker's findings of one walk, as rule `walk`; false if the walk
 * did not run to its end (and the check stopped if s says why).
 */
bool check_walk(struct checker *c, const struct check_snapshot *s, const struct snap_walk *w);
#endif
