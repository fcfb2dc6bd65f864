// SPDX-License-Identifier: MIT
/* Splitting a suite into shards of about equal duration. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shard.h"

#define MAX_SHARDS	10000

int shard_parse(const char *s, unsigned *k, unsigned *n)
{
	char *end;
	unsigned long a, b;

	if (*s < '0' || *s > '9')
		return -1;
	a = strtoul(s, &end, 10);
	if (*end != '/' || end[1] < '0' || end[1] > '9')
		return -1;
	b = strtoul(end + 1, &end, 10);
	if (*end || !a || a > b || b > MAX_SHARDS)
		return -1;
	*k = a;
	*n = b;
	return 0;
}

struct weighed {
	uint64_t ms;
	size_t index;
};

static int heaviest_first(const void *a, const void *b)
{
	const struct weighed *x = a, *y = b;

	if (x->ms != y->ms)
		return x->ms < y->ms ? 1 : -1;
	return x->index < y->index ? -1 : x->index > y->index;
}

void shard_split(const char *const *names, size_t count, const struct record *rec,
		 unsigned n, unsigned *shard_of)
{
	struct weighed *w = calloc(count ?: 1, sizeof(*w));
	uint64_t *load = calloc(n, sizeof(*load));
	uint64_t known_ms = 0, known = 0, guess;

	if (!w || !load)
		abort();
	for (size_t i = 0; i < count; i++) {
		const struct record_entry *e = record_find(rec, names[i]);

		w[i] = (struct weighed){ .ms = e ? e->ms : UINT64_MAX, .index = i };
		if (e) {
			known_ms += e->ms;
			known++;
		}
	}
	/* Whole milliseconds, at least one, so a suite of skips still deals out evenly. */
	guess = known ? known_ms / known : 1;
	for (size_t i = 0; i < count; i++) {
		if (w[i].ms == UINT64_MAX)
			w[i].ms = guess;
		w[i].ms = w[i].ms ?: 1;
	}
	qsort(w, count, sizeof(*w), heaviest_first);
	for (size_t i = 0; i < count; i++) {
		unsigned least = 0;

		for (unsigned s = 1; s < n; s++)
			if (load[s] < load[least])
				least = s;
		load[least] += w[i].ms;
		shard_of[w[i].index] = least;
	}
	free(load);
	free(w);
}
