// SPDX-License-Identifier: MIT
/* Judging a finished run by its scenario's headers. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "judge.h"
#include "select.h"

#define MAX_LOG		(64u << 20)	/* what is searched for expect-output */

static char *read_log(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf;

	*len = 0;
	if (!f)
		return NULL;
	buf = malloc(MAX_LOG);
	if (!buf)
		abort();
	*len = fread(buf, 1, MAX_LOG, f);
	fclose(f);
	return buf;
}

static void add_reason(char **reason, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add_reason(char **reason, const char *fmt, ...)
{
	char *more, *joined;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&more, fmt, ap) < 0)
		abort();
	va_end(ap);
	if (!*reason) {
		*reason = more;
		return;
	}
	if (asprintf(&joined, "%s; %s", *reason, more) < 0)
		abort();
	free(*reason);
	free(more);
	*reason = joined;
}

/* The first line of the log that vmm wrote about itself ("vmm: ..."), for a skip. */
static void vmm_says(char **reason, const char *log, size_t len)
{
	const char *p = memmem(log, len, "vmm: ", 5);

	while (p && p != log && p[-1] != '\n')
		p = memmem(p + 1, len - (p + 1 - log), "vmm: ", 5);
	if (p)
		add_reason(reason, "%.*s", (int)strcspn(p + 5, "\n"), p + 5);
	else
		add_reason(reason, "vmm ended with status 77: no accelerator can run a guest");
}

static void judge_status(struct suite_case *k, int code, const char *log, size_t len)
{
	int want = k->hdr->expect_exit;

	if (code == want) {
		k->outcome = k->reason ? OUTCOME_FAIL : OUTCOME_PASS;
		k->status = k->reason ? EXIT_FAILED : 0;
		return;
	}
	switch (code) {
	case EXIT_NO_ACCEL:
		free(k->reason);
		k->reason = NULL;
		vmm_says(&k->reason, log, len);
		k->outcome = OUTCOME_SKIP;
		k->status = EXIT_NO_ACCEL;
		return;
	case EXIT_CRASH:
		k->outcome = OUTCOME_CRASH;
		break;
	case EXIT_TIMEOUT:
		k->outcome = OUTCOME_TIMEOUT;
		break;
	default:
		k->outcome = OUTCOME_FAIL;
		code = code == EXIT_USAGE ? code : EXIT_FAILED;
	}
	k->status = code;
}

void judge(struct suite_case *k, const struct job *j)
{
	const struct scenario_headers *h = k->hdr;
	char *reason = NULL;
	size_t len;
	char *log = read_log(k->log, &len);
	int code = -1;

	k->secs = j->secs;
	if (j->timed_out) {
		add_reason(&reason, "no result within its time limit of %.1f s: killed",
			   j->limit_ms / 1000.0);
	} else if (WIFSIGNALED(j->status)) {
		add_reason(&reason, "vmm was killed by signal %d (%s)", WTERMSIG(j->status),
			   strsignal(WTERMSIG(j->status)));
	} else {
		code = WEXITSTATUS(j->status);
		if (code != h->expect_exit)
			add_reason(&reason, "exit status %d, expected %d", code, h->expect_exit);
		for (size_t i = 0; i < h->outputs.n; i++) {
			const char *want = h->outputs.v[i];

			if (!log || !memmem(log, len, want, strlen(want)))
				add_reason(&reason, "no output line contains '%s'", want);
		}
	}
	free(k->reason);
	k->reason = reason;
	if (j->timed_out) {
		k->outcome = OUTCOME_TIMEOUT;
		k->status = EXIT_TIMEOUT;
	} else if (code < 0) {
		k->outcome = OUTCOME_CRASH;
		k->status = EXIT_CRASH;
	} else {
		judge_status(k, code, log ? log : "", len);
	}
	free(log);
}

void judge_skip(struct suite_case *k, int status, const char *fmt, ...)
{
	va_list ap;

	free(k->reason);
	va_start(ap, fmt);
	if (vasprintf(&k->reason, fmt, ap) < 0)
		abort();
	va_end(ap);
	k->outcome = OUTCOME_SKIP;
	k->status = status;
}
