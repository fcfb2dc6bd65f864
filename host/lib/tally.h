/* SPDX-License-Identifier: MIT */
/*
 * Outcome tables, as `vmm sweep` and `vmm corrupt` print them: a row per
 * key (an allocation site, a statement, a PTE field), a count per outcome.
 */
#ifndef HOST_LIB_TALLY_H
#define HOST_LIB_TALLY_H

#include <stddef.h>

#define TALLY_KEY_LEN	160
#define TALLY_COLS	8

struct tally {
	char key[TALLY_KEY_LEN];
	unsigned int n[TALLY_COLS];
};

/* Count one of column col under key in t[0..*nt); a new key past max is dropped. */
void tally_add(struct tally *t, size_t *nt, size_t max, const char *key, unsigned int col);
/* Sort by key and print under title, columns headed by name(col); keys escaped. */
void tally_print(const char *title, struct tally *t, size_t nt, unsigned int cols,
		 const char *(*name)(unsigned int col));
int tally_by_key(const void *a, const void *b);

/* Seconds on the monotonic clock, for rates and durations. */
double monotonic_seconds(void);

#endif
