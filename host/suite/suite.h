/* SPDX-License-Identifier: MIT */
/*
 * `vmm test`: a suite of scenarios run in parallel, each by a `vmm run` of
 * its own, in a process group of its own, with its own time limit and log.
 *
 * A case is one scenario on one accelerator (and, with --repeat, one of its
 * repetitions).  Its name, "ACCEL PATH", is what the record, the shards,
 * --rerun-failed and the JUnit file know it by.  How a case is judged is
 * said by the scenario's header lines (select.h); its outcome is one of
 * enum outcome; the suite's exit status is the most serious of them, in
 * `vmm run`'s codes (suite_status()).
 *
 * suite_main() is the whole command: main.c calls it with argv[0] "test".
 */
#ifndef HOST_SUITE_SUITE_H
#define HOST_SUITE_SUITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A growable NULL-terminated vector of strings it owns. */
struct strv {
	char **v;
	size_t n, cap;
};

void strv_push(struct strv *s, const char *str);
void strv_free(struct strv *s);
bool strv_has(const struct strv *s, const char *str);

/* In the order of seriousness suite_status() uses for the exit status. */
enum outcome {
	OUTCOME_PASS, OUTCOME_SKIP, OUTCOME_FAIL, OUTCOME_TIMEOUT, OUTCOME_CRASH, NR_OUTCOMES
};

extern const char *const outcome_names[NR_OUTCOMES];	/* "pass", ... */

struct scenario_headers;

struct suite_case {
	const struct scenario_headers *hdr;	/* the scenario, path included */
	const char *accel;
	char *name;			/* "ACCEL PATH" */
	unsigned repeat;		/* 1.., of --repeat; "#K" after the name where K > 1 */
	/* The result. */
	enum outcome outcome;
	int status;			/* what it adds to the exit status */
	char *reason;			/* why it did not pass, one line */
	char *log;			/* where its output went; NULL if it did not run */
	double secs;
};

/* `vmm test ARGS...` (argv[0] is "test"), results on out. */
int suite_command(int argc, char **argv, FILE *out);

/* The same on standard output: the one call main.c makes. */
int suite_main(int argc, char **argv);

/* The exit status of a suite: its most serious case, in `vmm run`'s codes. */
int suite_status(const struct suite_case *const *cases, size_t n);

#endif
