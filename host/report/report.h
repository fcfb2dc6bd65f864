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
 * All text from the scenario and from the guest goes out through escape.h,
 * so none of it can pass for a result, a directive or markup.
 *
 * Exit status (docs/scenario-language.md) is decided by the caller.  The
 * caller opens the JUnit file before the guest boots (report_open_junit),
 * and report_finish() writes the plan and the file on the paths where the
 * run never reached report_end(): a scenario error, no accelerator, an
 * unusable kernel.
 */
#ifndef HOST_REPORT_H
#define HOST_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "scenario/scenario.h"

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
	FILE *junit;			/* report_open_junit() */
	const char *file;		/* the scenario */
	unsigned passed, failed;	/* failed counts errors too */
	unsigned errors, skipped;	/* the guest ended; nothing could run */
	bool begun, ended;
	struct timespec start, last;	/* of the run and of the last point */
	struct report_item *items;	/* kept for JUnit */
	size_t nitems, cap;
};

/* Open (create, truncate) --junit FILE now; -1 with the reason in why. */
int report_open_junit(struct report *r, char *why, size_t whylen);

void report_begin(struct report *r);
void report_console(struct report *r, const char *line, size_t len);
void report_note(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void report_point(struct report *r, const struct stmt *s, bool ok, const char *details);
void report_show(struct report *r, const struct stmt *s, const char *text, size_t len);
/* The guest is gone: say why; the statements left are not run. */
void report_abort(struct report *r, const struct stmt *s, const char *diag);
/* Closing lines and the JUnit file; returns -1 (and says so) if the JUnit file failed. */
int report_end(struct report *r);
/*
 * After the run, whatever its status: if report_end() has not run, close
 * the report for a run that ended with `status` before its statements did.
 * EXIT_NO_ACCEL is a skip (TAP "1..0 # SKIP why"), anything else one test
 * point in error saying why.  Returns report_end()'s result, or 0.
 */
int report_finish(struct report *r, int status, const char *why);

#endif
