// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

struct value value_text(const char *s, size_t len)
{
	char *t = malloc(len + 1);

	if (!t)
		return (struct value){ .kind = VAL_NONE };
	memcpy(t, s, len);
	t[len] = '\0';
	return (struct value){ .kind = VAL_TEXT, .text = t, .len = len };
}

struct value value_copy(const struct value *v)
{
	return v->kind == VAL_TEXT ? value_text(v->text, v->len) : *v;
}

void value_free(struct value *v)
{
	if (v->kind == VAL_TEXT)
		free(v->text);
	*v = (struct value){ .kind = VAL_NONE };
}

/* Addresses read best in hex, counts in decimal: large numbers get both. */
void value_format(const struct value *v, char *buf, size_t size)
{
	switch (v->kind) {
	case VAL_NUM:
		if (v->num < 4096)
			snprintf(buf, size, "%llu", (unsigned long long)v->num);
		else
			snprintf(buf, size, "%#llx (%llu)", (unsigned long long)v->num,
				 (unsigned long long)v->num);
		break;
	case VAL_TEXT:
		snprintf(buf, size, "%s", v->text);
		break;
	default:
		snprintf(buf, size, "(no value)");
	}
}
