// SPDX-License-Identifier: MIT
/* The fault-injection decision (see linux/fault-inject.h for the order). */
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/printk.h>
#include <linux/string.h>

struct fail_task *fault_current;
unsigned int fail_nth_tasks;

void fail_nth_set(struct fail_task *ft, unsigned int nth)
{
	fail_nth_tasks += (nth != 0) - (ft->fail_nth != 0);
	ft->fail_nth = nth;
}

void fault_attr_configure(struct fault_attr *attr, const struct fault_config *cfg)
{
	attr->probability = cfg->probability > 100 ? 100 : cfg->probability;
	attr->interval = cfg->interval;
	attr->times = cfg->times;
	attr->space = cfg->space;
	attr->nth = cfg->nth;
	attr->verbose = cfg->verbose;
	attr->filter = cfg->filter;
	attr->count = 0;
	attr->calls = 0;
	attr->failures = 0;
	attr->nr_stack = 0;
	prandom_seed_state(&attr->rnd, cfg->seed);
}

static bool fault_filter_match(const struct fault_filter *f, const struct fault_site *site)
{
	static const struct fault_site none;

	if (!site)
		site = &none;
	if (f->task_filter && !(fault_current && fault_current->make_it_fail))
		return false;
	if (site->order < f->min_order)
		return false;
	if ((site->gfp & f->gfp_require) != f->gfp_require)
		return false;
	if (site->gfp & f->gfp_ignore)
		return false;
	if (f->zone_mask && !(f->zone_mask & (1U << site->zone)))
		return false;
	if (f->cache && (!site->cache || strcmp(f->cache, site->cache)))
		return false;
	if (f->cache_filter && !site->cache_failslab)
		return false;
	return true;
}

/* Counts calls so that only every interval-th one passes; no division. */
static bool interval_reached(struct fault_attr *attr)
{
	if (attr->interval <= 1)
		return true;
	if (++attr->count < attr->interval)
		return false;
	attr->count = 0;
	return true;
}

static void fail_dump(const struct fault_attr *attr, const struct fault_site *site)
{
	if (!attr->verbose || (site && (site->gfp & __GFP_NOWARN)))
		return;
	printk("FAULT_INJECTION: forcing a failure.\n");
	printk("name %s, interval %lu, probability %lu, space %d, times %d\n",
	       attr->name, attr->interval, attr->probability, attr->space, attr->times);
}

/* Linux's fail-nth: counts every call made for the task, whatever the attribute. */
static bool fail_nth_reached(struct fail_task *ft)
{
	if (ft->fail_nth == 1) {
		fail_nth_set(ft, 0);
		return true;
	}
	ft->fail_nth--;
	return false;
}

bool should_fail_ex(struct fault_attr *attr, ssize_t size, const struct fault_site *site)
{
	attr->calls++;
	if (fault_current && fault_current->fail_nth) {
		if (fail_nth_reached(fault_current))
			goto fail;
		return false;
	}
	if (attr->nth) {
		if (--attr->nth)
			return false;
		goto fail;
	}
	if (attr->probability == 0)
		return false;
	if (!fault_filter_match(&attr->filter, site))
		return false;
	if (attr->times == 0)
		return false;
	if (attr->space > size) {
		attr->space -= (int)size;
		return false;
	}
	if (!interval_reached(attr))
		return false;
	if (attr->probability <= prandom_u32_below(&attr->rnd, 100))
		return false;
fail:
	fail_dump(attr, site);
	attr->nr_stack = stack_trace_save(attr->stack, FAULT_STACK_DEPTH, 1);
	if (attr->times > 0)
		attr->times--;
	attr->failures++;
	return true;
}
