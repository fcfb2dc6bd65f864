// SPDX-License-Identifier: MIT
/*
 * Unit tests for the host's page-table walker (host/pagewalk.c).
 *
 * Each test builds page tables by hand in a calloc'd buffer that stands in
 * for guest RAM: tables come from a bump allocator at the bottom of RAM, and
 * tb_map() puts a leaf for va -> pa at a chosen level, creating the tables
 * above it.  Frames of leaves are never read, so they may overlap tables.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>

#include "lib/kernel.h"
#include "check_fast.h"
#include "check_main.h"
#include "check/pagewalk.h"
#include "shared/layout.h"
#include "shared/pte.h"

#define KiB		(1ULL << 10)
#define MiB		(1ULL << 20)
#define GiB		(1ULL << 30)
#define P		_PAGE_PRESENT
#define RW		_PAGE_RW
#define US		_PAGE_USER
#define NX		_PAGE_NX
#define G		_PAGE_GLOBAL
#define PAT_LARGE	(1ULL << 12)
#define TABLE_FLAGS	(P | RW | US)
#define RAM_SIZE	(4 * MiB)
#define MAX_SEEN	64

/* ---- the builder ---------------------------------------------------------- */

static struct guest_ram ram;
static uint64_t next_table;	/* bump allocator for tables */
static uint64_t cr3;

static unsigned shift_of(enum pt_level level)
{
	return PAGE_SHIFT + 9 * (level - PT_PTE);
}

static uint64_t alloc_table(void)
{
	uint64_t gpa = next_table;

	next_table += PAGE_SIZE;
	ck_assert_uint_le(next_table, ram.size);
	return gpa;
}

/* mmap, not calloc: a sanitizer's calloc may clear gigabytes byte by byte. */
static void ram_init(uint64_t size)
{
	ram.mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ck_assert_ptr_ne(ram.mem, MAP_FAILED);
	ram.size = size;
	next_table = PAGE_SIZE;		/* gpa 0 stays free: frame 0 is not special */
	cr3 = alloc_table();
}

static void setup(void)
{
	ram_init(RAM_SIZE);
}

static void teardown(void)
{
	munmap(ram.mem, ram.size);
	ram.mem = NULL;
}

/* A 1 GiB leaf must lie wholly in RAM: tests of them get a RAM that holds two. */
static void ram_of_two_gib(void)
{
	teardown();
	ram_init(2 * GiB + 64 * KiB);
}

static uint64_t *slot(uint64_t table, uint64_t va, enum pt_level level)
{
	return (uint64_t *)(ram.mem + table) + ((va >> shift_of(level)) % PTRS_PER_TABLE);
}

/* The entry for va at level, creating the tables above it as needed. */
static uint64_t *tb_entry(uint64_t va, enum pt_level level)
{
	uint64_t table = cr3;

	for (enum pt_level l = PT_PGD; l > level; l--) {
		uint64_t *e = slot(table, va, l);

		if (!(*e & P))
			*e = alloc_table() | TABLE_FLAGS;
		table = *e & PTE_PFN_MASK;
	}
	return slot(table, va, level);
}

static uint64_t entry_gpa(uint64_t va, enum pt_level level)
{
	return (uint64_t)((uint8_t *)tb_entry(va, level) - ram.mem);
}

static void tb_map(uint64_t va, uint64_t pa, enum pt_level level, uint64_t flags)
{
	*tb_entry(va, level) = pa | flags | P | (level == PT_PTE ? 0 : _PAGE_PSE);
}

/* n leaves of one level, contiguous in va and pa. */
static void tb_map_n(uint64_t va, uint64_t pa, unsigned n, enum pt_level level, uint64_t flags)
{
	uint64_t step = 1ULL << shift_of(level);

	for (unsigned i = 0; i < n; i++)
		tb_map(va + i * step, pa + i * step, level, flags);
}

/* ---- what a walk reports ---------------------------------------------------- */

struct seen {
	struct pt_range r[MAX_SEEN];
	struct pt_finding f[MAX_SEEN];
	unsigned nr, nf;		/* counted even past MAX_SEEN */
	unsigned nr_at_finding;		/* ranges seen before the last finding */
	char order[2 * MAX_SEEN + 1];	/* 'r' and 'f' in the order they came */
	unsigned stop_at;		/* return 7 from this range (1-based); 0 = never */
};

static int on_range(void *ctx, const struct pt_range *r)
{
	struct seen *s = ctx;

	if (s->nr < MAX_SEEN)
		s->r[s->nr] = *r;
	if (strlen(s->order) < 2 * MAX_SEEN)
		strcat(s->order, "r");
	return ++s->nr == s->stop_at ? 7 : 0;
}

static void on_finding(void *ctx, const struct pt_finding *f)
{
	struct seen *s = ctx;

	if (s->nf < MAX_SEEN)
		s->f[s->nf] = *f;
	if (strlen(s->order) < 2 * MAX_SEEN)
		strcat(s->order, "f");
	s->nf++;
	s->nr_at_finding = s->nr;
}

static const struct pt_walk_ops ops = { .range = on_range, .bad_entry = on_finding };

static int walk(struct seen *s, uint64_t lo, uint64_t hi)
{
	memset(s, 0, sizeof(*s));
	return pt_walk(&ram, cr3, lo, hi, &ops, s);
}

static int walk_all(struct seen *s)
{
	return walk(s, 0, ~0ULL);
}

static void assert_range(const struct pt_range *r, uint64_t va, uint64_t pa, uint64_t size,
			 uint64_t prot, enum pt_level level)
{
	ck_assert_uint_eq(r->va, va);
	ck_assert_uint_eq(r->pa, pa);
	ck_assert_uint_eq(r->size, size);
	ck_assert_uint_eq(r->prot, prot);
	ck_assert_int_eq(r->level, level);
}

static void assert_finding(const struct pt_finding *f, enum pt_finding_kind kind, uint64_t va,
			   enum pt_level level)
{
	ck_assert_int_eq(f->kind, kind);
	ck_assert_uint_eq(f->va, va);
	ck_assert_int_eq(f->level, level);
	ck_assert_uint_eq(f->entry, *tb_entry(va, level));
	ck_assert_uint_eq(f->entry_gpa, entry_gpa(va, level));
}

/* A walk that finds exactly one finding and no range. */
static void assert_only_finding(enum pt_finding_kind kind, uint64_t va, enum pt_level level)
{
	struct seen s;

	ck_assert_int_eq(walk_all(&s), 0);
	ck_assert_uint_eq(s.nr, 0);
	ck_assert_uint_eq(s.nf, 1);
	assert_finding(&s.f[0], kind, va, level);
}

/* ---- leaves ------------------------------------------------------------------ */

START_TEST(leaf_4k)
{
	struct seen s;

	tb_map(0x400000, 0x123000, PT_PTE, RW | US);
	ck_assert_int_eq(walk_all(&s), 0);
	ck_assert_uint_eq(s.nr, 1);
	ck_assert_uint_eq(s.nf, 0);
	assert_range(&s.r[0], 0x400000, 0x123000, 4 * KiB, RW | US, PT_PTE);
}
END_TEST

START_TEST(leaf_2m)
{
	struct seen s;

	/* PAT (bit 12) is set: it must not leak into the frame address. */
	tb_map(GiB + 2 * MiB, 2 * MiB, PT_PMD, RW | NX | PAT_LARGE);
	ck_assert_int_eq(walk_all(&s), 0);
	ck_assert_uint_eq(s.nr, 1);
	ck_assert_uint_eq(s.nf, 0);
	assert_range(&s.r[0], GiB + 2 * MiB, 2 * MiB, 2 * MiB, RW | NX, PT_PMD);
}
END_TEST

START_TEST(leaf_1g)
{
	struct seen s;

	ram_of_two_gib();
	tb_map(3 * GiB, 0, PT_PUD, US | PAT_LARGE);
	ck_assert_int_eq(walk_all(&s), 0);
	ck_assert_uint_eq(s.nr, 1);
	assert_range(&s.r[0], 3 * GiB, 0, GiB, US, PT_PUD);
}
END_TEST

/* A leaf whose first frame is in RAM but whose end is not maps what is not there. */
START_TEST(leaf_1g_past_ram_end)
{
	tb_map(GiB, 0, PT_PUD, RW);
	assert_only_finding(PT_BAD_FRAME, GiB, PT_PUD);
}
END_TEST

START_TEST(leaf_2m_past_ram_end)
{
	teardown();
	ram_init(3 * MiB);
	tb_map(4 * MiB, 2 * MiB, PT_PMD, RW);
	assert_only_finding(PT_BAD_FRAME, 4 * MiB, PT_PMD);
}
END_TEST

START_TEST(leaf_1g_coalesce)
{
	struct seen s;

	ram_of_two_gib();
	tb_map_n(GiB, 0, 2, PT_PUD, RW);
	ck_assert_int_eq(walk_all(&s), 0);
	ck_assert_uint_eq(s.nr, 1);
	assert_range(&s.r[0], GiB, 0, 2 * GiB, RW, PT_PUD);
}
END_TEST

/* ---- coalescing ----------------------------------------------------------------- */

START_TEST(coalesce_contiguous)
{
	struct seen s;

	tb_map_n(0x10000, 0x200000, 3, PT_PTE, RW);
	ck_assert_int_eq(walk_all(&s), 0);
	ck_assert_uint_eq(s.nr, 1);
	assert_range(&s.r[0], 0x10000, 0x200000, 3 * PAGE_SIZE, RW, PT_PTE);
}
END_TEST

/* A run carries on from one last-level table into the next. */
START_TEST(coalesce_across_tables)
{
	struct seen s;

	tb_map_n(4 * MiB - 2 * PAGE_SIZE, 0x100000, 4, PT_PTE, RW);
	tb_map_n(GiB - 2 * MiB, 0, 2, PT_PMD, 0);	/* across a PUD boundary */
	ck_assert_int_eq(walk_all(&s), 0);
	ck_assert_uint_eq(s.nr, 2);
	assert_range(&s.r[0], 4 * MiB - 2 * PAGE_SIZE, 0x100000, 4 * PAGE_SIZE, RW, PT_PTE);
	assert_range(&s.r[1], GiB - 2 * MiB, 0, 4 * MiB, 0, PT_PMD);
}
END_TEST

START_TEST(split_pa_gap)
{
	struct seen s;

	tb_map(0x10000, 0x200000, PT_PTE, RW);
	tb_map(0x11000, 0x202000, PT_PTE, RW);
	ck_assert_int_eq(walk_all(&s), 0);
	ck_assert_uint_eq(s.nr, 2);
	assert_range(&s.r[0], 0x10000, 0x200000, PAGE_SIZE, RW, PT_PTE);
	assert_range(&s.r[1], 0x11000, 0x202000, PAGE_SIZE, RW, PT_PTE);
}
END_TEST

/* Frames line up across a non-present entry, but the virtual addresses do not. */
START_TEST(split_va_gap)
{
	struct seen s;

	tb_map(0x10000, 0x200000, PT_PTE, RW);
	tb_map(0x12000, 0x201000, PT_PTE, RW);
	tb_map(0x13000, 0x202000, PT_PTE, RW);
	ck_assert_int_eq(walk_all(&s), 0);
	ck_assert_uint_eq(s.nr, 2);
	assert_range(&s.r[0], 0x10000, 0x200000, PAGE_SIZE, RW, PT_PTE);
	assert_range(&s.r[1], 0x12000, 0x201000, 2 * PAGE_SIZE, RW, PT_PTE);
}
END_TEST

START_TEST(split_prot)
{
	struct seen s;

	tb_map_n(0x10000, 0x200000, 2, PT_PTE, RW | US);
	tb_map(0x12000, 0x202000, PT_PTE, US);
	tb_map(0x13000, 0x203000, PT_PTE, US | G);
	tb_map(0x14000, 0x204000, PT_PTE, US | G | NX);
	ck_assert_int_eq(walk_all(&s), 0);
	ck_assert_uint_eq(s.nr, 4);
	assert_range(&s.r[0], 0x10000, 0x200000, 2 * PAGE_SIZE, RW | US, PT_PTE);
	assert_range(&s.r[1], 0x12000, 0x202000, PAGE_SIZE, US, PT_PTE);
	assert_range(&s.r[2], 0x13000, 0x203000, PAGE_SIZE, US | G, PT_PTE);
	assert_range(&s.r[3], 0x14000, 0x204000, PAGE_SIZE, US | G | NX, PT_PTE);
}
END_TEST

/* Accessed, dirty and caching bits are not permissions: they do not split. */
START_TEST(no_split_on_other_bits)
{
	static const uint64_t extra[] = { 0, _PAGE_ACCESSED, _PAGE_DIRTY, _PAGE_PCD, _PAGE_PWT, 0 };
	struct seen s;

	for (unsigned i = 0; i < 6; i++)
		tb_map(0x10000 + i * PAGE_SIZE, 0x200000 + i * PAGE_SIZE, PT_PTE, RW | extra[i]);
	ck_assert_int_eq(walk_all(&s), 0);
	ck_assert_uint_eq(s.nr, 1);
	assert_range(&s.r[0], 0x10000, 0x200000, 6 * PAGE_SIZE, RW, PT_PTE);
}
END_TEST

/* Contiguous in va, pa and prot, but 4 KiB next to 2 MiB leaves: two ranges each time. */
START_TEST(split_level)
{
	struct seen s;

	tb_map(2 * MiB - PAGE_SIZE, 2 * MiB - PAGE_SIZE, PT_PTE, RW);
	tb_map(2 * MiB, 2 * MiB, PT_PMD, RW);
	tb_map(8 * MiB, 0, PT_PMD, RW);
	tb_map(10 * MiB, 2 * MiB, PT_PTE, RW);
	ck_assert_int_eq(walk_all(&s), 0);
	ck_assert_uint_eq(s.nr, 4);
	assert_range(&s.r[0], 2 * MiB - PAGE_SIZE, 2 * MiB - PAGE_SIZE, PAGE_SIZE, RW, PT_PTE);
	assert_range(&s.r[1], 2 * MiB, 2 * MiB, 2 * MiB, RW, PT_PMD);
	assert_range(&s.r[2], 8 * MiB, 0, 2 * MiB, RW, PT_PMD);
	assert_range(&s.r[3], 10 * MiB, 2 * MiB, PAGE_SIZE, RW, PT_PTE);
}
END_TEST

/* ---- holes, order, the two halves ---------------------------------------- */

START_TEST(holes_in_order)
{
	struct seen s;

	/* Built out of order; reported in increasing va. */
	tb_map(PAGE_OFFSET, 0, PT_PMD, RW | G | NX);
	tb_map(0x7f0000000000, 0x5000, PT_PTE, RW | US);
	tb_map(0x1000, 0x6000, PT_PTE, US);
	tb_map(__START_KERNEL_map, 2 * MiB, PT_PMD, G);
	ck_assert_int_eq(walk_all(&s), 0);
	ck_assert_uint_eq(s.nr, 4);
	assert_range(&s.r[0], 0x1000, 0x6000, PAGE_SIZE, US, PT_PTE);
	assert_range(&s.r[1], 0x7f0000000000, 0x5000, PAGE_SIZE, RW | US, PT_PTE);
	assert_range(&s.r[2], PAGE_OFFSET, 0, 2 * MiB, RW | G | NX, PT_PMD);
	assert_range(&s.r[3], __START_KERNEL_map, 2 * MiB, 2 * MiB, G, PT_PMD);
}
END_TEST

START_TEST(empty_tree)
{
	struct seen s;

	tb_entry(0x1000, PT_PTE);	/* tables down to a PTE table, nothing mapped */
	ck_assert_int_eq(walk_all(&s), 0);
	ck_assert_uint_eq(s.nr, 0);
	ck_assert_uint_eq(s.nf, 0);
}
END_TEST

/* The last user page and the first kernel-half page never merge across the hole. */
START_TEST(halves_never_merge)
{
	struct seen s;

	tb_map(0x00007ffffffff000, 0x200000, PT_PTE, RW);
	tb_map(0xffff800000000000, 0x201000, PT_PTE, RW);
	ck_assert_int_eq(walk_all(&s), 0);
	ck_assert_uint_eq(s.nr, 2);
	assert_range(&s.r[0], 0x00007ffffffff000, 0x200000, PAGE_SIZE, RW, PT_PTE);
	assert_range(&s.r[1], 0xffff800000000000, 0x201000, PAGE_SIZE, RW, PT_PTE);
}
END_TEST

START_TEST(kernel_half_sign_extended)
{
	struct seen s;

	tb_map(0xfffffffffffff000, 0x3000, PT_PTE, RW);
	tb_map(VMALLOC_START, 0x7000, PT_PTE, RW);
	*tb_entry(VMEMMAP_START, PT_PMD) = RAM_SIZE | P | _PAGE_PSE;	/* bad frame */
	ck_assert_int_eq(walk_all(&s), 0);
	ck_assert_uint_eq(s.nr, 2);
	ck_assert_uint_eq(s.nf, 1);
	assert_range(&s.r[0], VMALLOC_START, 0x7000, PAGE_SIZE, RW, PT_PTE);
	assert_range(&s.r[1], 0xfffffffffffff000, 0x3000, PAGE_SIZE, RW, PT_PTE);
	assert_finding(&s.f[0], PT_BAD_FRAME, VMEMMAP_START, PT_PMD);
}
END_TEST

/* ---- permissions --------------------------------------------------------------- */

/*
 * Every combination of RW, US and NX on every entry of a path, for each leaf
 * level, and G on or off at the leaf (G set on every table entry, where it
 * means nothing).  The walk and pt_translate must both give
 * RW and US only if set at every level, NX if set at any, G from the leaf.
 */
static void check_all_prot_combinations(enum pt_level leaf, uint64_t va, uint64_t pa)
{
	unsigned levels = PT_PGD - leaf + 1, bits = 3 * levels + 1;
	uint64_t *e[PT_PGD + 1];

	tb_map(va, pa, leaf, 0);
	for (enum pt_level l = PT_PGD; l >= leaf; l--)
		e[l] = tb_entry(va, l);
	for (unsigned combo = 0; combo < 1U << bits; combo++) {
		uint64_t want = RW | US, flags, prot;
		struct pt_translation t;
		struct seen s;
		unsigned c = combo;

		for (enum pt_level l = PT_PGD; l >= leaf; l--, c >>= 3) {
			flags = (c & 1 ? RW : 0) | (c & 2 ? US : 0) | (c & 4 ? NX : 0);
			want &= flags | NX | G;
			want |= flags & NX;
			*e[l] = (*e[l] & (PTE_PFN_MASK | _PAGE_PSE)) | P | G | flags;
		}
		if (!(c & 1))
			*e[leaf] &= ~G;
		want |= c & 1 ? G : 0;

		fast_assert_int_eq(walk_all(&s), 0);
		fast_assert_uint_eq(s.nr, 1);
		prot = s.r[0].prot;
		fast_assert_msg(prot == want, "leaf level %d combo %#x: prot %#llx, want %#llx",
				leaf, combo, (unsigned long long)prot, (unsigned long long)want);
		fast_assert_int_eq(pt_translate(&ram, cr3, va, &t), 0);
		fast_assert(t.present);
		fast_assert_msg(t.prot == want, "leaf level %d combo %#x: translated prot %#llx, "
				"want %#llx", leaf, combo, (unsigned long long)t.prot,
				(unsigned long long)want);
	}
}

START_TEST(prot_every_combination_4k)
{
	check_all_prot_combinations(PT_PTE, 0x7f0000201000, 0x300000);
}
END_TEST

START_TEST(prot_every_combination_2m)
{
	check_all_prot_combinations(PT_PMD, PAGE_OFFSET + 2 * MiB, 2 * MiB);
}
END_TEST

START_TEST(prot_every_combination_1g)
{
	ram_of_two_gib();
	check_all_prot_combinations(PT_PUD, 0x40000000, 0);
}
END_TEST

/* The named cases of the brief, as a reader would look for them. */
START_TEST(prot_named_cases)
{
	struct seen s;

	tb_map(0x1000, 0x1000, PT_PTE, RW | US);		/* everything allowed */
	tb_map(GiB + 0x1000, 0x2000, PT_PTE, RW | US);		/* RW cleared at PUD */
	*tb_entry(GiB, PT_PUD) &= ~RW;
	tb_map(2 * GiB + 2 * MiB, 0x3000, PT_PTE, RW | US);	/* US cleared at PMD */
	*tb_entry(2 * GiB + 2 * MiB, PT_PMD) &= ~US;
	tb_map(512 * GiB, 0x4000, PT_PTE, RW | US);		/* NX set at PGD */
	*tb_entry(512 * GiB, PT_PGD) |= NX;
	ck_assert_int_eq(walk_all(&s), 0);
	ck_assert_uint_eq(s.nr, 4);
	ck_assert_uint_eq(s.r[0].prot, RW | US);
	ck_assert_uint_eq(s.r[1].prot, US);
	ck_assert_uint_eq(s.r[2].prot, RW);
	ck_assert_uint_eq(s.r[3].prot, RW | US | NX);
}
END_TEST

/* ---- sub-ranges ---------------------------------------------------------------------- */

START_TEST(window_clips_2m)
{
	uint64_t va = 0x40200000;
	struct seen s;

	tb_map(va, 2 * MiB, PT_PMD, RW);
	ck_assert_int_eq(walk(&s, va + 0x1000, va + 2 * MiB - 0x1001), 0);
	ck_assert_uint_eq(s.nr, 1);
	assert_range(&s.r[0], va + 0x1000, 2 * MiB + 0x1000, 2 * MiB - 0x2000, RW, PT_PMD);
}
END_TEST

/* Bounds inside a page take in the whole page. */
START_TEST(window_unaligned_bounds)
{
	uint64_t va = 0x40200000;
	struct seen s;

	tb_map(va, 2 * MiB, PT_PMD, RW);
	ck_assert_int_eq(walk(&s, va + 0x1234, va + 0x5678), 0);
	ck_assert_uint_eq(s.nr, 1);
	assert_range(&s.r[0], va + 0x1000, 2 * MiB + 0x1000, 0x5000, RW, PT_PMD);
	ck_assert_int_eq(walk(&s, va + 0x1234, va + 0x1234), 0);
	ck_assert_uint_eq(s.nr, 1);
	assert_range(&s.r[0], va + 0x1000, 2 * MiB + 0x1000, PAGE_SIZE, RW, PT_PMD);
}
END_TEST

START_TEST(window_clips_4k_run)
{
	uint64_t va = 0x7f0000000000 - 4 * PAGE_SIZE;	/* straddles a PGD boundary */
	struct seen s;

	tb_map_n(va, 0x100000, 8, PT_PTE, RW | US);
	ck_assert_int_eq(walk(&s, va + 2 * PAGE_SIZE, va + 5 * PAGE_SIZE + 0x10), 0);
	ck_assert_uint_eq(s.nr, 1);
	assert_range(&s.r[0], va + 2 * PAGE_SIZE, 0x102000, 4 * PAGE_SIZE, RW | US, PT_PTE);
}
END_TEST

START_TEST(window_clips_1g_kernel_half)
{
	struct seen s;

	ram_of_two_gib();
	tb_map(PAGE_OFFSET, 0, PT_PUD, RW | NX);
	ck_assert_int_eq(walk(&s, PAGE_OFFSET + MiB, PAGE_OFFSET + 3 * MiB - 1), 0);
	ck_assert_uint_eq(s.nr, 1);
	assert_range(&s.r[0], PAGE_OFFSET + MiB, MiB, 2 * MiB, RW | NX, PT_PUD);
}
END_TEST

/* A window from the user half into the kernel half, with its edges on mappings. */
START_TEST(window_across_halves)
{
	struct seen s;

	tb_map_n(0x7ffffffe0000, 0x100000, 4, PT_PTE, US);
	tb_map(0x1000, 0x1000, PT_PTE, US);			/* below the window */
	tb_map_n(PAGE_OFFSET, 0, 2, PT_PMD, RW);
	tb_map(VMALLOC_START, 0x1000, PT_PTE, RW);		/* above the window */
	ck_assert_int_eq(walk(&s, 0x7ffffffe1000, PAGE_OFFSET + 3 * MiB - 1), 0);
	ck_assert_uint_eq(s.nr, 2);
	assert_range(&s.r[0], 0x7ffffffe1000, 0x101000, 3 * PAGE_SIZE, US, PT_PTE);
	assert_range(&s.r[1], PAGE_OFFSET, 0, 3 * MiB, RW, PT_PMD);
}
END_TEST

START_TEST(window_empty_or_reversed)
{
	struct seen s;

	tb_map(0x10000, 0x10000, PT_PTE, RW);
	ck_assert_int_eq(walk(&s, 0x11000, 0x7fffffffffff), 0);
	ck_assert_uint_eq(s.nr, 0);
	ck_assert_int_eq(walk(&s, 0x11000, 0x10000), 0);
	ck_assert_uint_eq(s.nr, 0);
	ck_assert_uint_eq(s.nf, 0);
	ck_assert_int_eq(walk(&s, 0x10fff, 0x10fff), 0);
	ck_assert_uint_eq(s.nr, 1);
}
END_TEST

START_TEST(noncanonical_window)
{
	struct seen s;

	tb_map(0x10000, 0x10000, PT_PTE, RW);
	ck_assert_int_eq(walk(&s, 0, 0x0000800000000000), 0);
	ck_assert_uint_eq(s.nr, 0);
	ck_assert_uint_eq(s.nf, 1);
	ck_assert_int_eq(s.f[0].kind, PT_NONCANONICAL);
	ck_assert_uint_eq(s.f[0].va, 0x0000800000000000);
	ck_assert_int_eq(walk(&s, 0xffff7fffffffffff, ~0ULL), 0);
	ck_assert_uint_eq(s.nr, 0);
	ck_assert_uint_eq(s.nf, 1);
	ck_assert_uint_eq(s.f[0].va, 0xffff7fffffffffff);
}
END_TEST

/* ---- pt_translate ------------------------------------------------------------------ */

static void assert_translation_path(const struct pt_translation *t, uint64_t va)
{
	for (int i = 0; i < t->nlevels; i++) {
		ck_assert_uint_eq(t->entry_gpa[i], entry_gpa(va, PT_PGD - i));
		ck_assert_uint_eq(t->entry[i], *tb_entry(va, PT_PGD - i));
	}
}

START_TEST(translate_each_level)
{
	static const struct {
		uint64_t va, pa;
		enum pt_level level;
		uint64_t flags;
	} c[] = {
		{ 0x7f0000123000, 0x345000, PT_PTE, RW | US },
		{ PAGE_OFFSET + 4 * MiB, 2 * MiB, PT_PMD, RW | NX | G | PAT_LARGE },
		{ 0x40000000, 0, PT_PUD, US | PAT_LARGE },
	};
	struct pt_translation t;

	ram_of_two_gib();
	for (unsigned i = 0; i < 3; i++) {
		uint64_t off = 0x123;

		tb_map(c[i].va, c[i].pa, c[i].level, c[i].flags);
		if (c[i].level != PT_PTE)
			off += 0x5000;
		ck_assert_int_eq(pt_translate(&ram, cr3, c[i].va + off, &t), 0);
		ck_assert(t.present);
		ck_assert(!t.bad);
		ck_assert_int_eq(t.nlevels, PT_PGD - c[i].level + 1);
		ck_assert_int_eq(t.level, c[i].level);
		ck_assert_uint_eq(t.pa, c[i].pa + off);
		ck_assert_uint_eq(t.prot, c[i].flags & (RW | US | NX | G));
		assert_translation_path(&t, c[i].va);
	}
}
END_TEST

/* Not present at each level: the walk stops at the first non-present entry. */
START_TEST(translate_not_present)
{
	uint64_t va = 0x7f0000123000;
	struct pt_translation t;

	ck_assert_int_eq(pt_translate(&ram, cr3, va, &t), 0);
	ck_assert_int_eq(t.nlevels, 1);
	ck_assert(!t.present && !t.bad);
	ck_assert_uint_eq(t.entry_gpa[0], cr3 + 8 * 254);
	for (enum pt_level l = PT_PUD; l >= PT_PTE; l--) {
		tb_entry(va, l);	/* make the tables down to level l */
		ck_assert_int_eq(pt_translate(&ram, cr3, va, &t), 0);
		ck_assert_int_eq(t.nlevels, PT_PGD - l + 1);
		ck_assert(!t.present && !t.bad);
		ck_assert_uint_eq(t.entry[t.nlevels - 1], 0);
		assert_translation_path(&t, va);
	}
}
END_TEST

START_TEST(translate_refuses_bad_input)
{
	struct pt_translation t;

	tb_map(0x1000, 0x1000, PT_PTE, RW);
	ck_assert_int_eq(pt_translate(&ram, cr3, 0x0000800000000000, &t), -1);
	ck_assert_int_eq(t.nlevels, 0);
	ck_assert_int_eq(pt_translate(&ram, RAM_SIZE, 0x1000, &t), -1);
	ck_assert_int_eq(t.nlevels, 0);
	ck_assert(!t.present);
}
END_TEST

/* ---- hostile tables ------------------------------------------------------------------ */

/* A table entry at each level pointing at the first byte past RAM. */
START_TEST(bad_frame_table)
{
	uint64_t va = 0x7f8040201000;

	for (enum pt_level l = PT_PGD; l >= PT_PMD; l--) {
		struct pt_translation t;

		teardown();
		setup();
		*tb_entry(va, l) = RAM_SIZE | TABLE_FLAGS;
		assert_only_finding(PT_BAD_FRAME, va & ~((1ULL << shift_of(l)) - 1), l);
		ck_assert_int_eq(pt_translate(&ram, cr3, va, &t), 0);
		ck_assert(t.bad && !t.present);
		ck_assert_int_eq(t.nlevels, PT_PGD - l + 1);
	}
}
END_TEST

START_TEST(bad_frame_leaf)
{
	static const struct {
		uint64_t va;
		enum pt_level level;
		uint64_t pa;
	} c[] = {
		{ 0x1000, PT_PTE, RAM_SIZE },
		{ 0x200000, PT_PMD, RAM_SIZE },
		{ 0x40000000, PT_PUD, GiB },
		{ 0x5000, PT_PTE, 0x000ffffffffff000 },	/* the highest frame there is */
	};
	struct pt_translation t;

	for (unsigned i = 0; i < 4; i++) {
		teardown();
		setup();
		tb_map(c[i].va, c[i].pa, c[i].level, RW);
		assert_only_finding(PT_BAD_FRAME, c[i].va, c[i].level);
		ck_assert_int_eq(pt_translate(&ram, cr3, c[i].va, &t), 0);
		ck_assert(t.bad && !t.present);
	}
}
END_TEST

/* The last page of RAM is fine as a leaf or a table; one page on is not. */
START_TEST(frame_at_ram_end)
{
	uint64_t last = RAM_SIZE - PAGE_SIZE;
	struct seen s;

	tb_map(0x1000, last, PT_PTE, RW);
	tb_map(0x2000, RAM_SIZE, PT_PTE, RW);
	*tb_entry(GiB, PT_PUD) = last | TABLE_FLAGS;	/* a PMD table in RAM's last page */
	tb_map(GiB, 2 * MiB, PT_PMD, RW);
	ck_assert_int_eq(walk_all(&s), 0);
	ck_assert_uint_eq(s.nr, 2);
	ck_assert_uint_eq(s.nf, 1);
	assert_range(&s.r[0], 0x1000, last, PAGE_SIZE, RW, PT_PTE);
	assert_finding(&s.f[0], PT_BAD_FRAME, 0x2000, PT_PTE);
	assert_range(&s.r[1], GiB, 2 * MiB, 2 * MiB, RW, PT_PMD);
}
END_TEST

/* A 4 KiB run whose frames cross the end of RAM stops at the end, entry by entry. */
START_TEST(run_crosses_ram_end)
{
	struct seen s;

	tb_map_n(0x10000, RAM_SIZE - 2 * PAGE_SIZE, 4, PT_PTE, RW);
	ck_assert_int_eq(walk_all(&s), 0);
	ck_assert_uint_eq(s.nr, 1);
	ck_assert_uint_eq(s.nf, 2);
	assert_range(&s.r[0], 0x10000, RAM_SIZE - 2 * PAGE_SIZE, 2 * PAGE_SIZE, RW, PT_PTE);
	assert_finding(&s.f[0], PT_BAD_FRAME, 0x12000, PT_PTE);
	assert_finding(&s.f[1], PT_BAD_FRAME, 0x13000, PT_PTE);
}
END_TEST

/* RAM whose size is not a page multiple: a table must fit wholly. */
START_TEST(table_partly_outside_ram)
{
	uint64_t last = RAM_SIZE - PAGE_SIZE;

	*tb_entry(GiB, PT_PUD) = last | TABLE_FLAGS;
	ram.size = RAM_SIZE - 8;
	assert_only_finding(PT_BAD_FRAME, GiB, PT_PUD);
}
END_TEST

START_TEST(reserved_bits_2m)
{
	for (unsigned bit = 13; bit <= 20; bit++) {
		teardown();
		setup();
		tb_map(0x200000, 2 * MiB | 1ULL << bit, PT_PMD, RW);
		assert_only_finding(PT_RESERVED_BITS, 0x200000, PT_PMD);
	}
}
END_TEST

START_TEST(reserved_bits_1g)
{
	struct pt_translation t;

	for (unsigned bit = 13; bit <= 29; bit++) {
		teardown();
		setup();
		tb_map(GiB, 1ULL << bit, PT_PUD, RW);
		assert_only_finding(PT_RESERVED_BITS, GiB, PT_PUD);
		ck_assert_int_eq(pt_translate(&ram, cr3, GiB, &t), 0);
		ck_assert(t.bad && !t.present);
		ck_assert_int_eq(t.nlevels, 2);
	}
}
END_TEST

START_TEST(ps_at_pgd)
{
	struct pt_translation t;

	*tb_entry(PAGE_OFFSET, PT_PGD) = P | RW | _PAGE_PSE;
	assert_only_finding(PT_RESERVED_BITS, PAGE_OFFSET, PT_PGD);
	ck_assert_int_eq(pt_translate(&ram, cr3, PAGE_OFFSET, &t), 0);
	ck_assert(t.bad && !t.present);
	ck_assert_int_eq(t.nlevels, 1);
}
END_TEST

/* Entries that point back up the path: each is a loop, reported and not followed. */
START_TEST(loops)
{
	static const struct {
		enum pt_level level;	/* of the looping entry */
		enum pt_level target;	/* the table on the path it points to */
	} c[] = {
		{ PT_PGD, PT_PGD },	/* root points to itself */
		{ PT_PUD, PT_PUD },	/* itself */
		{ PT_PMD, PT_PUD },	/* its parent */
		{ PT_PMD, PT_PGD },	/* the root */
		{ PT_PUD, PT_PGD },
	};
	uint64_t va = 0x7f8040200000;

	for (unsigned i = 0; i < 5; i++) {
		uint64_t target;
		struct pt_translation t;

		teardown();
		setup();
		tb_entry(va, PT_PTE);
		target = cr3;
		if (c[i].target != PT_PGD)
			target = *tb_entry(va, c[i].target + 1) & PTE_PFN_MASK;
		*tb_entry(va, c[i].level) = target | TABLE_FLAGS;
		assert_only_finding(PT_LOOP, va & ~((1ULL << shift_of(c[i].level)) - 1),
				    c[i].level);
		ck_assert_int_eq(pt_translate(&ram, cr3, va, &t), 0);
		ck_assert(t.bad && !t.present);
	}
}
END_TEST

/* Two parents sharing one table is no loop: both views are walked. */
START_TEST(shared_table_is_not_a_loop)
{
	struct seen s;

	tb_map(0x1000, 0x5000, PT_PTE, RW);
	*tb_entry(PAGE_OFFSET, PT_PGD) = *tb_entry(0, PT_PGD);
	ck_assert_int_eq(walk_all(&s), 0);
	ck_assert_uint_eq(s.nf, 0);
	ck_assert_uint_eq(s.nr, 2);
	assert_range(&s.r[0], 0x1000, 0x5000, PAGE_SIZE, RW, PT_PTE);
	assert_range(&s.r[1], PAGE_OFFSET + 0x1000, 0x5000, PAGE_SIZE, RW, PT_PTE);
}
END_TEST

/*
 * Every slot of every level points at the same next-level table, and the
 * last table maps 2 MiB: 2^27 last-level tables as far as a naive walk can
 * tell.  The budget must cut it short with one PT_TOO_MANY, after the ranges
 * before it.
 */
START_TEST(huge_shared_tree)
{
	uint64_t pud = alloc_table(), pmd = alloc_table(), pte = alloc_table();
	uint64_t *root_t = (uint64_t *)(ram.mem + cr3), *pud_t = (uint64_t *)(ram.mem + pud);
	uint64_t *pmd_t = (uint64_t *)(ram.mem + pmd), *pte_t = (uint64_t *)(ram.mem + pte);
	struct seen s;

	for (unsigned i = 0; i < PTRS_PER_TABLE; i++) {
		root_t[i] = pud | TABLE_FLAGS;
		pud_t[i] = pmd | TABLE_FLAGS;
		pmd_t[i] = pte | TABLE_FLAGS;
		pte_t[i] = (uint64_t)i << PAGE_SHIFT | P | RW;
	}
	ck_assert_int_eq(walk_all(&s), 0);
	ck_assert_uint_eq(s.nf, 1);
	ck_assert_int_eq(s.f[0].kind, PT_TOO_MANY);
	ck_assert_uint_gt(s.nr, 100000);
	ck_assert_uint_lt(s.nr, 1U << 20);
	ck_assert_uint_eq(s.nr_at_finding, s.nr);	/* nothing after the finding */
	assert_range(&s.r[0], 0, 0, 2 * MiB, RW, PT_PTE);
	assert_range(&s.r[1], 2 * MiB, 0, 2 * MiB, RW, PT_PTE);
}
END_TEST

START_TEST(cr3_outside_ram)
{
	struct seen s;

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(pt_walk(&ram, RAM_SIZE, 0, ~0ULL, &ops, &s), -1);
	ck_assert_int_eq(pt_walk(&ram, ~0ULL, 0, ~0ULL, &ops, &s), -1);
	ck_assert_uint_eq(s.nr + s.nf, 0);
}
END_TEST

/* The last page of RAM as a root; flag and PCID bits in cr3 are ignored. */
START_TEST(cr3_at_ram_end_and_flag_bits)
{
	struct seen s;

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(pt_walk(&ram, RAM_SIZE - PAGE_SIZE, 0, ~0ULL, &ops, &s), 0);
	tb_map(0x1000, 0x1000, PT_PTE, RW);
	ck_assert_int_eq(pt_walk(&ram, cr3 | 0xfff | 1ULL << 63, 0, ~0ULL, &ops, &s), 0);
	ck_assert_uint_eq(s.nr, 1);
	assert_range(&s.r[0], 0x1000, 0x1000, PAGE_SIZE, RW, PT_PTE);
}
END_TEST

/* ---- the caller's side ------------------------------------------------------------------ */

START_TEST(callback_stops_walk)
{
	struct seen s;

	tb_map(0x1000, 0x1000, PT_PTE, RW);
	tb_map(0x3000, 0x3000, PT_PTE, RW);
	tb_map(0x5000, 0x5000, PT_PTE, RW);
	tb_map(0x6000, RAM_SIZE, PT_PTE, RW);
	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	ck_assert_int_eq(pt_walk(&ram, cr3, 0, ~0ULL, &ops, &s), 7);
	ck_assert_uint_eq(s.nr, 2);
	ck_assert_uint_eq(s.nf, 0);
	s = (struct seen){ .stop_at = 3 };
	ck_assert_int_eq(pt_walk(&ram, cr3, 0, ~0ULL, &ops, &s), 7);
	ck_assert_str_eq(s.order, "rrr");	/* the finding after the stop is not reported */
}
END_TEST

START_TEST(findings_in_va_order_and_walk_goes_on)
{
	struct seen s;

	tb_map_n(0x1000, 0x1000, 2, PT_PTE, RW);
	tb_map(0x3000, RAM_SIZE, PT_PTE, RW);
	tb_map(0x4000, 0x4000, PT_PTE, RW);
	tb_map(2 * MiB, 2 * MiB | 1ULL << 14, PT_PMD, RW);
	tb_map(4 * MiB, 0, PT_PMD, RW);
	ck_assert_int_eq(walk_all(&s), 0);
	ck_assert_str_eq(s.order, "rfrfr");
}
END_TEST

START_TEST(finding_callback_optional)
{
	static const struct pt_walk_ops ranges_only = { .range = on_range };
	struct seen s;

	tb_map(0x3000, RAM_SIZE, PT_PTE, RW);
	tb_map(0x4000, 0x4000, PT_PTE, RW);
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(pt_walk(&ram, cr3, 0, ~0ULL, &ranges_only, &s), 0);
	ck_assert_uint_eq(s.nr, 1);
	ck_assert_int_eq(pt_walk(&ram, cr3, 0x0000800000000000, ~0ULL, &ranges_only, &s), 0);
	ck_assert_uint_eq(s.nr, 1);
}
END_TEST

START_TEST(finding_names)
{
	ck_assert_str_eq(pt_finding_str(PT_BAD_FRAME), "frame outside RAM");
	for (int a = PT_BAD_FRAME; a <= PT_NONCANONICAL; a++)
		for (int b = a + 1; b <= PT_NONCANONICAL; b++)
			ck_assert_str_ne(pt_finding_str(a), pt_finding_str(b));
}
END_TEST

static Suite *pagewalk_suite(void)
{
	Suite *s = suite_create("pagewalk");
	TCase *leaves = tcase_create("leaves"), *merge = tcase_create("coalescing");
	TCase *space = tcase_create("address space"), *prot = tcase_create("permissions");
	TCase *window = tcase_create("window"), *tr = tcase_create("translate");
	TCase *hostile = tcase_create("hostile"), *caller = tcase_create("caller");
	TCase *all[] = { leaves, merge, space, prot, window, tr, hostile, caller };

	for (unsigned i = 0; i < ARRAY_SIZE(all); i++) {
		tcase_add_checked_fixture(all[i], setup, teardown);
		suite_add_tcase(s, all[i]);
	}
	tcase_add_test(leaves, leaf_4k);
	tcase_add_test(leaves, leaf_2m);
	tcase_add_test(leaves, leaf_1g);
	tcase_add_test(leaves, leaf_1g_coalesce);
	tcase_add_test(leaves, leaf_1g_past_ram_end);
	tcase_add_test(leaves, leaf_2m_past_ram_end);
	tcase_add_test(merge, coalesce_contiguous);
	tcase_add_test(merge, coalesce_across_tables);
	tcase_add_test(merge, split_pa_gap);
	tcase_add_test(merge, split_va_gap);
	tcase_add_test(merge, split_prot);
	tcase_add_test(merge, no_split_on_other_bits);
	tcase_add_test(merge, split_level);
	tcase_add_test(space, holes_in_order);
	tcase_add_test(space, empty_tree);
	tcase_add_test(space, halves_never_merge);
	tcase_add_test(space, kernel_half_sign_extended);
	tcase_add_test(prot, prot_every_combination_4k);
	tcase_add_test(prot, prot_every_combination_2m);
	tcase_add_test(prot, prot_every_combination_1g);
	tcase_add_test(prot, prot_named_cases);
	tcase_add_test(window, window_clips_2m);
	tcase_add_test(window, window_unaligned_bounds);
	tcase_add_test(window, window_clips_4k_run);
	tcase_add_test(window, window_clips_1g_kernel_half);
	tcase_add_test(window, window_across_halves);
	tcase_add_test(window, window_empty_or_reversed);
	tcase_add_test(window, noncanonical_window);
	tcase_add_test(tr, translate_each_level);
	tcase_add_test(tr, translate_not_present);
	tcase_add_test(tr, translate_refuses_bad_input);
	tcase_add_test(hostile, bad_frame_table);
	tcase_add_test(hostile, bad_frame_leaf);
	tcase_add_test(hostile, frame_at_ram_end);
	tcase_add_test(hostile, run_crosses_ram_end);
	tcase_add_test(hostile, table_partly_outside_ram);
	tcase_add_test(hostile, reserved_bits_2m);
	tcase_add_test(hostile, reserved_bits_1g);
	tcase_add_test(hostile, ps_at_pgd);
	tcase_add_test(hostile, loops);
	tcase_add_test(hostile, shared_table_is_not_a_loop);
	tcase_add_test(hostile, huge_shared_tree);
	tcase_add_test(hostile, cr3_outside_ram);
	tcase_add_test(hostile, cr3_at_ram_end_and_flag_bits);
	tcase_add_test(caller, callback_stops_walk);
	tcase_add_test(caller, findings_in_va_order_and_walk_goes_on);
	tcase_add_test(caller, finding_callback_optional);
	tcase_add_test(caller, finding_names);
	return s;
}

CHECK_MAIN_NOFORK(pagewalk_suite)
