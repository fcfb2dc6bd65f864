/* SPDX-License-Identifier: MIT */
#ifndef HOST_DIFF_H
#define HOST_DIFF_H

#include <stddef.h>
#include <stdio.h>

/*
 * Write a line diff of expected text `a` against actual text `b`: unchanged
 * lines with "  ", lines only in a with "- ", only in b with "+ ", each
 * prefixed by `indent`.  Minimal (longest common subsequence) for texts up
 * to a few thousand lines; larger texts fall back to a line-by-line pairing.
 */
void text_diff(FILE *out, const char *indent, const char *a, size_t alen,
	       const char *b, size_t blen);

#endif
