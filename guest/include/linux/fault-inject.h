/* SPDX-License-Identifier: MIT */
/*
 * Fault injection (Documentation/fault-injection in Linux): every
 * allocation path asks should_fail() whether to fail this call, and a
 * struct fault_attr per site (page allocator, slab, ...) holds the plan.
 *
 * The decision, in this order (Linux's):
 *   1. nth: while counting down, every call succeeds except the one that
 *      brings the count to zero, which fails whatever the rest says;
 *   2. probability 0: never fail (cheap "off");
 *   3. filters: the call must match the site filters (order, gfp, zone,
 *      cache); zero-valued filters match everything;
 *   4. times: the number of failures left (-1: unlimited; 0: no more);
 *   5. space: a budget of bytes allowed to succeed before failures start;
 *   6. interval: only every interval-th call that gets here may fail;
 *   7. random: fail with the given probability (percent), from a seeded
 *      generator, so a seed reproduces the same failures.
 *
 * Unlike Linux, nth belongs to the attribute (one site), not to the task,
 * and the filters are generic, so no site's defaults hide failures
 * (Linux's fail_page_alloc skips order 0 and sleeping allocations).
 */
#ifndef _LINUX_FAULT_INJECT_H
#define _LINUX_FAULT_INJECT_H

#include <linux/random.h>
#include <linux/types.h>

/* What a call site tells the filters; any field may be left zero. */
struct fault_site {
	gfp_t gfp;
	unsigned int order;
	int zone;		/* preferred zone (enum zone_type) */
	const char *cache;	/* slab cache name, or NULL */
};

/* The call must match every filter that is set; zero means "any". */
struct fault_filter {
	unsigned int min_order;	/* Linux's min-order */
	gfp_t gfp_require;	/* every one of these gfp bits must be set */
	gfp_t gfp_ignore;	/* calls with any of these bits never fail */
	unsigned int zone_mask;	/* bit z: calls preferring zone z */
	const char *cache;	/* only this slab cache */
};

/* The plan the host hands over (through the boot plan). */
struct fault_config {
	unsigned long probability;	/* percent, 0..100 */
	unsigned long interval;		/* 0 or 1: every call */
	int times;			/* -1: no limit */
	int space;			/* bytes to let through first */
	unsigned long nth;		/* fail the nth call; 0: off */
	unsigned long verbose;		/* print each injected failure */
	struct fault_filter filter;
	u64 seed;
};

struct fault_attr {
	const char *name;
	unsigned long probability;
	unsigned long interval;
	int times;		/* counts down with each failure */
	int space;		/* counts down with each call let through */
	unsigned long nth;	/* counts down with each call */
	unsigned long verbose;
	struct fault_filter filter;
	unsigned long count;	/* calls since the last interval boundary */
	unsigned long failures;	/* failures injected so far */
	struct rnd_state rnd;
};

/* Linux's defaults: off (probability 0), interval 1, times 1. */
#define FAULT_ATTR_INITIALIZER(attr_name) {				\
		.name = (attr_name), .interval = 1, .times = 1,		\
	}

/* Replaces the plan and resets every counter and the random stream. */
void fault_attr_configure(struct fault_attr *attr, const struct fault_config *cfg);

/* False in a couple of instructions when the attribute can never fire. */
static inline bool fault_attr_armed(const struct fault_attr *attr)
{
	return (attr->probability | attr->nth) != 0;
}

bool should_fail_ex(struct fault_attr *attr, ssize_t size, const struct fault_site *site);

/* For sites without filter information: only unset filters match. */
static inline bool should_fail(struct fault_attr *attr, ssize_t size)
{
	return should_fail_ex(attr, size, NULL);
}

#endif
