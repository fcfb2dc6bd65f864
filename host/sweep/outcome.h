/* SPDX-License-Identifier: MIT */
/*
 * A sweep's verdicts: what one run with an injected failure left behind,
 * compared with a run without it, and the line that repeats the run.
 *
 *   handled  the failure surfaced as an error and every invariant held
 *   changed  an expectation failed, nothing worse: the failure showed
 *   leaked   after every process exited and the per-CPU lists drained,
 *            fewer pages are free or more slab objects live than without
 *            the failure
 *   broken   a `check` finding (right after the failing statement, or at
 *            the end), a bad-page report or a slab report the run without
 *            the failure did not have at the same point
 *   crashed  the guest panicked or oopsed
 *   hung     the watchdog ended the guest
 *
 * The worst applies: crashed and hung over broken over leaked over
 * changed over handled.  Pure functions of the two results, for unit tests.
 */
#ifndef HOST_SWEEP_OUTCOME_H
#define HOST_SWEEP_OUTCOME_H

#include <stddef.h>
#include <stdint.h>

enum sweep_outcome {
	SWEEP_HANDLED,
	SWEEP_CHANGED,
	SWEEP_LEAKED,
	SWEEP_BROKEN,
	SWEEP_CRASHED,
	SWEEP_HUNG,
	SWEEP_OUTCOME_NR
};

#define SWEEP_MAX_CACHES	64
#define SWEEP_MAX_STMTS		1024	/* statements whose findings the base run keeps */
#define SWEEP_NAME_LEN		32
#define SWEEP_TEXT_LEN		160
#define SWEEP_SITE_LEN		512

struct sweep_cache {
	char name[SWEEP_NAME_LEN];
	uint64_t active;		/* live objects */
};

/* What one run left behind, as its epilogue measured it (fixed size: it crosses a pipe). */
struct sweep_result {
	int exit_status;		/* vmm run's (enum exit_code) */
	int measured;			/* the epilogue ran: the guest was still alive */
	uint64_t injected;		/* failures the swept attribute injected */
	uint64_t free_pages;
	uint64_t findings;		/* `check` findings after the epilogue */
	uint64_t mid_findings;		/* ... right after the statement the failure came in */
	uint64_t bad_pages, slab_reports;
	uint64_t expects_failed;
	unsigned int line;		/* the statement during which the failure came */
	unsigned int stmt;		/* ... its index */
	unsigned int nr_caches;
	char site[SWEEP_SITE_LEN];	/* where: the symbolized call chain, innermost first */
	char detail[SWEEP_TEXT_LEN];	/* the crash, the first finding, ... */
	char stmt_text[SWEEP_TEXT_LEN];	/* the statement on `line` */
	struct sweep_cache caches[SWEEP_MAX_CACHES];
	uint16_t stmt_findings[SWEEP_MAX_STMTS];	/* the base run: after each statement */
};

const char *sweep_outcome_name(enum sweep_outcome o);

/* The verdict on run against base, the same scenario with nothing injected; why says what. */
enum sweep_outcome sweep_classify(const struct sweep_result *base, const struct sweep_result *run,
				  char *why, size_t whylen);

/*
 * The one line that repeats a run: `vmm run --inject 'ATTR nth=N' FILE`,
 * or, for a sweep of lines from..to only (to != 0), `vmm sweep --attr
 * ATTR --lines FROM-TO --nth N FILE`; the file shell-quoted when it needs
 * to be.  -1 if buf is too small.
 */
int sweep_reproducer(char *buf, size_t size, const char *attr, uint64_t nth, unsigned int from,
		     unsigned int to, const char *file);

#endif
