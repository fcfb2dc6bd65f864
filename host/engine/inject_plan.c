// SPDX-License-Identifier: MIT
/* Fault-injection plans in words (inject_plan.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inject_plan.h"

static const char *const attr_names[VMM_FAULT_ATTR_NR] = VMM_FAULT_ATTR_NAMES;

int inject_attr_find(const char *name, unsigned int *attr)
{
	for (unsigned int i = 0; i < VMM_FAULT_ATTR_NR; i++)
		if (!strcmp(attr_names[i], name)) {
			*attr = i;
			return 0;
		}
	return -1;
}

const char *inject_attr_name(unsigned int attr)
{
	return attr < VMM_FAULT_ATTR_NR ? attr_names[attr] : "?";
}

void inject_plan_init(struct inject_plan *p, unsigned int attr)
{
	*p = (struct inject_plan){ .attr = attr, .cfg = { .interval = 1, .times = 1 } };
}

/* A whole number in [lo, hi], decimal or 0x hex. */
static int parse_num(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 0);
	if (end == s || *end || errno || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

struct knob {
	const char *name;
	int64_t lo, hi;
	size_t offset;			/* in struct vmm_fault_config */
	int is_signed;
};

#define KNOB(n, field, lo, hi, sgn) \
	{ n, lo, hi, offsetof(struct vmm_fault_config, field), sgn }

static const struct knob knobs[] = {
	KNOB("probability", probability, 0, 100, 0),
	KNOB("interval", interval, 0, UINT32_MAX, 0),
	KNOB("times", times, -1, INT32_MAX, 1),
	KNOB("space", space, 0, INT32_MAX, 1),
	KNOB("verbose", verbose, 0, 2, 0),
	KNOB("nth", nth, 0, UINT32_MAX, 0),
	KNOB("min_order", min_order, 0, 11, 0),
	KNOB("ignore_gfp_wait", ignore_gfp_wait, 0, 1, 0),
	KNOB("ignore_gfp_highmem", ignore_gfp_highmem, 0, 1, 0),
	KNOB("task_filter", task_filter, 0, 1, 0),
	KNOB("cache_filter", cache_filter, 0, 1, 0),
};

int inject_plan_set(struct inject_plan *p, const char *knob, const char *value,
		    char *why, size_t whylen)
{
	int64_t v;

	if (!strcmp(knob, "cache")) {
		if (!*value || strlen(value) >= sizeof(p->cfg.cache)) {
			snprintf(why, whylen, "cache=%s: a cache's name, 1 to %zu characters",
				 value, sizeof(p->cfg.cache) - 1);
			return -1;
		}
		strcpy(p->cfg.cache, value);
		return 0;
	}
	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		const struct knob *k = &knobs[i];
		char *field = (char *)&p->cfg + k->offset;

		if (strcmp(k->name, knob))
			continue;
		if (parse_num(value, k->lo, k->hi, &v)) {
			snprintf(why, whylen, "%s=%s: want a number from %" PRId64 " to %" PRId64,
				 knob, value, k->lo, k->hi);
			return -1;
		}
		if (k->is_signed)
			memcpy(field, &v, sizeof(v));
		else
			memcpy(field, &(uint64_t){ (uint64_t)v }, sizeof(uint64_t));
		return 0;
	}
	snprintf(why, whylen, "no knob %s (probability, interval, times, space, verbose, nth, "
		 "min_order, ignore_gfp_wait, ignore_gfp_highmem, task_filter, cache_filter, cache)", knob);
	return -1;
}

int inject_plan_parse(const char *spec, struct inject_plan *p, char *why, size_t whylen)
{
	char buf[512], *save, *word;
	unsigned int attr;

	if (strlen(spec) >= sizeof(buf)) {
		snprintf(why, whylen, "plan too long");
		return -1;
	}
	strcpy(buf, spec);
	word = strtok_r(buf, " \t", &save);
	if (!word || inject_attr_find(word, &attr)) {
		snprintf(why, whylen, "'%s': want an attribute first: fail_page_alloc, failslab, "
			 "fail_vmalloc or fail_vm_area_alloc", word ? word : "");
		return -1;
	}
	inject_plan_init(p, attr);
	while ((word = strtok_r(NULL, " \t", &save))) {
		char *eq = strchr(word, '=');

		if (!eq) {
			snprintf(why, whylen, "'%s': want knob=value", word);
			return -1;
		}
		*eq = '\0';
		if (inject_plan_set(p, word, eq + 1, why, whylen))
			return -1;
	}
	return 0;
}
