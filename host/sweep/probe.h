/* SPDX-License-Identifier: MIT */
/*
 * What a sweep learns from one run, through the run's hooks (run.h):
 * before each statement, whether the plan starts or ends there (a sweep of
 * some lines only); after each statement, whether the swept attribute has injected its
 * failure yet (so the run knows the statement and the call chain); at
 * the end, with every attribute disarmed, every process exited and the
 * per-CPU lists drained, the free pages, the live objects per slab cache,
 * `check`'s findings and the guest's own bug reports.
 */
#ifndef HOST_SWEEP_PROBE_H
#define HOST_SWEEP_PROBE_H

#include <stdbool.h>

#include "engine/inject_plan.h"
#include "engine/run.h"
#include "outcome.h"

struct sweep_probe {
	unsigned int attr;		/* the swept attribute (enum vmm_fault_attr) */
	size_t stmts;			/* statements begun: the running one's ordinal + 1 */
	const struct stmt *running;	/* the statement running, if the guest dies in it */
	/* A plan in force only from line `from` to line `to`; NULL: the caller's own. */
	const struct inject_plan *plan;
	unsigned int from, to;
	bool armed, done;
	bool check_each;		/* the base run: `check` after every statement */
	struct sweep_result res;
};

extern const struct run_hooks sweep_probe_hooks;

void sweep_probe_init(struct sweep_probe *p, unsigned int attr);
/* Arm plan only for the statements on lines from..to. */
void sweep_probe_lines(struct sweep_probe *p, const struct inject_plan *plan, unsigned int from,
		       unsigned int to);

/* "kmalloc-64 12 ..." lines of /proc/slabinfo into res->caches; -1 if malformed. */
int sweep_parse_slabinfo(const char *text, struct sweep_result *res);

#endif
