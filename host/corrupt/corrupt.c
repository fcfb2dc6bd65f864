// SPDX-License-Identifier: MIT
/*
 * vmm corrupt (corrupt.h).  Each boot is a child process, as in vmm sweep:
 * it runs the scenario with the probe (probe.h) and sends each flip down a
 * pipe as it is made, so that what a boot did before its guest died is
 * kept.  The parent hands each boot a share of the flips; the flips a
 * boot did not make (its guest died) go to the next one.  -j N keeps N
 * boots going.
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

#include "corrupt.h"
#include "engine/run.h"
#include "lib/escape.h"
#include "lib/seconds.h"
#include "probe.h"
#include "vm/accel/accel.h"
#include "lib/tally.h"
#include "lib/child.h"

#define CORRUPT_MAX_JOBS	64
#define CORRUPT_SHOWN_MISSED	20

struct corrupt {
	const char *file;
	struct scenario sc;
	struct machine m;
	struct run_options opt;
	uint64_t seed;
	uint64_t flips;			/* asked for */
	unsigned int per_stmt;
	unsigned int jobs;
	struct corrupt_flip *v;		/* made */
	size_t n, cap;
	unsigned int boots;
	bool progress;
	double start;
};

/* Where a slot's next boot starts flipping: after statement from, done made there. */
struct cursor {
	uint32_t from;
	unsigned int done;
};

struct job {
	pid_t pid;
	int fd;
	uint64_t budget;
	uint64_t got;
	struct cursor at;		/* where this boot started */
	struct corrupt_flip last;	/* its last flip kept */
	unsigned int at_last;		/* its flips after last.stmt */
	size_t partial;			/* bytes of a record not yet whole */
	struct corrupt_flip buf;
};

/* The child: one boot, its flips down the pipe, and nothing on the terminal. */
static __attribute__((noreturn)) void child_run(struct corrupt *cr, const struct job *j,
						unsigned int boot, int fd)
{
	struct report rep = { .fmt = REPORT_HUMAN, .quiet = true };
	struct run_options opt = cr->opt;
	struct corrupt_probe probe = {
		.rng = corrupt_boot_rng(cr->seed, boot),
		.left = j->budget, .per_stmt = cr->per_stmt, .fd = fd,
		.from = j->at.from, .done = j->at.done,
		.slab_debug = strstr(cr->m.bootargs, "slab_debug=") != NULL,
	};
	rep.out = child_silence();
	rep.file = cr->file;
	opt.report = &rep;
	opt.hooks = &corrupt_probe_hooks;
	opt.hooks_arg = &probe;
	scenario_run(&cr->sc, &cr->m, &opt);
	_exit(0);
}

static int job_start(struct corrupt *cr, struct job *j, uint64_t budget)
{
	j->budget = budget;
	j->got = 0;
	j->partial = 0;
	j->at_last = 0;
	j->pid = fork_piped(&j->fd);
	if (j->pid < 0)
		return -1;
	if (j->pid == 0)
		child_run(cr, j, cr->boots, j->fd);
	cr->boots++;
	return 0;
}

static int keep(struct corrupt *cr, const struct corrupt_flip *f)
{
	if (cr->n == cr->cap) {
		size_t cap = cr->cap ? cr->cap * 2 : 1024;
		struct corrupt_flip *v = realloc(cr->v, cap * sizeof(*v));

		if (!v)
			return -1;
		cr->v = v;
		cr->cap = cap;
	}
	cr->v[cr->n++] = *f;
	return 0;
}

/*
 * What the pipe has; 1 at its end (the job is reaped), 0 for more later.
 * A record is kept only whole and only up to the job's budget: a child
 * that sent garbage cannot make the parent keep more than it asked for.
 */
static int job_read(struct corrupt *cr, struct job *j)
{
	ssize_t got = read(j->fd, (char *)&j->buf + j->partial, sizeof(j->buf) - j->partial);

	if (got < 0 && errno == EINTR)
		return 0;
	if (got > 0) {
		j->partial += got;
		if (j->partial < sizeof(j->buf))
			return 0;
		j->partial = 0;
		j->buf.field[CORRUPT_NAME_LEN - 1] = j->buf.rule[CORRUPT_NAME_LEN - 1] = '\0';
		j->buf.why[sizeof(j->buf.why) - 1] = '\0';
		if (j->got < j->budget && j->buf.cls < CORRUPT_CLASS_NR &&
		    j->buf.outcome < CORRUPT_OUTCOME_NR && j->buf.bit < 64 && !keep(cr, &j->buf)) {
			j->at_last = j->got && j->buf.stmt == j->last.stmt ? j->at_last + 1 : 1;
			j->last = j->buf;
			j->got++;
		}
		return 0;
	}
	close(j->fd);
	waitpid(j->pid, NULL, 0);
	j->pid = 0;
	return 1;
}

static void show_progress(const struct corrupt *cr)
{
	double t = monotonic_seconds() - cr->start;

	if (cr->progress)
		fprintf(stderr, "\r\033[Kcorrupt: %zu of %llu flips, %u boots, %.1f flips/s", cr->n,
			(unsigned long long)cr->flips, cr->boots, t > 0 ? cr->n / t : 0.0);
}

/*
 * After a boot whose last flip killed its guest, the next one goes on from
 * that statement; after one that ran to its end (or found no statement
 * that far: the last one's flips were done), from the first again.
 */
static void job_advance(const struct corrupt *cr, struct job *j)
{
	bool died = j->got && j->last.killed;
	unsigned int done = j->at_last + (j->last.stmt == j->at.from ? j->at.done : 0);

	if (!died)
		j->at = (struct cursor){ 0, 0 };
	else if (done >= cr->per_stmt)
		j->at = (struct cursor){ j->last.stmt + 1, 0 };
	else
		j->at = (struct cursor){ j->last.stmt, done };
}

/* Boots until the flips are made; a boot that made none ends it (nothing to flip). */
static int run_boots(struct corrupt *cr)
{
	struct job jobs[CORRUPT_MAX_JOBS] = { 0 };
	uint64_t unassigned = cr->flips;
	unsigned int busy = 0;
	bool stuck = false;

	while (busy || (unassigned && !stuck)) {
		struct pollfd pf[CORRUPT_MAX_JOBS];
		unsigned int n = 0;

		for (unsigned int i = 0; i < cr->jobs && unassigned && !stuck; i++) {
			/* An even share for each slot free now: a boot hands back what it did not make. */
			uint64_t b = (unassigned + cr->jobs - busy - 1) / (cr->jobs - busy);

			if (jobs[i].pid)
				continue;
			if (job_start(cr, &jobs[i], b))
				return -1;
			unassigned -= b;
			busy++;
		}
		for (unsigned int i = 0; i < cr->jobs; i++)
			pf[i] = (struct pollfd){ .fd = jobs[i].pid ? jobs[i].fd : -1,
						 .events = POLLIN };
		if (poll(pf, cr->jobs, -1) < 0 && errno != EINTR)
			return -1;
		for (unsigned int i = 0; i < cr->jobs; i++) {
			struct job *j = &jobs[i];

			if (!j->pid || !pf[i].revents || !job_read(cr, j))
				continue;
			busy--;
			unassigned += j->budget - j->got;
			/* From the first statement and still nothing: nothing to flip. */
			stuck |= !j->got && !j->at.from;
			job_advance(cr, j);
			n++;
		}
		if (n)
			show_progress(cr);
	}
	return 0;
}

static const char *outcome_column(unsigned int col)
{
	return corrupt_outcome_name(col);
}

static const char *flips_column(unsigned int col)
{
	(void)col;
	return "flips";
}

static void print_tables(const struct corrupt *cr)
{
	size_t max = cr->n ? cr->n : 1, nc = 0, nf = 0, nr = 0;
	struct tally *cls = calloc(max, sizeof(*cls)), *fld = calloc(max, sizeof(*fld));
	struct tally *rules = calloc(max, sizeof(*rules)), *lines = calloc(max, sizeof(*lines));
	char key[2 * CORRUPT_NAME_LEN + 2];
	size_t nl = 0;

	if (cls && fld && rules && lines) {
		for (size_t i = 0; i < cr->n; i++) {
			const struct corrupt_flip *f = &cr->v[i];

			tally_add(cls, &nc, max, corrupt_class_name(f->cls), f->outcome);
			snprintf(key, sizeof(key), "%s %s", corrupt_class_name(f->cls), f->field);
			tally_add(fld, &nf, max, key, f->outcome);
			if (f->outcome == CORRUPT_CHECK)
				tally_add(rules, &nr, max, f->rule, 0);
			snprintf(key, sizeof(key), "line %5u", f->line);
			tally_add(lines, &nl, max, key, f->outcome);
		}
		tally_print("by target", cls, nc, CORRUPT_OUTCOME_NR, outcome_column);
		tally_print("by field", fld, nf, CORRUPT_OUTCOME_NR, outcome_column);
		tally_print("by statement", lines, nl, CORRUPT_OUTCOME_NR, outcome_column);
		tally_print("caught by check, by rule", rules, nr, 1, flips_column);
	}
	free(lines);
	free(cls);
	free(fld);
	free(rules);
}

/* A sample of what no detector saw, spread over the run: what the verifier still misses. */
static void print_missed(const struct corrupt *cr)
{
	size_t missed = 0, step, k = 0;

	for (size_t i = 0; i < cr->n; i++)
		missed += cr->v[i].outcome == CORRUPT_UNDETECTED;
	step = missed > CORRUPT_SHOWN_MISSED ? missed / CORRUPT_SHOWN_MISSED : 1;
	printf("\nmissed (%zu; every %zuth shown):\n", missed, step);
	for (size_t i = 0; i < cr->n; i++) {
		const struct corrupt_flip *f = &cr->v[i];

		if (f->outcome != CORRUPT_UNDETECTED || k++ % step)
			continue;
		printf("  line %-4u %-11s %-18s gpa %#llx bit %2u (word %#018llx)\n", f->line,
		       corrupt_class_name(f->cls), f->field, (unsigned long long)f->gpa, f->bit,
		       (unsigned long long)f->before);
	}
}

/* The first crash of each target field, with the guest's last words. */
static void print_crashes(const struct corrupt *cr)
{
	printf("\ncrashed and hung (first of each field):\n");
	for (size_t i = 0; i < cr->n; i++) {
		const struct corrupt_flip *f = &cr->v[i];
		bool seen = false;

		if (f->outcome != CORRUPT_CRASHED && f->outcome != CORRUPT_HUNG)
			continue;
		for (size_t k = 0; k < i && !seen; k++)
			seen = (cr->v[k].outcome == CORRUPT_CRASHED ||
				cr->v[k].outcome == CORRUPT_HUNG) && cr->v[k].cls == f->cls &&
			       !strcmp(cr->v[k].field, f->field);
		if (seen)
			continue;
		printf("  line %-4u %-11s %-18s bit %2u: ", f->line, corrupt_class_name(f->cls),
		       f->field, f->bit);
		escape_puts(stdout, ESC_TEXT, f->why);
		printf("\n");
	}
}

/* JUnit: a test case per target field; one whose flips some went unseen fails. */
static int write_junit(const struct corrupt *cr, const char *path)
{
	FILE *f = fopen(path, "w");
	size_t max = cr->n ? cr->n : 1, nf = 0;
	struct tally *fld = calloc(max, sizeof(*fld));
	char key[2 * CORRUPT_NAME_LEN + 2];
	unsigned int failures = 0;

	if (!f || !fld) {
		free(fld);
		if (f)
			fclose(f);
		return -1;
	}
	for (size_t i = 0; i < cr->n; i++) {
		snprintf(key, sizeof(key), "%s %s", corrupt_class_name(cr->v[i].cls),
			 cr->v[i].field);
		tally_add(fld, &nf, max, key, cr->v[i].outcome);
	}
	qsort(fld, nf, sizeof(*fld), tally_by_key);
	for (size_t i = 0; i < nf; i++)
		failures += !!fld[i].n[CORRUPT_UNDETECTED];
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
		"<testsuite name=\"corrupt ");
	escape_puts(f, ESC_XML, cr->file);
	fprintf(f, "\" tests=\"%zu\" failures=\"%u\">\n", nf, failures);
	for (size_t i = 0; i < nf; i++) {
		const struct tally *t = &fld[i];

		fprintf(f, "<testcase classname=\"corrupt\" name=\"%s\">", t->key);
		if (t->n[CORRUPT_UNDETECTED])
			fprintf(f, "<failure type=\"missed\" message=\"%u flips unseen\"/>",
				t->n[CORRUPT_UNDETECTED]);
		fprintf(f, "<system-out>");
		for (int o = 0; o < CORRUPT_OUTCOME_NR; o++)
			fprintf(f, "%s%s %u", o ? ", " : "", corrupt_outcome_name(o), t->n[o]);
		fprintf(f, "</system-out></testcase>\n");
	}
	fprintf(f, "</testsuite>\n</testsuites>\n");
	free(fld);
	return fclose(f) ? -1 : 0;
}

static const char corrupt_usage[] =
"usage: vmm corrupt [OPTIONS] SCENARIO\n"
"\n"
"Run SCENARIO; after each statement flip seeded random bits in guest RAM\n"
"(page-table entries, struct pages, slab slots), one at a time, and count\n"
"which detector caught each: a `check` rule, the guest's slab or bad-page\n"
"reports, a crash, a hang, or none (docs/fault-injection.md).  Each bit is\n"
"put back before the next flip; a guest that died is booted anew.\n"
"\n"
"options:\n"
"  -n FLIPS           flips in all (default 1000)\n"
"  --seed S           the generator's seed (default 1)\n"
"  --per-stmt K       flips after each statement (default 20)\n"
"  -j N               boots at a time (default 1)\n"
"  --junit FILE       a JUnit XML file, one test case per target field\n"
"  --accel NAME, --kernel FILE, --timeout SECONDS  as for run\n"
"\n"
"exit status: 0 the flips were made and counted, 1 none could be made,\n"
"2 usage or scenario error, 77 no accelerator\n";

static int corrupt_usage_error(const char *what)
{
	fprintf(stderr, "vmm corrupt: %s\nTry 'vmm corrupt --help'.\n", what);
	return EXIT_USAGE;
}

static int run_corrupt(struct corrupt *cr, const char *junit)
{
	double t;

	cr->start = monotonic_seconds();
	if (run_boots(cr)) {
		fprintf(stderr, "vmm corrupt: cannot start a boot: %s\n", strerror(errno));
		return EXIT_USAGE;
	}
	t = monotonic_seconds() - cr->start;
	if (cr->progress)
		fprintf(stderr, "\r\033[K");
	printf("corrupt %s: seed %llu, %u flips after each statement\n", cr->file,
	       (unsigned long long)cr->seed, cr->per_stmt);
	print_tables(cr);
	print_missed(cr);
	print_crashes(cr);
	printf("\ncorrupt: %zu flips in %u boots in %.1f s (%.1f flips/s, %.2f boots/s, %u at "
	       "a time)\n", cr->n, cr->boots, t, t > 0 ? cr->n / t : 0.0,
	       t > 0 ? cr->boots / t : 0.0, cr->jobs);
	if (junit && write_junit(cr, junit)) {
		fprintf(stderr, "vmm corrupt: --junit %s: %s\n", junit, strerror(errno));
		return EXIT_USAGE;
	}
	return cr->n ? EXIT_PASS : EXIT_FAILED;
}

/* A count option: 1..max, or -1. */
static int64_t count_arg(const char *s, uint64_t max)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	return errno || *end || !*s || *s == '-' || !v || v > max ? -1 : (int64_t)v;
}

static int parse_args(struct corrupt *cr, int argc, char **argv, const char **accel,
		      const char **junit)
{
	enum { OPT_SEED = 256, OPT_PER_STMT, OPT_JUNIT, OPT_ACCEL, OPT_KERNEL, OPT_TIMEOUT };
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "per-stmt", required_argument, NULL, OPT_PER_STMT },
		{ "junit", required_argument, NULL, OPT_JUNIT },
		{ "accel", required_argument, NULL, OPT_ACCEL },
		{ "kernel", required_argument, NULL, OPT_KERNEL },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int64_t v;
	int c;

	while ((c = getopt_long(argc, argv, "n:j:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if ((v = count_arg(optarg, 10000000)) < 0)
				return corrupt_usage_error("-n: 1 to 10000000 flips");
			cr->flips = v;
			break;
		case 'j':
			if ((v = count_arg(optarg, CORRUPT_MAX_JOBS)) < 0)
				return corrupt_usage_error("-j: 1 to 64 boots at a time");
			cr->jobs = v;
			break;
		case OPT_SEED:
			errno = 0;
			cr->seed = strtoull(optarg, &(char *){ NULL }, 0);
			if (errno || *optarg == '-')
				return corrupt_usage_error("--seed: a number");
			break;
		case OPT_PER_STMT:
			if ((v = count_arg(optarg, 100000)) < 0)
				return corrupt_usage_error("--per-stmt: 1 to 100000");
			cr->per_stmt = v;
			break;
		case OPT_JUNIT: *junit = optarg; break;
		case OPT_ACCEL: *accel = optarg; break;
		case OPT_KERNEL: cr->opt.kernel = optarg; break;
		case OPT_TIMEOUT:
			if (parse_seconds(optarg, &cr->opt.timeout_ms))
				return corrupt_usage_error("--timeout: seconds, such as 5");
			break;
		case 'h': fputs(corrupt_usage, stdout); return EXIT_PASS;
		default: return corrupt_usage_error("bad option");
		}
	}
	if (optind != argc - 1)
		return corrupt_usage_error("corrupt takes exactly one scenario file");
	cr->file = argv[optind];
	return -1;
}

int corrupt_main(int argc, char **argv, const char *kernel)
{
	struct corrupt cr = { .flips = 1000, .seed = 1, .per_stmt = 20, .jobs = 1,
			      .opt = { .kernel = kernel, .timeout_ms = 5000,
				       .run_timeout_ms = 600 * 1000 } };
	const char *accel = getenv("VMM_ACCEL"), *junit = NULL;
	int status = parse_args(&cr, argc, argv, &accel, &junit);

	if (status >= 0)
		return status;
	status = scenario_prepare("corrupt", cr.file, accel, &cr.sc, &cr.m, &cr.opt);
	if (status)
		return status;
	cr.progress = isatty(STDERR_FILENO);
	status = run_corrupt(&cr, junit);
	free(cr.v);
	scenario_free(&cr.sc);
	return status;
}
