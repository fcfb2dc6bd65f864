/* SPDX-License-Identifier: MIT */
/*
 * A tiny benchmark harness shared by every tests/bench/bench_*.c.
 *
 * A benchmark program lists cases; each case has an untimed setup, a
 * measured run(iters) and an untimed teardown.  Run plainly, the program
 * starts BENCH_PROCS fresh processes of itself (default 10; each gets a
 * new address-space layout), one after the other.  Each warms every case
 * up once, then times BENCH_ROUNDS rounds (default 2), each cut into
 * BENCH_SLICES slices (default 8) in which all its cases take turns, so
 * that a case and the reference it is compared with run milliseconds
 * apart on the same machine, in the same process.  It prints, per case,
 * over all the processes' rounds,
 *     bench: NAME.ns MEDIAN ns/op
 *     spread: NAME.ns MIN MAX ns/op (min max of R rounds in P processes; IQR Q1 Q3)
 * and, for each ratio the program declares (BENCH_MAIN_RATIOS), the same
 * two lines for the per-round ratios (the case's time divided by the
 * reference's in that round, as "1.7x its time": below 1, the case is
 * faster):
 *     bench: NAME MEDIAN ratio
 *     spread: NAME MIN MAX ratio (...)
 * With `--list` it prints "NAME ITERS" per case, with `--rounds` one
 * process's rounds (raw, one line per case), with `--report` the figures
 * of the rounds it reads on standard input (several processes' `--rounds`
 * output: tests/bench/run.sh takes turns between programs that way), and
 * with
 * `--callgrind NAME ITERS` it runs one case through bench_measure(), the
 * only function tests/bench/run.sh tells callgrind to count, which gives
 *     bench: NAME VALUE instr/op
 * (exact and repeatable; see docs/performance.md).
 */
#ifndef TESTS_BENCH_H
#define TESTS_BENCH_H

#include <stddef.h>
#include <stdint.h>

struct bench_case {
	const char *name;		/* dotted and stable, e.g. buddy.order0.pcp.alloc_free */
	uint64_t iters;			/* operations per timed round */
	void (*setup)(void);		/* may be NULL */
	void (*run)(uint64_t iters);	/* the measured loop: iters operations */
	void (*teardown)(void);		/* may be NULL */
};

/* Report case's time relative to ref's, both timed in the same rounds. */
struct bench_ratio {
	const char *name;		/* e.g. walk.vs_memcpy */
	const char *cas;
	const char *ref;
};

int bench_main(int argc, char **argv, const struct bench_case *cases, size_t ncases,
	       const struct bench_ratio *ratios, size_t nratios);

#define BENCH_MAIN(cases)						\
	int main(int argc, char **argv)					\
	{								\
		return bench_main(argc, argv, cases,			\
				  sizeof(cases) / sizeof((cases)[0]), NULL, 0);	\
	}

#define BENCH_MAIN_RATIOS(cases, ratios)				\
	int main(int argc, char **argv)					\
	{								\
		return bench_main(argc, argv, cases,			\
				  sizeof(cases) / sizeof((cases)[0]),	\
				  ratios, sizeof(ratios) / sizeof((ratios)[0])); \
	}

/* Keeps the compiler from optimising a result away. */
#define bench_keep(x) __asm__ __volatile__("" : : "g"(x) : "memory")

/* Hides a constant from the compiler, so that the callee sees a run-time value. */
#define bench_opaque(x) ({ __typeof__(x) __v = (x); __asm__ ("" : "+r"(__v)); __v; })

#endif
