// SPDX-License-Identifier: MIT
/* The process pool: children in groups of their own, time limits, pidfds. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jobs.h"
#include "lib/kernel.h"

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define NR_STOP_SIGNALS	ARRAY_SIZE(stop_signals)

static volatile sig_atomic_t stopped_by;

static void on_stop(int sig)
{
	stopped_by = sig;
}

static long ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000;
}

static long ms_left(const struct job *j)
{
	long left = (long)j->limit_ms - ms_since(&j->start);

	return left > 0 ? left : 0;
}

/* In the child: the job's group, files and environment, then the program. */
static void __attribute__((noreturn)) job_exec(const struct job *j, int log, const sigset_t *mask)
{
	int null = open("/dev/null", O_RDONLY);

	setpgid(0, 0);
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(log, STDOUT_FILENO) < 0 ||
	    dup2(log, STDERR_FILENO) < 0)
		_exit(127);
	for (char *const *e = j->env; e && *e; e++)
		putenv(*e);
	execvp(j->argv[0], j->argv);
	dprintf(STDERR_FILENO, "vmm test: cannot run %s: %s\n", j->argv[0], strerror(errno));
	_exit(127);
}

static int job_start(struct job *j, const sigset_t *mask, char *err, size_t errlen)
{
	int log = open(j->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);

	if (log < 0) {
		snprintf(err, errlen, "%s: cannot write the log: %s", j->log, strerror(errno));
		return -1;
	}
	j->timed_out = false;
	clock_gettime(CLOCK_MONOTONIC, &j->start);
	j->pid = fork();
	if (!j->pid)
		job_exec(j, log, mask);
	close(log);
	if (j->pid < 0) {
		snprintf(err, errlen, "cannot start a process: %s", strerror(errno));
		return -1;
	}
	/* The child does the same: whichever runs first, kill(-pid) then finds the group. */
	setpgid(j->pid, j->pid);
	j->pidfd = syscall(SYS_pidfd_open, j->pid, 0);
	if (j->pidfd < 0) {
		snprintf(err, errlen, "pidfd_open: %s", strerror(errno));
		kill(-j->pid, SIGKILL);
		waitpid(j->pid, &j->status, 0);
		return -1;
	}
	return 0;
}

/*
 * The group first, while the unreaped leader still holds its number so
 * that it cannot name another group; then the leader.
 */
static void job_reap(struct job *j)
{
	kill(-j->pid, SIGKILL);
	while (waitpid(j->pid, &j->status, 0) < 0 && errno == EINTR)
		;
	close(j->pidfd);
	j->secs = ms_since(&j->start) / 1000.0;
}

static void stop_signals_catch(bool on, sigset_t *old_mask, struct sigaction *old)
{
	struct sigaction sa = { .sa_handler = on_stop };
	sigset_t block;

	if (!on) {
		for (size_t i = 0; i < NR_STOP_SIGNALS; i++)
			sigaction(stop_signals[i], &old[i], NULL);
		sigprocmask(SIG_SETMASK, old_mask, NULL);
		return;
	}
	stopped_by = 0;
	sigemptyset(&block);
	for (size_t i = 0; i < NR_STOP_SIGNALS; i++) {
		sigaddset(&block, stop_signals[i]);
		sigaction(stop_signals[i], &sa, &old[i]);
	}
	/* Blocked but while in ppoll(), so that none is lost between a check and the wait. */
	sigprocmask(SIG_BLOCK, &block, old_mask);
}

/* Wait for one or more of running[0..n) to end or run out of time; the others stay. */
static size_t jobs_wait(struct job **running, size_t n, struct pollfd *pfd,
			const sigset_t *mask, const struct job_ops *ops, void *arg)
{
	long timeout = ms_left(running[0]);
	struct timespec ts;
	size_t kept = 0;

	for (size_t i = 0; i < n; i++) {
		pfd[i] = (struct pollfd){ .fd = running[i]->pidfd, .events = POLLIN };
		if (ms_left(running[i]) < timeout)
			timeout = ms_left(running[i]);
	}
	ts = (struct timespec){ timeout / 1000, timeout % 1000 * 1000000 };
	if (ppoll(pfd, n, &ts, mask) < 0)
		return n;	/* EINTR: the caller looks at stopped_by */
	for (size_t i = 0; i < n; i++) {
		struct job *j = running[i];

		if (!pfd[i].revents && ms_left(j)) {
			running[kept++] = j;
			continue;
		}
		j->timed_out = !pfd[i].revents;
		job_reap(j);
		ops->done(j, arg);
	}
	return kept;
}

int jobs_run(struct job *const *jobs, size_t n, unsigned parallel, const struct job_ops *ops,
	     void *arg, char *err, size_t errlen)
{
	struct job **running = calloc(parallel, sizeof(*running));
	struct pollfd *pfd = calloc(parallel, sizeof(*pfd));
	struct sigaction old[NR_STOP_SIGNALS];
	size_t next = 0, nrun = 0;
	sigset_t mask;
	int ret = 0;

	if (!running || !pfd)
		abort();
	stop_signals_catch(true, &mask, old);
	while ((next < n || nrun) && !stopped_by) {
		while (nrun < parallel && next < n) {
			if (job_start(jobs[next], &mask, err, errlen)) {
				ret = -1;
				goto out;
			}
			running[nrun++] = jobs[next];
			if (ops->started)
				ops->started(jobs[next], arg);
			next++;
		}
		nrun = jobs_wait(running, nrun, pfd, &mask, ops, arg);
	}
out:
	for (size_t i = 0; i < nrun; i++)
		job_reap(running[i]);
	stop_signals_catch(false, &mask, old);
	free(running);
	free(pfd);
	if (stopped_by)
		raise(stopped_by);	/* the caller's handler, or the default: the end */
	return ret;
}
