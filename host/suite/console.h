/* SPDX-License-Identifier: MIT */
/*
 * What `vmm test` prints while it runs: a line per case as it ends, then
 * "N passed, N failed, N skipped" (failed counting timeouts and crashes).
 *
 * A case that did not pass shows why, and the end of its log.  Passing
 * cases are listed where the output is kept (a pipe, a CI log); on a
 * terminal they only go by on the progress line, so that a suite that
 * passes fits on a screen (-v lists them there too, -q nowhere).  With
 * --tap the same results are TAP version 13, with the reasons as YAML and
 * the end of the log as comments, and the summary as a comment.
 */
#ifndef HOST_SUITE_CONSOLE_H
#define HOST_SUITE_CONSOLE_H

#include <stdbool.h>
#include <stdio.h>

#include "suite.h"

enum console_passes { PASSES_AUTO, PASSES_SHOW, PASSES_HIDE };

struct console {
	FILE *out;
	bool tap;
	enum console_passes passes;
	/* Set by console_begin(). */
	bool tty;
	size_t total, done, passed, failed, skipped;
	const char *last_started;
};

void console_begin(struct console *c, size_t total);
void console_started(struct console *c, const struct suite_case *k);
void console_result(struct console *c, const struct suite_case *k);
void console_end(struct console *c);

#endif
