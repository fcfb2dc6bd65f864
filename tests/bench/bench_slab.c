// SPDX-License-Identifier: MIT
/*
 * kmalloc/kfree natively (the guest's slab code built as host C, the same
 * source as in the guest), side by side with the C library's allocators
 * on the same patterns: pairs of one size (the allocation fast paths),
 * and a churn of mixed sizes over a ring of live objects (refills,
 * partial slabs, frees into other slabs).
 *
 * References: glibc through __libc_malloc/__libc_free, which glibc
 * exports, and jemalloc as malloc/free when this program is linked with
 * -ljemalloc (jemalloc's initial-exec TLS rules out dlopen()); without
 * it, malloc is glibc's own and the ref.jemalloc cases are left out.
 */
#include <stdlib.h>
#include <sys/mman.h>

#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "bench.h"

#define PHYS_SIZE	(64UL << 20)

void *__libc_malloc(size_t size);
void __libc_free(void *p);

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

PAIR(kmalloc8, kmalloc(8, GFP_KERNEL), kfree)
PAIR(kmalloc64, kmalloc(64, GFP_KERNEL), kfree)
PAIR(kmalloc512, kmalloc(512, GFP_KERNEL), kfree)
PAIR(kmalloc4096, kmalloc(4096, GFP_KERNEL), kfree)
PAIR(glibc8, __libc_malloc(8), __libc_free)
PAIR(glibc64, __libc_malloc(64), __libc_free)
PAIR(glibc512, __libc_malloc(512), __libc_free)
PAIR(glibc4096, __libc_malloc(4096), __libc_free)
PAIR(je8, malloc(8), free)
PAIR(je64, malloc(64), free)
PAIR(je512, malloc(512), free)
PAIR(je4096, malloc(4096), free)

/* ---- churn ------------------------------------------------------------------------------ */

#define RING	512
#define NSIZES	4096

static void *ring[RING];
static unsigned int sizes[NSIZES];

/* Mostly small, some medium, a few up to 8k: a fixed LCG, the same sequence for every allocator. */
static void churn_sizes(void)
{
	unsigned int i, x = 12345, r;

	for (i = 0; i < NSIZES; i++) {
		x = x * 1103515245 + 12345;
		r = (x >> 8) % 100;
		if (r < 50)
			sizes[i] = 1 + (x >> 20) % 64;
		else if (r < 80)
			sizes[i] = 65 + (x >> 20) % 448;
		else if (r < 95)
			sizes[i] = 513 + (x >> 20) % 1536;
		else
			sizes[i] = 2049 + (x >> 20) % 6144;
	}
}

/* The ring starts full and ends empty; every operation frees the oldest and allocates anew. */
#define CHURN(name, alloc, free)				\
static void name##_setup(void)					\
{								\
	unsigned int i;						\
								\
	machine_init();						\
	churn_sizes();						\
	for (i = 0; i < RING; i++)				\
		ring[i] = alloc(sizes[i]);			\
}								\
static void name##_run(uint64_t iters)				\
{								\
	uint64_t i;						\
								\
	for (i = 0; i < iters; i++) {				\
		free(ring[i % RING]);				\
		ring[i % RING] = alloc(sizes[i % NSIZES]);	\
	}							\
}								\
static void name##_teardown(void)				\
{								\
	unsigned int i;						\
								\
	for (i = 0; i < RING; i++)				\
		free(ring[i]);					\
}

#define kmalloc_kernel(size)	kmalloc(size, GFP_KERNEL)
CHURN(churn_kmalloc, kmalloc_kernel, kfree)
CHURN(churn_glibc, __libc_malloc, __libc_free)
CHURN(churn_je, malloc, free)

static const struct bench_case cases[] = {
	{ "slab.kmalloc8.alloc_free", 2000000, machine_init, kmalloc8, NULL },
	{ "slab.kmalloc64.alloc_free", 2000000, machine_init, kmalloc64, NULL },
	{ "slab.kmalloc512.alloc_free", 2000000, machine_init, kmalloc512, NULL },
	{ "slab.kmalloc4096.alloc_free", 2000000, machine_init, kmalloc4096, NULL },
	{ "slab.churn.mixed", 1000000, churn_kmalloc_setup, churn_kmalloc_run, churn_kmalloc_teardown },
	{ "ref.glibc.malloc8.free", 2000000, NULL, glibc8, NULL },
	{ "ref.glibc.malloc64.free", 2000000, NULL, glibc64, NULL },
	{ "ref.glibc.malloc512.free", 2000000, NULL, glibc512, NULL },
	{ "ref.glibc.malloc4096.free", 2000000, NULL, glibc4096, NULL },
	{ "ref.glibc.churn.mixed", 1000000, churn_glibc_setup, churn_glibc_run, churn_glibc_teardown },
	/* Only with -ljemalloc: these stay last (main() cuts them off). */
	{ "ref.jemalloc.malloc8.free", 2000000, NULL, je8, NULL },
	{ "ref.jemalloc.malloc64.free", 2000000, NULL, je64, NULL },
	{ "ref.jemalloc.malloc512.free", 2000000, NULL, je512, NULL },
	{ "ref.jemalloc.malloc4096.free", 2000000, NULL, je4096, NULL },
	{ "ref.jemalloc.churn.mixed", 1000000, churn_je_setup, churn_je_run, churn_je_teardown },
};

#define NR_JEMALLOC_CASES	5

/* Above 1: kmalloc is faster.  Those against jemalloc appear only when it is linked. */
static const struct bench_ratio ratios[] = {
	{ "slab.kmalloc64.vs_glibc", "slab.kmalloc64.alloc_free", "ref.glibc.malloc64.free" },
	{ "slab.churn.vs_glibc", "slab.churn.mixed", "ref.glibc.churn.mixed" },
	{ "slab.kmalloc64.vs_jemalloc", "slab.kmalloc64.alloc_free", "ref.jemalloc.malloc64.free" },
	{ "slab.churn.vs_jemalloc", "slab.churn.mixed", "ref.jemalloc.churn.mixed" },
};

int main(int argc, char **argv)
{
	size_t n = sizeof(cases) / sizeof(cases[0]);

	if ((void *)malloc == (void *)__libc_malloc)
		n -= NR_JEMALLOC_CASES;
	return bench_main(argc, argv, cases, n, ratios, sizeof(ratios) / sizeof(ratios[0]));
}
