// SPDX-License-Identifier: MIT
/* Line diffs for failed text expectations (LCS by dynamic programming). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

#define LCS_MAX_CELLS	(4u << 20)	/* 16 MiB of table at most */

struct lines {
	const char **start;
	size_t *len;
	size_t n;
};

static int split_lines(const char *s, size_t len, struct lines *l)
{
	size_t cap = 1;

	for (size_t i = 0; i < len; i++)
		cap += s[i] == '\n';
	l->start = malloc(cap * sizeof(*l->start));
	l->len = malloc(cap * sizeof(*l->len));
	l->n = 0;
	if (!l->start || !l->len)
		return -1;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (s + i)) : len - i;

		l->start[l->n] = s + i;
		l->len[l->n++] = n;
		i += n + 1;
	}
	return 0;
}

static void free_lines(struct lines *l)
{
	free(l->start);
	free(l->len);
}

static int same(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] && !memcmp(a->start[i], b->start[j], a->len[i]);
}

static void put(FILE *out, const char *indent, const char *mark, const char *s, size_t n)
{
	fprintf(out, "%s%s%.*s\n", indent, mark, (int)n, s);
}

/* No room for the table: pair lines by position. */
static void pairwise(FILE *out, const char *indent, const struct lines *a, const struct lines *b)
{
	for (size_t i = 0; i < a->n || i < b->n; i++) {
		if (i < a->n && i < b->n && same(a, i, b, i)) {
			put(out, indent, "  ", a->start[i], a->len[i]);
			continue;
		}
		if (i < a->n)
			put(out, indent, "- ", a->start[i], a->len[i]);
		if (i < b->n)
			put(out, indent, "+ ", b->start[i], b->len[i]);
	}
}

static void lcs(FILE *out, const char *indent, const struct lines *a, const struct lines *b)
{
	size_t w = b->n + 1;
	uint32_t *t = calloc((a->n + 1) * w, sizeof(*t));
	size_t i = 0, j = 0;

	if (!t) {
		pairwise(out, indent, a, b);
		return;
	}
	/* t[i][j]: length of the LCS of a[i..] and b[j..]. */
	for (size_t x = a->n; x-- > 0;)
		for (size_t y = b->n; y-- > 0;)
			t[x * w + y] = same(a, x, b, y) ? t[(x + 1) * w + y + 1] + 1 :
				       t[(x + 1) * w + y] > t[x * w + y + 1] ? t[(x + 1) * w + y] :
				       t[x * w + y + 1];
	while (i < a->n || j < b->n) {
		if (i < a->n && j < b->n && same(a, i, b, j)) {
			put(out, indent, "  ", a->start[i], a->len[i]);
			i++;
			j++;
		} else if (j < b->n && (i == a->n || t[i * w + j + 1] >= t[(i + 1) * w + j])) {
			put(out, indent, "+ ", b->start[j], b->len[j]);
			j++;
		} else {
			put(out, indent, "- ", a->start[i], a->len[i]);
			i++;
		}
	}
	free(t);
}

void text_diff(FILE *out, const char *indent, const char *a, size_t alen,
	       const char *b, size_t blen)
{
	struct lines la = { 0 }, lb = { 0 };

	if (split_lines(a, alen, &la) || split_lines(b, blen, &lb)) {
		fprintf(out, "%s(out of memory for the diff)\n", indent);
	} else if ((la.n + 1) * (lb.n + 1) <= LCS_MAX_CELLS) {
		lcs(out, indent, &la, &lb);
	} else {
		pairwise(out, indent, &la, &lb);
	}
	free_lines(&la);
	free_lines(&lb);
}
