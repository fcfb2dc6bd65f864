// SPDX-License-Identifier: MIT
/*
 * The harness behind bench.h; linked into every benchmark program.
 *
 * One timed run of a case says little on a shared machine: another
 * process, a frequency change, a cold cache or an unlucky address-space
 * layout can double it.  So every figure is the median of rounds taken in
 * several fresh processes, the compared cases take turns within each
 * round, and a ratio is formed round by round (both sides saw the same
 * moments of the machine) before its median is taken.  The spread printed
 * beside each median says how far to trust it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "bench.h"

#define DEFAULT_ROUNDS	2
#define DEFAULT_PROCS	10
#define DEFAULT_SLICES	8

/* callgrind counts instructions inside this function only (run.sh). */
__attribute__((noinline)) void bench_measure(const struct bench_case *c, uint64_t iters)
{
	c->run(iters);
	__asm__ __volatile__("" ::: "memory");
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static const struct bench_case *find_case(const struct bench_case *cases, size_t n,
					  const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(cases[i].name, name))
			return &cases[i];
	return NULL;
}

static double run_case(const struct bench_case *c, uint64_t iters)
{
	double t0, t1;

	if (c->setup)
		c->setup();
	t0 = now_ns();
	bench_measure(c, iters);
	t1 = now_ns();
	if (c->teardown)
		c->teardown();
	return (t1 - t0) / (double)iters;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The value at fraction q of the sorted samples, interpolated. */
static double quantile(const double *sorted, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t i = (size_t)pos;

	if (i + 1 >= n)
		return sorted[n - 1];
	return sorted[i] + (pos - (double)i) * (sorted[i + 1] - sorted[i]);
}

static void report(const char *name, const char *unit, const char *fmt, double *v, size_t n,
		   unsigned int procs)
{
	char med[32], lo[32], hi[32], q1[32], q3[32];

	qsort(v, n, sizeof(*v), cmp_double);
	snprintf(med, sizeof(med), fmt, quantile(v, n, 0.5));
	snprintf(lo, sizeof(lo), fmt, v[0]);
	snprintf(hi, sizeof(hi), fmt, v[n - 1]);
	snprintf(q1, sizeof(q1), fmt, quantile(v, n, 0.25));
	snprintf(q3, sizeof(q3), fmt, quantile(v, n, 0.75));
	printf("bench: %s %s %s\n", name, med, unit);
	printf("spread: %s %s %s %s (min max of %zu rounds in %u processes; IQR %s %s)\n",
	       name, lo, hi, unit, n, procs, q1, q3);
}

/* A positive count from the environment, or the default. */
static unsigned int env_count(const char *name, unsigned int dflt)
{
	const char *s = getenv(name);
	int r = s ? atoi(s) : 0;

	return r > 0 ? (unsigned int)r : dflt;
}

/*
 * Warm-up, then rounds.  A round runs every case in BENCH_SLICES slices
 * of iters / slices operations each, the cases taking turns slice by
 * slice, so that a case and its reference run within a few milliseconds
 * of each other all through the round and see the same load on the
 * machine: whole cases one after the other were tens of milliseconds
 * apart, and a burst of other work could fall on one side of a ratio
 * only.  Each slice starts one case further on than the last, so that no
 * case always runs first or after the same neighbour.  A case's figure
 * for the round is its time over all slices divided by all operations.
 */
static void time_cases(const struct bench_case *cases, size_t n, unsigned int rounds,
		       unsigned int slices, double ns[][rounds])
{
	uint64_t per_slice;

	for (size_t i = 0; i < n; i++)
		run_case(&cases[i], cases[i].iters / 10 ? cases[i].iters / 10 : 1);
	for (unsigned int r = 0; r < rounds; r++) {
		for (size_t i = 0; i < n; i++)
			ns[i][r] = 0;
		for (unsigned int s = 0; s < slices; s++)
			for (size_t k = 0; k < n; k++) {
				size_t i = (k + r * slices + s) % n;

				per_slice = cases[i].iters / slices ? cases[i].iters / slices : 1;
				ns[i][r] += run_case(&cases[i], per_slice) / slices;
			}
	}
}

/* --rounds: this process's rounds, one line per case: its index, then a value per round. */
static int rounds_main(const struct bench_case *cases, size_t n)
{
	unsigned int rounds = env_count("BENCH_ROUNDS", DEFAULT_ROUNDS);
	unsigned int slices = env_count("BENCH_SLICES", DEFAULT_SLICES);
	double (*ns)[rounds] = calloc(n, sizeof(*ns));

	if (!ns)
		return 1;
	time_cases(cases, n, rounds, slices, ns);
	for (size_t i = 0; i < n; i++) {
		printf("%zu", i);
		for (unsigned int r = 0; r < rounds; r++)
			printf(" %.17g", ns[i][r]);
		printf("\n");
	}
	free(ns);
	return 0;
}

/*
 * The rounds of several processes, each case's samples in one row, so
 * that sample k of every case comes from the same round of one process
 * (a ratio divides two of them).
 */
#define MAX_SAMPLES	4096

struct samples {
	size_t n;			/* cases */
	unsigned int procs, total;
	double (*ns)[MAX_SAMPLES];
};

/* One line "INDEX V1 ... VR" of case i; returns R, or 0 if the line is not that. */
static unsigned int parse_line(char *line, size_t i, double *v, unsigned int room)
{
	char *end;
	unsigned int r = 0;

	if (strtoul(line, &end, 10) != i || end == line)
		return 0;
	for (line = end; r < room; line = end) {
		v[r] = strtod(line, &end);
		if (end == line)
			break;
		if (!(v[r] > 0))
			return 0;
		r++;
	}
	while (*end == ' ' || *end == '\n')
		end++;
	return *end ? 0 : r;
}

/*
 * Appends one process's output (rounds_main()'s lines) to sp.  A block
 * whose lines disagree on their number of rounds is refused whole.
 * Returns 1 after a block, 0 at the end of f, -1 on bad input.
 */
static int read_block(FILE *f, struct samples *sp)
{
	char *line = NULL;
	size_t cap = 0;
	unsigned int r = 0, room = MAX_SAMPLES - sp->total;
	int ret = 1;

	for (size_t i = 0; i < sp->n && ret == 1; i++) {
		if (getline(&line, &cap, f) < 0) {
			ret = i ? -1 : 0;
			break;
		}
		unsigned int got = parse_line(line, i, &sp->ns[i][sp->total], room);

		if (!got || (i && got != r))
			ret = -1;
		r = got;
	}
	free(line);
	if (ret == 1) {
		sp->total += r;
		sp->procs++;
	}
	return ret;
}

/*
 * One process of rounds_main(), started afresh from this program's file:
 * a new process gets a new layout (ASLR places stack, heap, libraries and
 * the native build's memory anew, down to where objects fall in the
 * caches), and one layout can be 30% luckier than the next for a loop of
 * a few nanoseconds.
 */
static int run_process(const char *self, struct samples *sp)
{
	int fd[2], status, ok;
	FILE *f;
	pid_t pid;

	if (pipe(fd))
		return 0;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 0;
	if (!pid) {
		dup2(fd[1], STDOUT_FILENO);
		close(fd[0]);
		close(fd[1]);
		execl("/proc/self/exe", self, "--rounds", (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	f = fdopen(fd[0], "r");
	ok = f && read_block(f, sp) == 1;
	if (f)
		fclose(f);
	else
		close(fd[0]);
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status) && ok;
}

static void report_samples(const struct bench_case *cases, const struct bench_ratio *ratios,
			   size_t nratios, const struct samples *sp)
{
	double *v = malloc(MAX_SAMPLES * sizeof(*v));
	char name[256];

	if (!v)
		return;
	for (size_t i = 0; i < sp->n; i++) {
		memcpy(v, sp->ns[i], sp->total * sizeof(*v));
		snprintf(name, sizeof(name), "%s.ns", cases[i].name);
		report(name, "ns/op", "%.2f", v, sp->total, sp->procs);
	}
	for (size_t i = 0; i < nratios; i++) {
		const struct bench_case *c = find_case(cases, sp->n, ratios[i].cas);
		const struct bench_case *ref = find_case(cases, sp->n, ratios[i].ref);

		if (!c || !ref)
			continue;
		for (unsigned int r = 0; r < sp->total; r++)
			v[r] = sp->ns[c - cases][r] / sp->ns[ref - cases][r];
		report(ratios[i].name, "ratio", "%.3f", v, sp->total, sp->procs);
	}
	free(v);
}

/* Every block on standard input (--report); false if there is none, or one is not ours. */
static bool collect_stdin(const char *self, struct samples *sp)
{
	int ret;

	while ((ret = read_block(stdin, sp)) == 1)
		;
	if (ret < 0 || !sp->total) {
		fprintf(stderr, "%s: --report: standard input is not this program's rounds, "
			"or more than %d of them\n", self, MAX_SAMPLES);
		return false;
	}
	return true;
}

static bool collect_processes(const char *self, struct samples *sp)
{
	unsigned int procs = env_count("BENCH_PROCS", DEFAULT_PROCS);

	for (unsigned int p = 0; p < procs; p++)
		if (!run_process(self, sp)) {
			fprintf(stderr, "%s: a timing process failed (or more than %d rounds)\n", self,
				MAX_SAMPLES);
			return false;
		}
	return true;
}

/*
 * Plainly: BENCH_PROCS processes (default 10) of BENCH_ROUNDS rounds each
 * (default 2), one after the other; with --report: the rounds of
 * processes run earlier (`--rounds`), read from standard input, which
 * lets tests/bench/run.sh take turns between programs process by process.
 * Every figure is the median of all the rounds, and its spread covers both
 * the machine's moments and the processes' layouts.
 */
static int timed_main(const char *self, const struct bench_case *cases, size_t n,
		      const struct bench_ratio *ratios, size_t nratios, bool from_stdin)
{
	struct samples sp = { .n = n, .ns = calloc(n, sizeof(*sp.ns)) };
	bool ok;

	if (!sp.ns)
		return 1;
	ok = from_stdin ? collect_stdin(self, &sp) : collect_processes(self, &sp);
	if (ok)
		report_samples(cases, ratios, nratios, &sp);
	free(sp.ns);
	return !ok;
}

int bench_main(int argc, char **argv, const struct bench_case *cases, size_t n,
	       const struct bench_ratio *ratios, size_t nratios)
{
	const struct bench_case *c;

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (size_t i = 0; i < n; i++)
			printf("%s %llu\n", cases[i].name, (unsigned long long)cases[i].iters);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "--callgrind")) {
		c = find_case(cases, n, argv[2]);
		if (!c) {
			fprintf(stderr, "%s: no case %s\n", argv[0], argv[2]);
			return 2;
		}
		if (c->setup)
			c->setup();
		bench_measure(c, strtoull(argv[3], NULL, 0));
		if (c->teardown)
			c->teardown();
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--rounds"))
		return rounds_main(cases, n);
	if (argc == 2 && !strcmp(argv[1], "--report"))
		return timed_main(argv[0], cases, n, ratios, nratios, true);
	if (argc != 1) {
		fprintf(stderr, "usage: %s [--list | --callgrind CASE ITERS | --rounds | --report]\n",
			argv[0]);
		return 2;
	}
	return timed_main(argv[0], cases, n, ratios, nratios, false);
}
