// SPDX-License-Identifier: MIT
/*
 * The host page-table walker against memcpy of the same table bytes.
 *
 * Two address spaces map 1 GiB with 4 KiB pages (262,144 PTEs in 512
 * last-level tables):
 *   walk.4k_1g.pte         frames swapped in pairs, so no two neighbours
 *                          coalesce and the range callback runs once per
 *                          page: the walker's worst case
 *   walk.4k_1g.merged.pte  frames in order: the whole GiB is one range
 *   walk.memcpy.pte        memcpy of the 512 tables of the first (2 MiB)
 * Every figure is per PTE: run(iters) does iters / 262,144 whole walks, and
 * iters is a multiple of 10 * 262,144 because run.sh divides it by 10 for
 * callgrind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "check/pagewalk.h"
#include "shared/layout.h"
#include "shared/pte.h"

#define GiB		(1ULL << 30)
#define PTES		(1ULL << 18)		/* 4 KiB pages in 1 GiB */
#define PT_PAGES	(PTES / PTRS_PER_TABLE)
#define ITERS		(200 * PTES)		/* 200 walks; 20 under callgrind */
#define SPLIT_CR3	0
#define MERGED_CR3	(4ULL << 20)
#define FLAGS		(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED)

static struct guest_ram ram;
static uint8_t *copy_dst;
static struct { uint64_t ranges, bytes; } seen;

/* Root, PUD and PMD tables, then the 512 PTE tables, from @base up. */
static void build_tree(uint64_t base, bool split)
{
	uint64_t *root = (uint64_t *)(ram.mem + base);
	uint64_t *pud = root + PTRS_PER_TABLE, *pmd = pud + PTRS_PER_TABLE;
	uint64_t *pte = pmd + PTRS_PER_TABLE;

	root[0] = (base + PAGE_SIZE) | FLAGS;
	pud[0] = (base + 2 * PAGE_SIZE) | FLAGS;
	for (uint64_t i = 0; i < PT_PAGES; i++)
		pmd[i] = (base + (3 + i) * PAGE_SIZE) | FLAGS;
	for (uint64_t i = 0; i < PTES; i++)
		pte[i] = ((split ? i ^ 1 : i) << PAGE_SHIFT) | FLAGS;
}

static int count_range(void *ctx, const struct pt_range *r);
static const struct pt_walk_ops ops;

/* One walk of the tree at @cr3 must give @ranges ranges covering 1 GiB. */
static void check_tree(uint64_t cr3, uint64_t ranges)
{
	seen.ranges = seen.bytes = 0;
	if (pt_walk(&ram, cr3, 0, ~0ULL, &ops, NULL) || seen.ranges != ranges ||
	    seen.bytes != GiB) {
		fprintf(stderr, "bench_walk: tree at %#llx walks wrong\n", (unsigned long long)cr3);
		exit(1);
	}
}

static void setup(void)
{
	if (ram.mem)
		return;
	/* Frames are never read: only the tables' pages get touched. */
	ram.size = GiB;
	ram.mem = calloc(1, ram.size);
	copy_dst = malloc(PT_PAGES * PAGE_SIZE);
	if (!ram.mem || !copy_dst) {
		fprintf(stderr, "bench_walk: out of memory\n");
		exit(1);
	}
	build_tree(SPLIT_CR3, true);
	build_tree(MERGED_CR3, false);
	memset(copy_dst, 0, PT_PAGES * PAGE_SIZE);
	check_tree(SPLIT_CR3, PTES);
	check_tree(MERGED_CR3, 1);
}

static int count_range(void *ctx, const struct pt_range *r)
{
	(void)ctx;
	seen.ranges++;
	seen.bytes += r->size;
	return 0;
}

static const struct pt_walk_ops ops = { .range = count_range };

static void walk_n(uint64_t cr3, uint64_t iters)
{
	for (uint64_t n = iters / PTES; n; n--)
		pt_walk(&ram, cr3, 0, ~0ULL, &ops, NULL);
	bench_keep(seen.ranges);
}

static void run_split(uint64_t iters)
{
	walk_n(SPLIT_CR3, iters);
}

static void run_merged(uint64_t iters)
{
	walk_n(MERGED_CR3, iters);
}

static void run_memcpy(uint64_t iters)
{
	const uint8_t *tables = ram.mem + SPLIT_CR3 + 3 * PAGE_SIZE;

	for (uint64_t n = iters / PTES; n; n--) {
		memcpy(copy_dst, tables, PT_PAGES * PAGE_SIZE);
		bench_keep(copy_dst);
	}
}

static const struct bench_case cases[] = {
	{ "walk.4k_1g.pte", ITERS, setup, run_split, NULL },
	{ "walk.4k_1g.merged.pte", ITERS, setup, run_merged, NULL },
	{ "walk.memcpy.pte", ITERS, setup, run_memcpy, NULL },
};

static const struct bench_ratio ratios[] = {
	{ "walk.vs_memcpy", "walk.4k_1g.pte", "walk.memcpy.pte" },
	{ "walk.merged.vs_memcpy", "walk.4k_1g.merged.pte", "walk.memcpy.pte" },
};

BENCH_MAIN_RATIOS(cases, ratios)
