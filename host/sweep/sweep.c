// SPDX-License-Identifier: MIT
/*
 * vmm sweep (sweep.h).  Each run is a child process: it boots its own
 * guest, runs the scenario with the plan "ATTR nth=N" and hands its
 * struct sweep_result back through a pipe.  -j N keeps N children going,
 * each new one taking the next N; a run in which the nth call never came
 * ends the attribute's sweep, and runs already started beyond it are
 * dropped.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/inject_plan.h"
#include "engine/run.h"
#include "lib/escape.h"
#include "lib/kernel.h"
#include "lib/seconds.h"
#include "probe.h"
#include "sweep.h"
#include "vm/accel/accel.h"
#include "lib/tally.h"
#include "lib/child.h"

#define SWEEP_MAX_JOBS		64
#define SWEEP_DEFAULT_MAX	5000	/* runs per attribute */

struct sweep_run {
	unsigned int attr;
	uint64_t nth;			/* 0: the run without a failure */
	struct sweep_result res;
	enum sweep_outcome outcome;
	char why[SWEEP_TEXT_LEN];
	double seconds;
};

struct sweep {
	const char *file;
	struct scenario sc;
	struct machine m;		/* its vm line */
	struct run_options opt;
	struct sweep_run base;
	struct sweep_run *runs;
	size_t nruns, cap;
	unsigned int jobs;
	uint64_t max_runs;
	uint64_t only_nth;		/* --nth: that run alone; 0: every one */
	unsigned int from, to;		/* --lines: the plan only there; 0: everywhere */
	bool progress;			/* a progress line on the terminal */
	double start;
};

/* The child: one run, its result down the pipe, and nothing on the terminal. */
static __attribute__((noreturn)) void child_run(struct sweep *sw, unsigned int attr,
						uint64_t nth, int fd)
{
	struct report rep = { .fmt = REPORT_HUMAN, .quiet = true };
	struct run_options opt = sw->opt;
	struct inject_plan plan;
	struct sweep_probe probe;
	rep.out = child_silence();
	rep.file = sw->file;
	inject_plan_init(&plan, attr);
	plan.cfg.nth = nth;
	sweep_probe_init(&probe, attr);
	probe.check_each = !nth;
	opt.report = &rep;
	if (nth && sw->to)
		sweep_probe_lines(&probe, &plan, sw->from, sw->to);
	else if (nth) {
		opt.inject = &plan;
		opt.ninject = 1;
	}
	opt.hooks = &sweep_probe_hooks;
	opt.hooks_arg = &probe;
	probe.res.exit_status = scenario_run(&sw->sc, &sw->m, &opt);
	if (write(fd, &probe.res, sizeof(probe.res)) != sizeof(probe.res))
		_exit(126);
	_exit(0);
}

struct job {
	pid_t pid;
	int fd;
	uint64_t nth;
	double start;
};

static int job_start(struct sweep *sw, struct job *j, unsigned int attr, uint64_t nth)
{
	j->pid = fork_piped(&j->fd);
	if (j->pid < 0)
		return -1;
	if (j->pid == 0)
		child_run(sw, attr, nth, j->fd);
	j->nth = nth;
	j->start = monotonic_seconds();
	return 0;
}

/* Waits for the job; a child that died without a result counts as a crash of vmm itself. */
static void job_finish(struct job *j, struct sweep_run *r)
{
	ssize_t got = 0, n;
	int wstatus;

	while (got < (ssize_t)sizeof(r->res) &&
	       ((n = read(j->fd, (char *)&r->res + got, sizeof(r->res) - got)) > 0 ||
		(n < 0 && errno == EINTR)))
		got += n > 0 ? n : 0;
	close(j->fd);
	waitpid(j->pid, &wstatus, 0);
	r->nth = j->nth;
	r->seconds = monotonic_seconds() - j->start;
	if (got != sizeof(r->res)) {
		memset(&r->res, 0, sizeof(r->res));
		r->res.exit_status = EXIT_CRASH;
		r->res.injected = 1;
		snprintf(r->res.detail, sizeof(r->res.detail),
			 "vmm's run process ended (status 0x%x)", wstatus);
	}
	j->pid = 0;
}

static struct sweep_run *add_run(struct sweep *sw)
{
	if (sw->nruns == sw->cap) {
		size_t cap = sw->cap ? sw->cap * 2 : 64;
		struct sweep_run *n = realloc(sw->runs, cap * sizeof(*n));

		if (!n)
			return NULL;
		sw->runs = n;
		sw->cap = cap;
	}
	return memset(&sw->runs[sw->nruns++], 0, sizeof(struct sweep_run));
}

static void show_progress(struct sweep *sw, unsigned int attr, uint64_t nth)
{
	double t = monotonic_seconds() - sw->start;

	if (sw->progress)
		fprintf(stderr, "\r\033[Ksweep: %s nth=%llu, %zu runs, %.1f runs/s",
			inject_attr_name(attr), (unsigned long long)nth, sw->nruns,
			t > 0 ? sw->nruns / t : 0.0);
}

static int by_nth(const void *a, const void *b)
{
	const struct sweep_run *x = a, *y = b;

	if (x->attr != y->attr)
		return x->attr < y->attr ? -1 : 1;
	return x->nth < y->nth ? -1 : x->nth > y->nth;
}

/*
 * nth = 1, 2, ... with up to sw->jobs runs at a time, until a run in which
 * the nth call never came: that run and every later one are not kept.
 */
static int sweep_attr(struct sweep *sw, unsigned int attr)
{
	struct job jobs[SWEEP_MAX_JOBS] = { 0 };
	uint64_t next = sw->only_nth ?: 1;
	uint64_t end = sw->only_nth ? sw->only_nth + 1 : sw->max_runs + 1;
	size_t first = sw->nruns;
	struct pollfd pf[SWEEP_MAX_JOBS];
	unsigned int busy = 0, n;

	while (busy || next < end) {
		while (busy < sw->jobs && next < end) {
			struct job *j = jobs;

			while (j->pid)
				j++;
			if (job_start(sw, j, attr, next++))
				return -1;
			busy++;
		}
		n = 0;
		for (unsigned int i = 0; i < sw->jobs; i++)
			if (jobs[i].pid)
				pf[n++] = (struct pollfd){ .fd = jobs[i].fd, .events = POLLIN };
		if (poll(pf, n, -1) < 0 && errno != EINTR)
			return -1;
		for (unsigned int i = 0; i < sw->jobs; i++) {
			struct sweep_run *r;
			struct pollfd *p = NULL;

			for (unsigned int k = 0; k < n; k++)
				if (jobs[i].pid && pf[k].fd == jobs[i].fd && pf[k].revents)
					p = &pf[k];
			if (!p)
				continue;
			r = add_run(sw);
			if (!r)
				return -1;
			r->attr = attr;
			job_finish(&jobs[i], r);
			busy--;
			if (!r->res.injected && r->nth < end)
				end = r->nth;
			show_progress(sw, attr, r->nth);
		}
	}
	/* Keep the runs below end, in order. */
	qsort(sw->runs + first, sw->nruns - first, sizeof(*sw->runs), by_nth);
	while (sw->nruns > first && sw->runs[sw->nruns - 1].nth >= end)
		sw->nruns--;
	for (size_t i = first; i < sw->nruns; i++) {
		struct sweep_run *r = &sw->runs[i];

		r->outcome = sweep_classify(&sw->base.res, &r->res, r->why, sizeof(r->why));
	}
	return 0;
}

/*
 * Where a failure came from, for the table: the first function in its
 * chain that is not the allocator itself, without the offset.
 */
static void site_of(const struct sweep_run *r, char *buf, size_t size)
{
	static const char *const allocator[] = {
		"should_fail", "__slab_alloc", "slab_alloc", "kmem_cache_alloc", "__kmalloc",
		"kmalloc", "krealloc", "alloc_pages", "__alloc_pages", "get_zeroed_page",
		"__get_free_pages", "__vmalloc", "vmalloc", "vzalloc", "vm_area_alloc",
		"vm_obj_alloc", "alloc_slab", "allocate_slab", "new_slab",
	};
	const char *f = r->res.site;

	snprintf(buf, size, "%s", *f ? "?" : "(none)");
	while (*f) {
		size_t len = strcspn(f, "+<");
		bool inside = false;

		for (size_t i = 0; i < ARRAY_SIZE(allocator); i++)
			inside |= !strncmp(f, allocator[i], strlen(allocator[i]));
		if (!inside) {
			snprintf(buf, size, "%.*s", (int)len, f);
			return;
		}
		f = strchr(f, '<');
		if (!f)
			return;
		f++;
	}
}

static const char *outcome_column(unsigned int col)
{
	return sweep_outcome_name(col);
}

static void print_tables(const struct sweep *sw)
{
	size_t max = sw->nruns ? sw->nruns : 1, nsites = 0, nlines = 0;
	struct tally *sites = calloc(max, sizeof(*sites)), *lines = calloc(max, sizeof(*lines));
	char key[SWEEP_TEXT_LEN];

	if (!sites || !lines) {
		free(sites);
		free(lines);
		return;
	}
	for (size_t i = 0; i < sw->nruns; i++) {
		const struct sweep_run *r = &sw->runs[i];
		char site[64];

		site_of(r, site, sizeof(site));
		snprintf(key, sizeof(key), "%s %s", inject_attr_name(r->attr), site);
		tally_add(sites, &nsites, max, key, r->outcome);
		snprintf(key, sizeof(key), "%u: %.*s", r->res.line, SWEEP_TEXT_LEN - 16,
			 r->res.stmt_text);
		tally_add(lines, &nlines, max, key, r->outcome);
	}
	tally_print("by allocation site", sites, nsites, SWEEP_OUTCOME_NR, outcome_column);
	tally_print("by statement", lines, nlines, SWEEP_OUTCOME_NR, outcome_column);
	free(sites);
	free(lines);
}

static bool bad(enum sweep_outcome o)
{
	return o != SWEEP_HANDLED && o != SWEEP_CHANGED;
}

/* The first frames of a chain "a+0x1/0x9<b+0x2/0x8<...", joined by " < ". */
static void print_chain(const char *chain, int frames)
{
	for (int i = 0; i < frames && *chain; i++) {
		size_t len = strcspn(chain, "<");

		printf("%s", i ? " < " : "");
		escape_write(stdout, ESC_TEXT, chain, len);
		chain += len + (chain[len] == '<');
	}
}

/* Every run that was not handled, with the line that repeats it. */
static unsigned int print_runs(const struct sweep *sw)
{
	unsigned int nbad = 0;

	for (size_t i = 0; i < sw->nruns; i++) {
		const struct sweep_run *r = &sw->runs[i];
		char line[1024];

		if (r->outcome == SWEEP_HANDLED)
			continue;
		nbad += bad(r->outcome);
		printf("%-8s %s nth=%llu, line %u: ", sweep_outcome_name(r->outcome),
		       inject_attr_name(r->attr), (unsigned long long)r->nth, r->res.line);
		escape_puts(stdout, ESC_TEXT, r->why);
		printf("\n         at ");
		print_chain(r->res.site, 4);
		if (!sweep_reproducer(line, sizeof(line), inject_attr_name(r->attr), r->nth,
				      sw->from, sw->to, sw->file))
			printf("\n         %s", line);
		printf("\n");
	}
	return nbad;
}

/* JUnit: a test case per run; leaked, broken, crashed and hung ones fail. */
static int write_junit(const struct sweep *sw, const char *path, unsigned int nbad)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
		"<testsuite name=\"sweep ");
	escape_puts(f, ESC_XML, sw->file);
	fprintf(f, "\" tests=\"%zu\" failures=\"%u\">\n", sw->nruns, nbad);
	for (size_t i = 0; i < sw->nruns; i++) {
		const struct sweep_run *r = &sw->runs[i];
		char line[1024] = "";

		fprintf(f, "<testcase classname=\"");
		escape_puts(f, ESC_XML, sw->file);
		fprintf(f, "\" name=\"%s nth=%llu\" time=\"%.3f\">", inject_attr_name(r->attr),
			(unsigned long long)r->nth, r->seconds);
		sweep_reproducer(line, sizeof(line), inject_attr_name(r->attr), r->nth, sw->from,
				      sw->to, sw->file);
		if (bad(r->outcome)) {
			fprintf(f, "<failure type=\"%s\" message=\"",
				sweep_outcome_name(r->outcome));
			escape_puts(f, ESC_XML, r->why);
			fprintf(f, "\">");
			escape_puts(f, ESC_XML_LINES, line);
			fprintf(f, "\n");
			escape_puts(f, ESC_XML_LINES, r->res.site);
			fprintf(f, "</failure>");
		} else {
			fprintf(f, "<system-out>%s", sweep_outcome_name(r->outcome));
			if (r->why[0]) {
				fprintf(f, ": ");
				escape_puts(f, ESC_XML_LINES, r->why);
			}
			fprintf(f, "</system-out>");
		}
		fprintf(f, "</testcase>\n");
	}
	fprintf(f, "</testsuite>\n</testsuites>\n");
	return fclose(f) ? -1 : 0;
}

static const char sweep_usage[] =
"usage: vmm sweep [OPTIONS] SCENARIO\n"
"\n"
"Run SCENARIO once without a failure, then again and again with the 1st,\n"
"2nd, 3rd, ... call to an allocation site failing, until a run in which\n"
"that call never comes; judge each run against the first: handled, changed,\n"
"leaked, broken, crashed or hung (docs/fault-injection.md).\n"
"\n"
"options:\n"
"  --attr NAME        sweep only this attribute (repeatable; default: all of\n"
"                     fail_page_alloc, failslab, fail_vmalloc, fail_vm_area_alloc)\n"
"  -j N               runs at a time (default 1)\n"
"  --lines FROM-TO    the failures only in the statements on these lines\n"
"  --max-runs N       runs per attribute at most (default 5000)\n"
"  --nth N            only the run in which the Nth call fails (a reproducer)\n"
"  --junit FILE       a JUnit XML file, one test case per run\n"
"  --accel NAME, --kernel FILE, --timeout SECONDS, --run-timeout SECONDS  as for run\n"
"\n"
"exit status: 0 every run handled or changed, 1 some leaked, broke, crashed\n"
"or hung, 2 usage or scenario error, 77 no accelerator\n";

static int sweep_usage_error(const char *what)
{
	fprintf(stderr, "vmm sweep: %s\nTry 'vmm sweep --help'.\n", what);
	return EXIT_USAGE;
}

static int run_sweep(struct sweep *sw, const bool *attrs, const char *junit)
{
	struct job j;
	unsigned int nbad;
	double t;

	sw->start = monotonic_seconds();
	if (job_start(sw, &j, 0, 0))
		return EXIT_USAGE;
	job_finish(&j, &sw->base);
	if (sw->base.res.exit_status == EXIT_USAGE || sw->base.res.exit_status == EXIT_NO_ACCEL ||
	    !sw->base.res.measured) {
		fprintf(stderr, "vmm sweep: the run without a failure ended with status %d: %s\n"
			"(run it with `vmm run` to see why)\n", sw->base.res.exit_status,
			sw->base.res.detail);
		return sw->base.res.exit_status ?: EXIT_FAILED;
	}
	for (unsigned int a = 0; a < VMM_FAULT_ATTR_NR; a++)
		if (attrs[a] && sweep_attr(sw, a)) {
			fprintf(stderr, "vmm sweep: cannot start a run: %s\n", strerror(errno));
			return EXIT_USAGE;
		}
	t = monotonic_seconds() - sw->start;
	if (sw->progress)
		fprintf(stderr, "\r\033[K");
	printf("sweep %s: without a failure: exit %d, %llu free pages, %llu expectations failed\n",
	       sw->file, sw->base.res.exit_status, (unsigned long long)sw->base.res.free_pages,
	       (unsigned long long)sw->base.res.expects_failed);
	nbad = print_runs(sw);
	print_tables(sw);
	printf("\nsweep: %zu runs in %.1f s (%.2f runs/s, %u at a time), %u leaked, broken, "
	       "crashed or hung\n", sw->nruns + 1, t, (sw->nruns + 1) / t, sw->jobs, nbad);
	if (junit && write_junit(sw, junit, nbad)) {
		fprintf(stderr, "vmm sweep: --junit %s: %s\n", junit, strerror(errno));
		return EXIT_USAGE;
	}
	return nbad ? EXIT_FAILED : EXIT_PASS;
}

int sweep_main(int argc, char **argv, const char *kernel)
{
	enum { OPT_ATTR = 256, OPT_MAX, OPT_JUNIT, OPT_ACCEL, OPT_KERNEL, OPT_TIMEOUT,
	       OPT_RUN_TIMEOUT, OPT_LINES, OPT_NTH };
	static const struct option longopts[] = {
		{ "attr", required_argument, NULL, OPT_ATTR },
		{ "max-runs", required_argument, NULL, OPT_MAX },
		{ "lines", required_argument, NULL, OPT_LINES },
		{ "nth", required_argument, NULL, OPT_NTH },
		{ "junit", required_argument, NULL, OPT_JUNIT },
		{ "accel", required_argument, NULL, OPT_ACCEL },
		{ "kernel", required_argument, NULL, OPT_KERNEL },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "run-timeout", required_argument, NULL, OPT_RUN_TIMEOUT },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct sweep sw = { .jobs = 1, .max_runs = SWEEP_DEFAULT_MAX,
			    .opt = { .kernel = kernel, .timeout_ms = 5000,
				     .run_timeout_ms = 120 * 1000 } };
	bool attrs[VMM_FAULT_ATTR_NR] = { 0 }, any = false;
	const char *accel = getenv("VMM_ACCEL"), *junit = NULL;
	char *end;
	unsigned int a;
	int c, status;

	while ((c = getopt_long(argc, argv, "j:h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_ATTR:
			if (inject_attr_find(optarg, &a))
				return sweep_usage_error("--attr: fail_page_alloc, failslab, "
							 "fail_vmalloc or fail_vm_area_alloc");
			attrs[a] = any = true;
			break;
		case 'j':
			sw.jobs = strtoul(optarg, &end, 10);
			if (*end || !sw.jobs || sw.jobs > SWEEP_MAX_JOBS)
				return sweep_usage_error("-j: 1 to 64 runs at a time");
			break;
		case OPT_MAX:
			sw.max_runs = strtoull(optarg, &end, 10);
			if (*end || !sw.max_runs || sw.max_runs > 1000000)
				return sweep_usage_error("--max-runs: 1 to 1000000");
			break;
		case OPT_LINES:
			if (sscanf(optarg, "%u-%u%c", &sw.from, &sw.to, &(char){ 0 }) != 2 ||
			    !sw.from || sw.to < sw.from)
				return sweep_usage_error("--lines: FROM-TO, such as 8-12");
			break;
		case OPT_NTH:
			sw.only_nth = strtoull(optarg, &end, 10);
			if (*end || !sw.only_nth || sw.only_nth > UINT32_MAX)
				return sweep_usage_error("--nth: a call's number, from 1");
			break;
		case OPT_JUNIT: junit = optarg; break;
		case OPT_ACCEL: accel = optarg; break;
		case OPT_KERNEL: sw.opt.kernel = optarg; break;
		case OPT_TIMEOUT:
			if (parse_seconds(optarg, &sw.opt.timeout_ms))
				return sweep_usage_error("--timeout: seconds, such as 5");
			break;
		case OPT_RUN_TIMEOUT:
			if (parse_seconds(optarg, &sw.opt.run_timeout_ms))
				return sweep_usage_error("--run-timeout: seconds, such as 120");
			break;
		case 'h': fputs(sweep_usage, stdout); return EXIT_PASS;
		default: return sweep_usage_error("bad option");
		}
	}
	if (optind != argc - 1)
		return sweep_usage_error("sweep takes exactly one scenario file");
	for (a = 0; a < VMM_FAULT_ATTR_NR; a++)
		attrs[a] |= !any;
	sw.file = argv[optind];
	status = scenario_prepare("sweep", sw.file, accel, &sw.sc, &sw.m, &sw.opt);
	if (status)
		return status;
	sw.progress = isatty(STDERR_FILENO);
	status = run_sweep(&sw, attrs, junit);
	free(sw.runs);
	scenario_free(&sw.sc);
	return status;
}
