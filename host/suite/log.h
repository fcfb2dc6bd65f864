/* SPDX-License-Identifier: MIT */
/*
 * A case's log: everything its `vmm run` wrote, kept under the log folder
 * as ACCEL/PATH.log (PATH without ".vmm", a repetition K > 1 as PATH.K.log;
 * ".." in a path becomes "__" and a leading '/' is dropped, so that every
 * log stays inside the folder).  Only the end of a log is ever shown.
 */
#ifndef HOST_SUITE_LOG_H
#define HOST_SUITE_LOG_H

#include <stddef.h>

#include "suite.h"

#define LOG_TAIL_MAX	50

/* The log's path, its folders made; NULL with the reason in err. */
char *log_path(const char *dir, const struct suite_case *k, char *err, size_t errlen);

struct log_tail {
	char *lines[LOG_TAIL_MAX];	/* without their newlines */
	size_t n;
	size_t before;			/* lines before these */
};

/* The last max (<= LOG_TAIL_MAX) lines of path; none if it cannot be read. */
void log_tail_read(const char *path, size_t max, struct log_tail *t);
void log_tail_free(struct log_tail *t);

/* mkdir -p; -1 with errno set. */
int make_dirs(const char *path);

#endif
