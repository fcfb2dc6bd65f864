/* SPDX-License-Identifier: MIT */
/*
 * A finished run judged against what its scenario's headers promise: the
 * exit status and the output lines.  A run that kept its promises passes
 * whatever its status; one that did not is, by what happened:
 *
 *   TIMEOUT  killed at its time limit, or `vmm run` said the guest timed out (4)
 *   CRASH    vmm died by a signal, or said the guest crashed (3)
 *   SKIP     vmm said no accelerator can run a guest (77)
 *   FAIL     anything else
 *
 * Each case's status is then what it adds to the suite's exit status.
 */
#ifndef HOST_SUITE_JUDGE_H
#define HOST_SUITE_JUDGE_H

#include "jobs.h"
#include "report/report.h"
#include "suite.h"

void judge(struct suite_case *k, const struct job *j);

/* k did not run: a skip, for reason; status EXIT_NO_ACCEL where no accelerator could. */
void judge_skip(struct suite_case *k, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
