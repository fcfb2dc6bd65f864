/* SPDX-License-Identifier: MIT */
/*
 * Internals of `check` shared by its rule files: verify.c (the kernel half,
 * free frames, the order of things) and verify_user.c (address spaces of
 * processes).  docs/verification.md lists the rules.
 */
#ifndef HOST_VERIFY_H
#define HOST_VERIFY_H

#include <stdio.h>

#include "run.h"

#define KERNEL_HALF_START	0xffff800000000000ULL
#define USER_HALF_END		0x00007fffffffffffULL

/* A mapping, or an account of one: va -> pa for size bytes with prot. */
struct map {
	uint64_t va, pa, size, prot;
	const char *what;		/* where the expectation comes from */
};

struct map_list {
	struct map *v;
	size_t n, cap;
};

/*
 * What one `check` may cost the host, whatever the guest built: tables
 * visited by all its walks, walked ranges and user frame records held at
 * once, and findings printed in full (the rest are counted by rule and
 * summarised).  docs/verification.md gives the figures.
 */
#define CHECK_MAX_TABLES	(1ULL << 16)
#define CHECK_MAX_RANGES	(1ULL << 19)
#define CHECK_MAX_RECORDS	(1ULL << 18)
#define CHECK_FINDINGS_SHOWN	100
#define CHECK_RULES		16

struct rule_count {
	const char *rule;
	uint64_t more;			/* findings past CHECK_FINDINGS_SHOWN */
};

struct checker {
	struct run_ctx *ctx;
	uint64_t cr3;			/* the address space being looked at */
	FILE *out;			/* findings text */
	uint64_t findings;
	unsigned shown;			/* findings printed in full */
	struct rule_count more[CHECK_RULES];
	uint64_t tables_left;		/* the budgets above, as they are spent */
	uint64_t ranges_left;
	uint64_t records_left;
	char stop[160];			/* why the check stopped short, or empty */
};

int map_push(struct map_list *l, struct map m);
int map_by_va(const void *a, const void *b);
void prot_str(uint64_t prot, char *buf, size_t size);
/*
 * Count a finding of rule; true if it is to be printed in full, false once
 * CHECK_FINDINGS_SHOWN have been.
 */
bool finding_shown(struct checker *c, const char *rule);
/* Stop the check short, saying why (a budget spent, out of memory, out of time). */
void check_stop(struct checker *c, const char *why);
/* Take n from a budget; false (and the check stopped) if it does not hold n. */
bool check_spend(struct checker *c, uint64_t *budget, uint64_t n, const char *what);
/* One finding of rule over [va, end], with every level's entry for va. */
void finding(struct checker *c, const char *rule, uint64_t va, uint64_t end,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/*
 * Walk c->cr3's tables over [lo, hi] into out; walker findings become rule
 * `walk`.  -1 if cr3 lies outside RAM; 1 if the check was stopped.
 */
int walk(struct checker *c, uint64_t lo, uint64_t hi, struct map_list *out);
/* The free frames' rule over one walk (verify.c). */
void check_free_mapped(struct checker *c, const struct map_list *mapped,
		       const struct map_list *free_blocks);

/* The first free range that ends after pa, or NULL (verify.c). */
const struct map *free_after(const struct map_list *free_blocks, uint64_t pa);

/* verify_slab.c: rule slab-free; STEP_DEAD if the guest died. */
enum step check_slab_pages(struct checker *c, const struct map_list *free_blocks, char *msg,
			   size_t msglen);

/* verify_user.c: every process's address space; STEP_DEAD if the guest died. */
enum step check_user_spaces(struct checker *c, uint64_t kernel_pgd,
			    const struct map_list *free_blocks, char *msg, size_t msglen);

#endif
