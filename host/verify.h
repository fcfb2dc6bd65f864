/* SPDX-License-Identifier: MIT */
/*
 * The second phase of `check`: its rules, as functions over a snapshot
 * (check_snapshot.h) that write findings.  No rule calls the guest: they
 * read the snapshot, and guest RAM only to print each finding's entries
 * at every level.  verify.c holds the kernel half, the free frames and the
 * order of things, verify_slab.c the slabs and verify_user.c the address
 * spaces of processes.  docs/verification.md lists the rules.
 */
#ifndef HOST_VERIFY_H
#define HOST_VERIFY_H

#include <stdio.h>

#include "check_snapshot.h"
#include "guest_ram.h"

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

/* Run every rule over s, in order, as far as s goes. */
void check_rules(struct checker *c, const struct check_snapshot *s);
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
/* Rule free-mapped over one walk (verify.c). */
void check_free_mapped(struct checker *c, const struct map_list *mapped,
		       const struct map_list *free_blocks);

/* The first free range that ends after pa, or NULL (verify.c). */
const struct map *free_after(const struct map_list *free_blocks, uint64_t pa);

/* verify_slab.c: rule slab-free, over the slabs fetched. */
void check_slab_pages(struct checker *c, const struct check_snapshot *s);

/* verify_user.c: every process's address space, as far as s goes. */
void check_user_spaces(struct checker *c, const struct check_snapshot *s);

#endif
