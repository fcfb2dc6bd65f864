/* SPDX-License-Identifier: MIT */
/*
 * What a sweep learns from one run, through the run's hooks (run.h):
 * after each statement, whether the swept attribute has injected its
 * failure yet (so the run knows the statement and the call chain); at
 * the end, with every attribute disarmed, every process exited and the
 * per-CPU lists drained, the free pages, the live objects per slab cache,
 * `check`'s findings and the guest's own bug reports.
 */
#ifndef HOST_SWEEP_PROBE_H
#define HOST_SWEEP_PROBE_H

#include "engine/run.h"
#include "outcome.h"

struct sweep_probe {
	unsigned int attr;		/* the swept attribute (enum vmm_fault_attr) */
	size_t next_stmt;		/* the statement running if the guest dies */
	struct sweep_result res;
};

extern const struct run_hooks sweep_probe_hooks;

void sweep_probe_init(struct sweep_probe *p, unsigned int attr);

/* "kmalloc-64 12 ..." lines of /proc/slabinfo into res->caches; -1 if malformed. */
int sweep_parse_slabinfo(const char *text, struct sweep_result *res);

#endif
