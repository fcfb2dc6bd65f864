// SPDX-License-Identifier: MIT
/*
 * The VMA tree and the address-space calls, natively (the guest's code
 * built as host C).  One 64 MiB machine serves every case; each case
 * builds its own mm in setup and drops it in teardown, so only the
 * measured loop counts.
 *
 *   vma.find_vma.10k          find_vma() among 10,000 VMAs, random addresses
 *   vma.mmap_munmap.anon      mmap(NULL, 16 KiB) + munmap in an mm of 1,000 VMAs
 *   vma.mprotect.split_merge  mprotect a middle page RO (three VMAs), then RW (one)
 */
#include <linux/mm_vma.h>
#include <linux/mman.h>
#include <linux/random.h>
#include <native/mm_machine.h>

#include "bench.h"

#define BASE		0x10000000UL
#define NR_ADDRS	4096	/* precomputed lookups: the loop measures find_vma alone */

static struct mm_struct *mm;
static unsigned long addrs[NR_ADDRS];

static void machine_init(void)
{
	static bool done;

	if (!done)
		native_mm_machine_init(64UL << 20);
	done = true;
}

/* n one-page VMAs, one page apart, alternately r-- and rw- so that none merge. */
static void populate(unsigned long n)
{
	unsigned long i, addr;

	machine_init();
	mm = mm_alloc();
	for (i = 0; i < n; i++) {
		addr = BASE + 2 * i * PAGE_SIZE;
		if (do_mmap(mm, addr, PAGE_SIZE, i % 2 ? PROT_READ | PROT_WRITE : PROT_READ,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0) != addr)
			__builtin_trap();
	}
}

static void drop(void)
{
	mmput(mm);
}

static void setup_find_vma(void)
{
	struct rnd_state rnd;
	unsigned long i;

	populate(10000);
	prandom_seed_state(&rnd, 1);
	for (i = 0; i < NR_ADDRS; i++)
		addrs[i] = BASE + prandom_u32_below(&rnd, 20000 * PAGE_SIZE);
}

static void run_find_vma(uint64_t iters)
{
	uint64_t i;

	for (i = 0; i < iters; i++)
		bench_keep(find_vma(mm, addrs[i % NR_ADDRS]));
}

static void setup_mmap_munmap(void)
{
	populate(1000);
}

static void run_mmap_munmap(uint64_t iters)
{
	unsigned long addr;

	while (iters--) {
		addr = do_mmap(mm, 0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
		bench_keep(addr);
		do_munmap(mm, addr, 4 * PAGE_SIZE);
	}
}

/* The RW VMA at BASE + 2 pages grows to three pages: its middle one is mprotect()ed. */
static void setup_mprotect(void)
{
	populate(1000);
	do_munmap(mm, BASE + 2 * PAGE_SIZE, 6 * PAGE_SIZE);
	do_mmap(mm, BASE + 2 * PAGE_SIZE, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
}

static void run_mprotect(uint64_t iters)
{
	unsigned long mid = BASE + 3 * PAGE_SIZE;

	while (iters--) {
		do_mprotect(mm, mid, PAGE_SIZE, PROT_READ);
		do_mprotect(mm, mid, PAGE_SIZE, PROT_READ | PROT_WRITE);
	}
}

static const struct bench_case cases[] = {
	{ "vma.find_vma.10k", 2000000, setup_find_vma, run_find_vma, drop },
	{ "vma.mmap_munmap.anon", 1000000, setup_mmap_munmap, run_mmap_munmap, drop },
	{ "vma.mprotect.split_merge", 1000000, setup_mprotect, run_mprotect, drop },
};

BENCH_MAIN(cases)
