/* SPDX-License-Identifier: MIT */
/*
 * Results, in the format the user asked for.  Every expectation, `check`
 * and failed command is one test point.
 *
 *   human (default)  "ok   file:line  statement" / "FAIL file:line ..." with
 *                    details indented, a closing "vmm: N passed, M failed"
 *   --tap            TAP version 13, the plan at the end, details as YAML
 *   --junit FILE     additionally, a JUnit XML file for CI dashboards
 *
 * Exit status (docs/scenario-language.md) is decided by the caller.
 */
#ifndef HOST_REPORT_H
#define HOST_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "scenario.h"

enum exit_code {
	EXIT_PASS = 0,
	EXIT_FAILED = 1,
	EXIT_USAGE = 2,
	EXIT_CRASH = 3,
	EXIT_TIMEOUT = 4,
	EXIT_NO_ACCEL = 77,
};

enum report_format { REPORT_HUMAN, REPORT_TAP };

struct report_item;

struct report {
	enum report_format fmt;
	FILE *out;
	bool quiet;			/* no guest console, no notes */
	const char *junit_path;
	const char *file;		/* the scenario */
	unsigned passed, failed;
	struct report_item *items;	/* kept for JUnit */
	size_t nitems, cap;
};

void report_begin(struct report *r);
void report_console(struct report *r, const char *line, size_t len);
void report_note(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void report_point(struct report *r, const struct stmt *s, bool ok, const char *details);
void report_show(struct report *r, const struct stmt *s, const char *text, size_t len);
/* The guest is gone: say why; the statements left are not run. */
void report_abort(struct report *r, const struct stmt *s, const char *diag);
/* Closing lines and the JUnit file; returns -1 if the JUnit file failed. */
int report_end(struct report *r);

#endif
