// SPDX-License-Identifier: MIT
/* Vectors of strings: lists of options, headers, paths. */
#include <stdlib.h>
#include <string.h>

#include "select.h"

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p)
		abort();
	return p;
}

void strv_push(struct strv *s, const char *str)
{
	char *copy = strdup(str);

	if (!copy)
		abort();
	/* One more for the terminating NULL, so that v can be an argv. */
	if (s->n + 2 > s->cap) {
		s->cap = s->cap ? 2 * s->cap : 8;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = copy;
	s->v[s->n] = NULL;
}

void strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	*s = (struct strv){ 0 };
}

bool strv_has(const struct strv *s, const char *str)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], str))
			return true;
	return false;
}

void strv_split(struct strv *s, const char *list, const char *seps)
{
	while (*list) {
		size_t len;
		char *word;

		list += strspn(list, seps);
		len = strcspn(list, seps);
		if (!len)
			break;
		word = strndup(list, len);
		if (!word)
			abort();
		strv_push(s, word);
		free(word);
		list += len;
	}
}
