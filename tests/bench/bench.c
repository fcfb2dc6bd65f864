// SPDX-License-Identifier: MIT
/* The harness behind bench.h; linked into every benchmark program. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

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

static double time_case(const struct bench_case *c)
{
	double t0, t1, ns;

	if (c->setup)
		c->setup();
	t0 = now_ns();
	bench_measure(c, c->iters);
	t1 = now_ns();
	if (c->teardown)
		c->teardown();
	ns = (t1 - t0) / (double)c->iters;
	printf("bench: %s.ns %.2f ns/op\n", c->name, ns);
	return ns;
}

/* Ratios against references timed in this same run, so both see the same machine. */
static void print_ratios(const struct bench_case *cases, const double *ns, size_t n,
			 const struct bench_ratio *ratios, size_t nratios)
{
	for (size_t i = 0; i < nratios; i++) {
		const struct bench_case *c = find_case(cases, n, ratios[i].cas);
		const struct bench_case *ref = find_case(cases, n, ratios[i].ref);

		if (c && ref && ns[c - cases] > 0)
			printf("bench: %s %.3f ratio\n", ratios[i].name, ns[ref - cases] / ns[c - cases]);
	}
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
	double ns[n];

	for (size_t i = 0; i < n; i++)
		ns[i] = time_case(&cases[i]);
	print_ratios(cases, ns, n, ratios, nratios);
	return 0;
}
