/* SPDX-License-Identifier: MIT */
/*
 * Which scenarios a suite has, what each one's header lines promise, and
 * which of them a command line selects.
 *
 * Header lines are comments of the form "# KEY: VALUE" anywhere in the
 * file; other comments are left alone:
 *
 *   # expect-exit: N          `vmm run`'s exit status (default 0)
 *   # expect-output: TEXT     some output line contains TEXT (repeatable)
 *   # vmm-args: ARGS          options for `vmm run`, split at blanks
 *   # vmm-env: NAME=VALUE...  environment for `vmm run`
 *   # accel: NAME...          runs only on these accelerators, skipped elsewhere
 *   # group: NAME...          the groups --group and --exclude name
 *   # time-limit: SECONDS     instead of the suite's --time-limit
 *
 * A header that cannot mean anything is an error naming FILE:LINE, never a
 * guess.
 */
#ifndef HOST_SUITE_SELECT_H
#define HOST_SUITE_SELECT_H

#include "suite.h"

struct scenario_headers {
	char *path;
	int expect_exit;
	struct strv outputs, args, env, accels, groups;
	unsigned limit_ms;		/* 0: the suite's */
};

/* Read path's header lines; -1 with "FILE:LINE: why" (or "FILE: why") in err. */
int headers_read(const char *path, struct scenario_headers *h, char *err, size_t errlen);
void headers_free(struct scenario_headers *h);

/*
 * Every scenario under the files and folders given (folders: every *.vmm
 * below them), sorted by path, each once; -1 with the reason in err.
 */
int scenarios_find(char *const *paths, size_t npaths, struct strv *found, char *err, size_t errlen);

struct selection {
	struct strv groups;		/* --group: any of these; empty: any */
	struct strv excludes;		/* --exclude: globs */
};

/* Whether h is in the selection. */
bool selected(const struct selection *sel, const struct scenario_headers *h);

/* Split "a,b c" at commas and blanks into s. */
void strv_split(struct strv *s, const char *list, const char *seps);

#endif
