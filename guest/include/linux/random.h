/* SPDX-License-Identifier: MIT */
/*
 * Seeded pseudo-random numbers (guest/lib/random32.c).
 *
 * Every user keeps its own struct rnd_state, so one stream (fault
 * injection, say) is reproducible from its seed no matter what else draws
 * numbers.  Not for anything that needs unpredictability.
 */
#ifndef _LINUX_RANDOM_H
#define _LINUX_RANDOM_H

#include <linux/types.h>

struct rnd_state {
	u32 s1, s2, s3, s4;
};

void prandom_seed_state(struct rnd_state *state, u64 seed);
u32 prandom_u32_state(struct rnd_state *state);

/* Uniform in [0, ceil): a multiply and a shift, no division. */
static inline u32 prandom_u32_below(struct rnd_state *state, u32 ceil)
{
	return (u32)(((u64)prandom_u32_state(state) * ceil) >> 32);
}

#endif
