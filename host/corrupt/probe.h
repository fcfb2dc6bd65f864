/* SPDX-License-Identifier: MIT */
/*
 * One boot of vmm corrupt, through the run's hooks (run.h): after each
 * statement, `check` once as it stands (what is there anyway), then a few
 * flips, each made in guest RAM, judged by `check` and the guest's own
 * reports, and undone, so that the next one starts from the same state.
 * A flip that kills the guest ends the boot's flips; the next boot goes
 * on from that statement (from, done), so that a flip that often kills
 * cannot keep the later statements from being reached.
 */
#ifndef HOST_CORRUPT_PROBE_H
#define HOST_CORRUPT_PROBE_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/run.h"
#include "target.h"

struct corrupt_probe {
	struct corrupt_rng rng;
	uint64_t left;			/* flips this boot may still make */
	unsigned int per_stmt;		/* flips after each statement */
	uint32_t from;			/* the first statement to flip after (ordinal) */
	unsigned int done;		/* flips an earlier boot made after it */
	uint32_t stmts;			/* statements ended so far */
	uint32_t cur;			/* the one the flips follow */
	bool slab_debug;		/* slot word 0 is a red zone, not a free pointer */
	bool dead;			/* a flip ended the guest */
	int fd;				/* each struct corrupt_flip goes down it */
};

extern const struct run_hooks corrupt_probe_hooks;

#endif
