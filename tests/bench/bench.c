// SPDX-License-Identifier: MIT
/*
 * The harness behind bench.h; linked into every benchmark program.
 *
 * One timed run of a case says little on a shared machine: another
 * process, a frequency change or a cold cache can double it.  So every
 * figure is the median of several rounds, the compared cases take turns
 * within each round, and a ratio is formed round by round (both sides saw
 * the same moment of the machine) before its median is taken.  The spread
 * printed beside each median says how far to trust it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#define DEFAULT_ROUNDS	11

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

static void report(const char *name, const char *unit, const char *fmt, double *v, size_t n)
{
	char med[32], lo[32], hi[32], q1[32], q3[32];

	qsort(v, n, sizeof(*v), cmp_double);
	snprintf(med, sizeof(med), fmt, quantile(v, n, 0.5));
	snprintf(lo, sizeof(lo), fmt, v[0]);
	snprintf(hi, sizeof(hi), fmt, v[n - 1]);
	snprintf(q1, sizeof(q1), fmt, quantile(v, n, 0.25));
	snprintf(q3, sizeof(q3), fmt, quantile(v, n, 0.75));
	printf("bench: %s %s %s\n", name, med, unit);
	printf("spread: %s %s %s %s (min max of %zu rounds; IQR %s %s)\n",
	       name, lo, hi, unit, n, q1, q3);
}

static unsigned int nr_rounds(void)
{
	const char *s = getenv("BENCH_ROUNDS");
	int r = s ? atoi(s) : DEFAULT_ROUNDS;

	return r > 0 ? (unsigned int)r : DEFAULT_ROUNDS;
}

/*
 * Warm-up, then rounds.  Round r starts at case r % n, so that no case
 * always runs first (on a cold cache) or right after the same neighbour.
 */
static void time_cases(const struct bench_case *cases, size_t n, unsigned int rounds,
		       double ns[][rounds])
{
	for (size_t i = 0; i < n; i++)
		run_case(&cases[i], cases[i].iters / 10 ? cases[i].iters / 10 : 1);
	for (unsigned int r = 0; r < rounds; r++)
		for (size_t k = 0; k < n; k++) {
			size_t i = (k + r) % n;

			ns[i][r] = run_case(&cases[i], cases[i].iters);
		}
}

static int timed_main(const struct bench_case *cases, size_t n,
		      const struct bench_ratio *ratios, size_t nratios)
{
	unsigned int rounds = nr_rounds();
	double (*ns)[rounds] = calloc(n, sizeof(*ns));
	double v[rounds];
	char name[256];

	if (!ns)
		return 1;
	time_cases(cases, n, rounds, ns);
	for (size_t i = 0; i < n; i++) {
		memcpy(v, ns[i], sizeof(v));
		snprintf(name, sizeof(name), "%s.ns", cases[i].name);
		report(name, "ns/op", "%.2f", v, rounds);
	}
	for (size_t i = 0; i < nratios; i++) {
		const struct bench_case *c = find_case(cases, n, ratios[i].cas);
		const struct bench_case *ref = find_case(cases, n, ratios[i].ref);

		if (!c || !ref)
			continue;
		for (unsigned int r = 0; r < rounds; r++)
			v[r] = ns[ref - cases][r] / ns[c - cases][r];
		report(ratios[i].name, "ratio", "%.3f", v, rounds);
	}
	free(ns);
	return 0;
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
	if (argc != 1) {
		fprintf(stderr, "usage: %s [--list | --callgrind CASE ITERS]\n", argv[0]);
		return 2;
	}
	return timed_main(cases, n, ratios, nratios);
}
