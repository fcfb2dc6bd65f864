/* SPDX-License-Identifier: MIT */
/*
 * A fault-injection plan in words: "ATTR knob=value ...", as `vmm run
 * --inject` and `vmm sweep` take it and print it.  The knobs are Linux's
 * debugfs files (Documentation/fault-injection), '-' written '_':
 *
 *   probability  percent of the calls that may fail (0..100)
 *   interval     only every interval-th call that passes the filters
 *   times        failures at most (-1: no limit)
 *   space        bytes let through before failures start
 *   verbose      a console line per injected failure
 *   nth          this attribute's nth call fails (whatever the rest says)
 *   min_order, ignore_gfp_wait, ignore_gfp_highmem, task_filter
 *   cache_filter failslab: only caches marked by slab_debug=A (Linux's cache-filter)
 *   cache        failslab: only the cache of this name
 *
 * A knob not given has Linux's default (probability 0: off; interval 1;
 * times 1), so "failslab probability=100 times=3" fails three calls and
 * "fail_page_alloc nth=17" the 17th.
 */
#ifndef HOST_ENGINE_INJECT_PLAN_H
#define HOST_ENGINE_INJECT_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "shared/channel.h"

struct inject_plan {
	unsigned int attr;		/* enum vmm_fault_attr */
	struct vmm_fault_config cfg;
};

/* The attribute named name: 0 with *attr, or -1. */
int inject_attr_find(const char *name, unsigned int *attr);
const char *inject_attr_name(unsigned int attr);

/* Linux's defaults: off, interval 1, times 1. */
void inject_plan_init(struct inject_plan *p, unsigned int attr);

/*
 * Sets one knob from its text value; -1 with why for an unknown knob or a
 * value out of its range.
 */
int inject_plan_set(struct inject_plan *p, const char *knob, const char *value,
		    char *why, size_t whylen);

/* "ATTR knob=value ...": 0, or -1 with why. */
int inject_plan_parse(const char *spec, struct inject_plan *p, char *why, size_t whylen);

#endif
