/* SPDX-License-Identifier: MIT */
/*
 * A pool of child processes, at most `parallel` at a time, each with a time
 * limit.  Each job is a process group of its own (whatever it starts, QEMU
 * for instance, is in it), its standard output and error go to its log and
 * its standard input is /dev/null.  The pool waits on a pidfd per child;
 * a job past its limit has its whole group killed with SIGKILL, and so has
 * a job's group when the job ends, so that nothing it started outlives it.
 *
 * SIGINT, SIGTERM and SIGHUP while the pool runs kill every group it
 * started and then end the process by that same signal.
 */
#ifndef HOST_SUITE_JOBS_H
#define HOST_SUITE_JOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

struct job {
	char *const *argv;		/* argv[0]: a path, or a name looked up in PATH */
	char *const *env;		/* NAME=VALUE set in the child; may be NULL */
	const char *log;
	unsigned limit_ms;
	void *data;			/* the caller's */
	/* Set by the pool. */
	pid_t pid;
	int pidfd;
	struct timespec start;
	int status;			/* waitpid()'s, when !timed_out */
	bool timed_out;
	double secs;
};

struct job_ops {
	void (*started)(struct job *job, void *arg);	/* may be NULL */
	void (*done)(struct job *job, void *arg);
};

/*
 * Run jobs[0..n), in order, at most parallel at a time.  0 when every job
 * ended (whatever its status), -1 with the reason in err when one could
 * not be started; the jobs still running are then killed and waited for.
 */
int jobs_run(struct job *const *jobs, size_t n, unsigned parallel, const struct job_ops *ops,
	     void *arg, char *err, size_t errlen);

#endif
