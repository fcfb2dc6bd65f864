// SPDX-License-Identifier: MIT
/*
 * The scenario's fault-injection requests: a new plan for an attribute
 * (Linux's debugfs knobs, all at once), what an attribute has done, and a
 * task's make_it_fail and fail_nth (Linux's /proc/PID files).
 */
#include <linux/channel.h>
#include <linux/errno.h>
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mm_vma.h>
#include <linux/mmzone.h>
#include <linux/of_fdt.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <limits.h>
#include <string.h>
#include "inject_requests.h"

/* Linux's bit; x86-64 has no highmem, so the knob never matters here either. */
#define GFP_HIGHMEM_BIT	0x02u

struct fault_site_ops {
	struct fault_attr *attr;
	void (*configure)(const struct fault_config *cfg);
};

static const struct fault_site_ops fault_sites[VMM_FAULT_ATTR_NR] = {
	[VMM_FAIL_PAGE_ALLOC]	 = { &fail_page_alloc, fail_page_alloc_configure },
	[VMM_FAILSLAB]		 = { &failslab, failslab_configure },
	[VMM_FAIL_VMALLOC]	 = { &fail_vmalloc, fail_vmalloc_configure },
	[VMM_FAIL_VM_AREA_ALLOC] = { &fail_vm_area_alloc, fail_vm_area_alloc_configure },
};

/* The filter keeps a pointer: the names live here. */
static char cache_filter[VMM_FAULT_ATTR_NR][VMM_FAULT_CACHE_LEN];

/* Each attribute draws from its own stream of the scenario's seed. */
static u64 attr_seed(unsigned int attr)
{
	return boot_info.seed * 0x9e3779b97f4a7c15ULL + attr + 1;
}

static int clamp_int(s64 v)
{
	return v > INT_MAX ? INT_MAX : v < -1 ? -1 : (int)v;
}

long req_fault_attr(const struct vmm_request *req, struct vmm_message *reply)
{
	struct vmm_fault_config c;
	struct fault_config cfg;
	unsigned int i = req->arg[0];

	(void)reply;
	if (i >= VMM_FAULT_ATTR_NR || req->data_len < sizeof(c))
		return -EINVAL;
	memcpy(&c, mailbox->req_data, sizeof(c));
	memcpy(cache_filter[i], c.cache, sizeof(c.cache));
	cache_filter[i][sizeof(c.cache) - 1] = '\0';
	cfg = (struct fault_config){
		.probability = c.probability, .interval = c.interval,
		.times = clamp_int(c.times), .space = clamp_int(c.space < 0 ? 0 : c.space),
		.nth = c.nth, .verbose = c.verbose,
		.filter = {
			.min_order = min(c.min_order, (u64)NR_PAGE_ORDERS),
			.gfp_ignore = (c.ignore_gfp_wait ? __GFP_DIRECT_RECLAIM : 0) |
				      (c.ignore_gfp_highmem ? GFP_HIGHMEM_BIT : 0),
			.cache = cache_filter[i][0] ? cache_filter[i] : NULL,
			.cache_filter = c.cache_filter != 0,
			.task_filter = c.task_filter != 0,
		},
		.seed = attr_seed(i),
	};
	fault_sites[i].configure(&cfg);
	return 0;
}

long req_fault_stats(const struct vmm_request *req, struct vmm_message *reply)
{
	struct vmm_fault_stats *st = (struct vmm_fault_stats *)channel_data();
	const struct fault_attr *a;

	if (req->arg[0] >= VMM_FAULT_ATTR_NR)
		return -EINVAL;
	a = fault_sites[req->arg[0]].attr;
	*st = (struct vmm_fault_stats){
		.calls = a->calls, .failures = a->failures, .probability = a->probability,
		.interval = a->interval, .nth = a->nth, .verbose = a->verbose,
		.times = a->times, .space = a->space, .nr_frames = a->nr_stack,
	};
	memcpy(st->frames, a->stack, a->nr_stack * sizeof(a->stack[0]));
	reply->len = sizeof(*st);
	return 0;
}

long req_task_fail(const struct vmm_request *req, struct vmm_message *reply)
{
	struct task_struct *t = find_task((int)req->arg[0]);

	if (!t)
		return -EINVAL;
	if (req->arg[1] != VMM_FAULT_KEEP) {
		fail_nth_set(&t->fail, min(req->arg[1], (u64)UINT_MAX));
		failslab_rearm();
	}
	if (req->arg[2] != VMM_FAULT_KEEP)
		t->fail.make_it_fail = req->arg[2] != 0;
	reply->val[0] = t->fail.fail_nth;
	reply->val[1] = t->fail.make_it_fail;
	return 0;
}
