/* SPDX-License-Identifier: MIT */
/*
 * Text from the scenario file and from the guest, written so that it cannot
 * pass for anything else: no escape sequence reaches a terminal, no '#'
 * turns a TAP test point into a TODO, no byte makes a JUnit file invalid XML.
 *
 * Every style first makes the text printable ASCII with channel_sanitize()
 * (any other byte becomes \xNN, so invalid UTF-8 and NUL are harmless too),
 * then escapes what is special where it goes.
 */
#ifndef HOST_ESCAPE_H
#define HOST_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

enum escape_style {
	ESC_TEXT,	/* one terminal line: a newline too becomes \x0a */
	ESC_TAP,	/* a TAP description or directive: also '\' as \\ and '#' as \# */
	ESC_YAML,	/* inside a YAML "double-quoted" scalar: '"', '\', newline as \n */
	ESC_XML,	/* an XML attribute value: & < > " ' as entities, newline as \x0a */
	ESC_XML_LINES,	/* XML element text: the same, newlines kept */
};

/* Write s[0, len) to f in the given style. */
void escape_write(FILE *f, enum escape_style style, const char *s, size_t len);

/* The same for a NUL-terminated string. */
void escape_puts(FILE *f, enum escape_style style, const char *s);

#endif
