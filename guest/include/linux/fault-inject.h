/* SPDX-License-Identifier: MIT */
/*
 * Fault injection (Documentation/fault-injection in Linux): every
 * allocation path asks should_fail() whether to fail this call, and a
 * struct fault_attr per site (page allocator, slab, ...) holds the plan.
 *
 * The decision, in this order (Linux's):
 *   1. fail-nth: the task the kernel works for counts its calls down, and
 *      the one that brings the count to zero fails whatever the rest says
 *      (Linux's /proc/PID/fail-nth, shared by every attribute); the
 *      attribute's own nth does the same for one site;
 *   2. probability 0: never fail (cheap "off");
 *   3. filters: task-filter (only tasks marked make-it-fail), then the
 *      site filters (order, gfp, zone, cache); zero-valued filters match
 *      everything;
 *   4. times: the number of failures left (-1: unlimited; 0: no more);
 *   5. space: a budget of bytes allowed to succeed before failures start;
 *   6. interval: only every interval-th call that gets here may fail;
 *   7. random: fail with the given probability (percent), from a seeded
 *      generator, so a seed reproduces the same failures.
 *
 * Beyond Linux, nth also belongs to the attribute (one site), which is what
 * a sweep counts with; and the filters are generic, so no site's defaults
 * hide failures (Linux's fail_page_alloc skips order 0 and sleeping
 * allocations by default).
 *
 * There is no scheduler: "the task the kernel works for" is the process a
 * scenario request concerns (fault_current, set by the harness for the
 * length of one request), or none for the kernel's own requests.
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
	bool cache_failslab;	/* the cache has SLAB_FAILSLAB (slab_debug=A) */
};

/* The call must match every filter that is set; zero means "any". */
struct fault_filter {
	unsigned int min_order;	/* Linux's min-order */
	gfp_t gfp_require;	/* every one of these gfp bits must be set */
	gfp_t gfp_ignore;	/* calls with any of these bits never fail */
	unsigned int zone_mask;	/* bit z: calls preferring zone z */
	const char *cache;	/* only this slab cache */
	bool cache_filter;	/* Linux's cache-filter: only caches with SLAB_FAILSLAB */
	bool task_filter;	/* only tasks with make_it_fail set */
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

#define FAULT_STACK_DEPTH	16

/* A task's part (Linux's make_it_fail and fail_nth in task_struct). */
struct fail_task {
	bool make_it_fail;
	unsigned int fail_nth;	/* 0: off; else the calls left, this one failing */
};

/* The task the kernel works for now, or NULL (the harness sets it). */
extern struct fail_task *fault_current;
/* Tasks with a fail_nth pending: while any, every attribute is armed. */
extern unsigned int fail_nth_tasks;

/* Sets a task's fail_nth (0 disarms), keeping fail_nth_tasks right. */
void fail_nth_set(struct fail_task *ft, unsigned int nth);

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
	unsigned long calls;	/* calls seen while armed */
	unsigned long failures;	/* failures injected so far */
	struct rnd_state rnd;
	unsigned int nr_stack;	/* the last injected failure's call chain */
	unsigned long stack[FAULT_STACK_DEPTH];
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
	return (attr->probability | attr->nth | fail_nth_tasks) != 0;
}

/* Return addresses of the callers, innermost first, skipping skipnr (Linux's). */
unsigned int stack_trace_save(unsigned long *store, unsigned int size, unsigned int skipnr);

bool should_fail_ex(struct fault_attr *attr, ssize_t size, const struct fault_site *site);

/* For sites without filter information: only unset filters match. */
static inline bool should_fail(struct fault_attr *attr, ssize_t size)
{
	return should_fail_ex(attr, size, NULL);
}

#endif
