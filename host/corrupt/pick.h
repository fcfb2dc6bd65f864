/* SPDX-License-Identifier: MIT */
/*
 * Where a flip lands, drawn from the state `check` fetched after a
 * statement (check_snapshot.h): the classes that have somewhere to land,
 * then a place of the class drawn, then a bit.  Pure functions of the
 * snapshot, guest RAM (for the page-table walks) and the generator.
 */
#ifndef HOST_CORRUPT_PICK_H
#define HOST_CORRUPT_PICK_H

#include "check/check_snapshot.h"
#include "target.h"

/* Where the flips after one statement may land: the state as `check` saw it. */
struct corrupt_arena {
	struct check_snapshot snap;
	struct reply_mem_map mem_map;
	bool have_mem_map;
	size_t pages_in_use;
};

struct corrupt_target {
	int cls;
	uint64_t gpa;			/* the word, 8-aligned */
	unsigned int bit;
	char field[CORRUPT_NAME_LEN];
};

/* The classes a has somewhere to land for: bit c for class c. */
unsigned int corrupt_classes(const struct corrupt_arena *a);
/*
 * A target in a: a class drawn among those it has, then a place and a
 * bit; -1 if the draw found nothing there (an entry no longer translates).
 */
int corrupt_pick(struct corrupt_rng *rng, const struct guest_ram *ram,
		 const struct corrupt_arena *a, bool slab_debug, struct corrupt_target *t);

#endif
