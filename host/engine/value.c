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
	struct value c = v->kind == VAL_TEXT ? value_text(v->text, v->len) : value_num(v->num);

	c.kind = v->kind;
	for (size_t i = 0; i < v->nfields; i++)
		value_add_field(&c, v->fields[i].name, value_copy(&v->fields[i].value));
	if (v->payload)
		value_set_payload(&c, v->payload, v->payload_len);
	return c;
}

int value_set_payload(struct value *v, const void *data, size_t len)
{
	void *p = malloc(len ? len : 1);

	if (!p)
		return -1;
	free(v->payload);
	v->payload = memcpy(p, data, len);
	v->payload_len = len;
	return 0;
}

void value_free(struct value *v)
{
	for (size_t i = 0; i < v->nfields; i++)
		value_free(&v->fields[i].value);
	free(v->fields);
	free(v->payload);
	if (v->kind == VAL_TEXT)
		free(v->text);
	*v = (struct value){ .kind = VAL_NONE };
}

int value_add_field(struct value *v, const char *name, struct value fv)
{
	struct value_field *f = realloc(v->fields, (v->nfields + 1) * sizeof(*f));

	if (!f) {
		value_free(&fv);
		return -1;
	}
	v->fields = f;
	f[v->nfields++] = (struct value_field){ name, fv };
	return 0;
}

const struct value *value_field(const struct value *v, const char *name)
{
	for (size_t i = 0; i < v->nfields; i++)
		if (!strcmp(v->fields[i].name, name))
			return &v->fields[i].value;
	return NULL;
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
