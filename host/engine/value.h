/* SPDX-License-Identifier: MIT */
/*
 * Values in a running scenario: what commands return, what names are bound
 * to, what expectations compare.  A value is a number or a text; it may
 * carry named fields (`$p.zone`) and bytes its command keeps for a later
 * one: the blocks of a page allocation, so that `free_pages $p` can give
 * back exactly those.
 */
#ifndef HOST_VALUE_H
#define HOST_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum value_kind { VAL_NONE, VAL_NUM, VAL_TEXT };

struct value_field;

struct value {
	enum value_kind kind;
	uint64_t num;
	char *text;			/* owned, NUL-terminated; len excludes the NUL */
	size_t len;
	struct value_field *fields;	/* owned */
	size_t nfields;
	void *payload;			/* owned: what the command that made it keeps */
	size_t payload_len;
};

struct value_field {
	const char *name;		/* static: from a command's or subject's table */
	struct value value;
};

static inline struct value value_num(uint64_t n)
{
	return (struct value){ .kind = VAL_NUM, .num = n };
}

/* A text value holding a copy of [s, s + len); VAL_NONE if out of memory. */
struct value value_text(const char *s, size_t len);
struct value value_copy(const struct value *v);
void value_free(struct value *v);

/* Attach a copy of [data, data + len) as v's payload; -1 if out of memory. */
int value_set_payload(struct value *v, const void *data, size_t len);

/* Attach a field (taking ownership of fv); -1 if out of memory. */
int value_add_field(struct value *v, const char *name, struct value fv);
const struct value *value_field(const struct value *v, const char *name);

/* "42" or "0x1000 (4096)" style for numbers; the text itself for text. */
void value_format(const struct value *v, char *buf, size_t size);

#endif
