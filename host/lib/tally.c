// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "tally.h"

void tally_add(struct tally *t, size_t *nt, size_t max, const char *key, unsigned int col)
{
	size_t i;

	if (col >= TALLY_COLS)
		return;
	for (i = 0; i < *nt && strcmp(t[i].key, key); i++)
		;
	if (i == *nt) {
		if (*nt == max)
			return;
		memset(&t[i], 0, sizeof(t[i]));
		snprintf(t[i].key, sizeof(t[i].key), "%s", key);
		(*nt)++;
	}
	t[i].n[col]++;
}

int tally_by_key(const void *a, const void *b)
{
	return strcmp(((const struct tally *)a)->key, ((const struct tally *)b)->key);
}

void tally_print(const char *title, struct tally *t, size_t nt, unsigned int cols,
		 const char *(*name)(unsigned int col))
{
	qsort(t, nt, sizeof(*t), tally_by_key);
	printf("\n%-40s", title);
	for (unsigned int c = 0; c < cols && c < TALLY_COLS; c++)
		printf(" %8s", name(c));
	printf("\n");
	for (size_t i = 0; i < nt; i++) {
		size_t len = strlen(t[i].key);

		printf("  ");
		/* keys may hold what the guest said (a symbol, a statement's text) */
		escape_puts(stdout, ESC_TEXT, t[i].key);
		printf("%*s", (int)(len < 38 ? 38 - len : 0), "");
		for (unsigned int c = 0; c < cols && c < TALLY_COLS; c++)
			printf(" %8u", t[i].n[c]);
		printf("\n");
	}
}

double monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}
