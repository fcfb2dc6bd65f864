// SPDX-License-Identifier: MIT
/* Escaping text for the terminal, TAP, YAML and XML (see escape.h). */
#include <stdbool.h>
#include <string.h>

#include "vm/channel.h"
#include "escape.h"

#define CHUNK	256	/* input bytes sanitized at a time */

/* One printable ASCII byte (or a kept newline), escaped for its place. */
static void put_char(FILE *f, enum escape_style style, char c)
{
	const char *with = NULL;

	switch (c) {
	case '\n': with = style == ESC_YAML ? "\\n" : "\n"; break;
	case '\\': with = style == ESC_TAP || style == ESC_YAML ? "\\\\" : NULL; break;
	case '#': with = style == ESC_TAP ? "\\#" : NULL; break;
	case '"': with = style == ESC_YAML ? "\\\"" : style >= ESC_XML ? "&quot;" : NULL; break;
	case '\'': with = style >= ESC_XML ? "&apos;" : NULL; break;
	case '&': with = style >= ESC_XML ? "&amp;" : NULL; break;
	case '<': with = style >= ESC_XML ? "&lt;" : NULL; break;
	case '>': with = style >= ESC_XML ? "&gt;" : NULL; break;
	}
	if (with)
		fputs(with, f);
	else
		fputc(c, f);
}

void escape_write(FILE *f, enum escape_style style, const char *s, size_t len)
{
	bool keep_newlines = style == ESC_YAML || style == ESC_XML_LINES;
	char buf[4 * CHUNK + 1];	/* room for every byte as \xNN */

	for (size_t i = 0; i < len; i += CHUNK) {
		size_t n = len - i < CHUNK ? len - i : CHUNK;
		size_t out = channel_sanitize(buf, sizeof(buf), s + i, n, keep_newlines);

		for (size_t j = 0; j < out; j++)
			put_char(f, style, buf[j]);
	}
}

void escape_puts(FILE *f, enum escape_style style, const char *s)
{
	escape_write(f, style, s, strlen(s));
}
