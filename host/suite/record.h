/* SPDX-License-Identifier: MIT */
/*
 * The record: what each case did the last time it ran, and how long it
 * took.  --shard balances shards by these durations and --rerun-failed
 * picks the cases that did not pass.  A text file, one case a line:
 *
 *   # vmm test record: OUTCOME MILLISECONDS ACCEL PATH
 *   pass 1234 tcg tests/scenarios/boot.vmm
 *
 * '#' lines and empty lines are comments, and a later line for a case wins
 * over an earlier one, so records of several shards concatenated are one
 * record of them all.  The file is input like any other: a line that
 * cannot mean anything is an error naming FILE:LINE.
 */
#ifndef HOST_SUITE_RECORD_H
#define HOST_SUITE_RECORD_H

#include "suite.h"

struct record_entry {
	char *name;			/* "ACCEL PATH" */
	enum outcome outcome;
	unsigned ms;
};

struct record {
	struct record_entry *e;		/* sorted by name */
	size_t n, cap;
};

/*
 * Read path into rec (which starts empty).  0, or 1 when there is no such
 * file (rec stays empty), or -1 with "FILE:LINE: why" in err.
 */
int record_read(const char *path, struct record *rec, char *err, size_t errlen);

/* Write rec to path through a temporary file, so that no reader sees half of it. */
int record_write(const char *path, const struct record *rec, char *err, size_t errlen);

const struct record_entry *record_find(const struct record *rec, const char *name);
void record_set(struct record *rec, const char *name, enum outcome outcome, unsigned ms);
void record_free(struct record *rec);

#endif
