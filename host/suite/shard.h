/* SPDX-License-Identifier: MIT */
/*
 * --shard K/N: which cases are shard K's, so that N machines running the
 * same suite with the same record each run a slice and together run every
 * case exactly once.
 *
 * Longest first: cases in decreasing recorded duration (ties in name
 * order) each go to the shard with the least work so far (ties to the
 * lowest).  A case the record does not know is taken to last as long as
 * the mean of those it knows; with no durations at all every case weighs
 * the same and the cases are dealt out in name order.  Only the cases and
 * the record decide, so every shard computes the same split.
 */
#ifndef HOST_SUITE_SHARD_H
#define HOST_SUITE_SHARD_H

#include <stddef.h>

#include "record.h"

/* Parse "K/N" (1 <= K <= N <= 10000); -1 if it is not that. */
int shard_parse(const char *s, unsigned *k, unsigned *n);

/*
 * names[0..count) in name order; sets shard_of[i] to the shard (0..n-1)
 * case i falls in.
 */
void shard_split(const char *const *names, size_t count, const struct record *rec,
		 unsigned n, unsigned *shard_of);

#endif
