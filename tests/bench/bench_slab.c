// SPDX-License-Identifier: MIT
/*
 * kmalloc/kfree natively (the guest's slab code built as host C, the same
 * source as in the guest), against one user-space allocator on the same
 * patterns, the two taking turns in every round (bench.c):
 *   - pairs of one size, the allocation fast paths.  kmalloc gets its size
 *     at run time, as malloc does; slab.kmalloc64.const is kmalloc with a
 *     compile-time size, which picks its cache while compiling (Linux's
 *     usual case, but not the work malloc does);
 *   - churns: a set of live objects in which every operation frees one and
 *     allocates another of a size drawn independently of which one it
 *     replaced (refills, partial slabs, frees into other slabs, the cache
 *     misses of a working set larger than a few slabs):
 *       churn.fifo    512 live objects, the oldest replaced, a realistic mix
 *                     of sizes (half up to 64 bytes, a few up to 8 KiB)
 *       churn.random  4,096 live objects, the victim drawn at random, same mix
 *       churn.small   4,096 live objects, random victims, sizes 1 to 256
 *
 * This file is built once per reference allocator, each binary linking one
 * (REF_NAME): glibc's malloc; jemalloc (-ljemalloc: its initial-exec TLS
 * rules out dlopen()); mimalloc (-lmimalloc, called as mi_malloc/mi_free).
 * One binary each, because libmimalloc.so also exports glibc's internal
 * __libc_malloc: linked beside glibc's reference it would quietly replace
 * it.  The binaries check that their malloc is the one they name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "bench.h"

#if defined(REF_MIMALLOC)
#include <mimalloc.h>
#define REF_NAME	"mimalloc"
#define ref_malloc	mi_malloc
#define ref_free	mi_free
#elif defined(REF_JEMALLOC)
#define REF_NAME	"jemalloc"
#define ref_malloc	malloc
#define ref_free	free
#else
#define REF_NAME	"glibc"
#define ref_malloc	malloc
#define ref_free	free
#endif

#define PHYS_SIZE	(64UL << 20)

static void machine_init(void)
{
	static const unsigned long zone_ends[MAX_NR_ZONES] = { 4096, 12288, ~0UL };
	void *mem;

	if (native_phys_base)
		return;
	mem = mmap(NULL, PHYS_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		abort();
	native_phys_base = mem;
	memblock_add(0, PHYS_SIZE);
	memblock_reserve(0, 3 * SZ_1M);
	free_area_init(zone_ends);
	memblock_free_all();
	kmem_cache_init();
}

/* ---- pairs of one size ------------------------------------------------------------- */

#define PAIR(name, alloc, free)					\
static void name(uint64_t iters)				\
{								\
	void *p;						\
								\
	while (iters--) {					\
		p = alloc;					\
		bench_keep(p);					\
		free(p);					\
	}							\
}

PAIR(kmalloc8, kmalloc(bench_opaque(8), GFP_KERNEL), kfree)
PAIR(kmalloc64, kmalloc(bench_opaque(64), GFP_KERNEL), kfree)
PAIR(kmalloc512, kmalloc(bench_opaque(512), GFP_KERNEL), kfree)
PAIR(kmalloc4096, kmalloc(bench_opaque(4096), GFP_KERNEL), kfree)
PAIR(kmalloc64_const, kmalloc(64, GFP_KERNEL), kfree)
PAIR(ref8, ref_malloc(bench_opaque(8)), ref_free)
PAIR(ref64, ref_malloc(bench_opaque(64)), ref_free)
PAIR(ref512, ref_malloc(bench_opaque(512)), ref_free)
PAIR(ref4096, ref_malloc(bench_opaque(4096)), ref_free)

/* ---- churns ------------------------------------------------------------------------ */

#define LIVE_MAX	4096
#define NSEQ		65521	/* a prime: no ring length divides it */

static void *live[LIVE_MAX];
static unsigned int mixed_sizes[NSEQ], small_sizes[NSEQ];
static unsigned short victims[NSEQ];
static unsigned int seq;	/* the next draw; carries on from round to round */

static uint64_t xorshift64(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Three independent sequences, the same for every allocator. */
static void churn_draws(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL, r;

	if (victims[1])
		return;
	for (unsigned int i = 0; i < NSEQ; i++) {
		r = xorshift64(&x);
		switch (r % 100) {
		case 0 ... 49:
			mixed_sizes[i] = 1 + (r >> 32) % 64;
			break;
		case 50 ... 79:
			mixed_sizes[i] = 65 + (r >> 32) % 448;
			break;
		case 80 ... 94:
			mixed_sizes[i] = 513 + (r >> 32) % 1536;
			break;
		default:
			mixed_sizes[i] = 2049 + (r >> 32) % 6144;
		}
		small_sizes[i] = 1 + xorshift64(&x) % 256;
		victims[i] = xorshift64(&x) % LIVE_MAX;
	}
}

static unsigned int next_draw(void)
{
	unsigned int i = seq;

	seq = (i + 1 == NSEQ) ? 0 : i + 1;
	return i;
}

/*
 * name_setup fills LIVE slots, name_run replaces one per operation
 * (VICTIM(i, d): the i-th operation's slot, d its draw), name_teardown
 * empties them.
 */
#define CHURN(name, LIVE, SIZES, VICTIM, alloc, free)			\
static void name##_setup(void)						\
{									\
	machine_init();							\
	churn_draws();							\
	for (unsigned int i = 0; i < LIVE; i++)				\
		live[i] = alloc(SIZES[next_draw()]);			\
}									\
static void name##_run(uint64_t iters)					\
{									\
	unsigned int slot = 0;						\
									\
	for (uint64_t i = 0; i < iters; i++) {				\
		unsigned int d = next_draw();				\
									\
		slot = VICTIM(slot, d, LIVE);				\
		free(live[slot]);					\
		live[slot] = alloc(SIZES[d]);				\
	}								\
}									\
static void name##_teardown(void)					\
{									\
	for (unsigned int i = 0; i < LIVE; i++)				\
		free(live[i]);						\
}

#define OLDEST(slot, d, n)	((slot) + 1 == (n) ? 0 : (slot) + 1)
#define RANDOM(slot, d, n)	(victims[d])
#define kmalloc_kernel(size)	kmalloc(size, GFP_KERNEL)

CHURN(kfifo, 512, mixed_sizes, OLDEST, kmalloc_kernel, kfree)
CHURN(krandom, LIVE_MAX, mixed_sizes, RANDOM, kmalloc_kernel, kfree)
CHURN(ksmall, LIVE_MAX, small_sizes, RANDOM, kmalloc_kernel, kfree)
CHURN(rfifo, 512, mixed_sizes, OLDEST, ref_malloc, ref_free)
CHURN(rrandom, LIVE_MAX, mixed_sizes, RANDOM, ref_malloc, ref_free)
CHURN(rsmall, LIVE_MAX, small_sizes, RANDOM, ref_malloc, ref_free)

#define REF(x)	"ref." REF_NAME "." x
#define VS(x)	"slab." x ".vs_" REF_NAME

static const struct bench_case cases[] = {
	{ "slab.kmalloc8.alloc_free", 2000000, machine_init, kmalloc8, NULL },
	{ "slab.kmalloc64.alloc_free", 2000000, machine_init, kmalloc64, NULL },
	{ "slab.kmalloc512.alloc_free", 2000000, machine_init, kmalloc512, NULL },
	{ "slab.kmalloc4096.alloc_free", 2000000, machine_init, kmalloc4096, NULL },
	{ "slab.kmalloc64.const.alloc_free", 2000000, machine_init, kmalloc64_const, NULL },
	{ "slab.churn.fifo", 1000000, kfifo_setup, kfifo_run, kfifo_teardown },
	{ "slab.churn.random", 1000000, krandom_setup, krandom_run, krandom_teardown },
	{ "slab.churn.small", 1000000, ksmall_setup, ksmall_run, ksmall_teardown },
	{ REF("malloc8.free"), 2000000, NULL, ref8, NULL },
	{ REF("malloc64.free"), 2000000, NULL, ref64, NULL },
	{ REF("malloc512.free"), 2000000, NULL, ref512, NULL },
	{ REF("malloc4096.free"), 2000000, NULL, ref4096, NULL },
	{ REF("churn.fifo"), 1000000, rfifo_setup, rfifo_run, rfifo_teardown },
	{ REF("churn.random"), 1000000, rrandom_setup, rrandom_run, rrandom_teardown },
	{ REF("churn.small"), 1000000, rsmall_setup, rsmall_run, rsmall_teardown },
};

/* kmalloc's time over the reference's: below 1, kmalloc is faster. */
static const struct bench_ratio ratios[] = {
	{ VS("kmalloc8"), "slab.kmalloc8.alloc_free", REF("malloc8.free") },
	{ VS("kmalloc64"), "slab.kmalloc64.alloc_free", REF("malloc64.free") },
	{ VS("kmalloc512"), "slab.kmalloc512.alloc_free", REF("malloc512.free") },
	{ VS("kmalloc4096"), "slab.kmalloc4096.alloc_free", REF("malloc4096.free") },
	{ VS("churn.fifo"), "slab.churn.fifo", REF("churn.fifo") },
	{ VS("churn.random"), "slab.churn.random", REF("churn.random") },
	{ VS("churn.small"), "slab.churn.small", REF("churn.small") },
};

void *__libc_malloc(size_t size);

/*
 * Whether malloc is the one this binary names: jemalloc replaces glibc's
 * malloc, glibc's binary must have kept it, mimalloc is called by name.
 */
static int malloc_as_named(void)
{
#if defined(REF_JEMALLOC)
	return (void *)malloc != (void *)__libc_malloc;
#elif defined(REF_MIMALLOC)
	return 1;
#else
	return (void *)malloc == (void *)__libc_malloc;
#endif
}

int main(int argc, char **argv)
{
	if (!malloc_as_named()) {
		fprintf(stderr, "%s: malloc is not %s's\n", argv[0], REF_NAME);
		return 1;
	}
	return bench_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]),
			  ratios, sizeof(ratios) / sizeof(ratios[0]));
}
