// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the host page-table walker (host/pagewalk.c).
 *
 * The input is guest RAM, padded to whole pages and cut at 64 of them, and
 * its first bytes double as parameters, so the fuzzer builds page tables
 * out of the bytes it mutates:
 *   0..7    cr3
 *   8..23   the bounds of a window to walk
 *   24      after how many ranges a callback stops the walk
 *   25      bit 0: take the window bounds as they are, not made canonical
 *   26      bit 0: RAM goes on with zeros to 4 MiB, so that 2 MiB frames
 *           fit and 4 KiB and 2 MiB leaves can be contiguous
 * Each input is walked three ways, and every answer
 * is checked on its own and against the others; a broken invariant aborts:
 *  - each range is sane (4 KiB multiples, canonical, within one half and the
 *    window, frames in RAM, va and pa congruent modulo the leaf size, only
 *    permission bits), comes after the previous one and could not have been
 *    merged with it;
 *  - each finding names an entry that really is at entry_gpa, and nothing
 *    follows PT_TOO_MANY;
 *  - pt_translate agrees with the walk at both ends of each range, and an
 *    address it finds mapped lies in a range and the other way round
 *    (unless the walk ran out of budget before reaching it);
 *  - a walk over a window taken from the input gives exactly the whole
 *    walk's ranges clipped to that window;
 *  - a callback that stops the walk at range k sees the first k ranges.
 *
 * From random bytes cr3 almost never names a page in RAM, so with
 * FUZZ_SEED_DIR set (fuzz.mk does) the target first writes a few real
 * trees there as seeds for the fuzzer to mutate.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/pagewalk.h"
#include "shared/layout.h"
#include "shared/pte.h"

#define MAX_PAGES	64
#define BIG_RAM		(4 << 20)
#define MAX_RANGES	(1 << 14)
#define MAX_TRANSLATE	256		/* range ends checked per input */
#define PROT_BITS	(_PAGE_RW | _PAGE_USER | _PAGE_NX | _PAGE_GLOBAL)
#define STOP_RET	5

#define CHECK(cond)			\
	do {				\
		if (!(cond))		\
			abort();	\
	} while (0)

struct log {
	const struct guest_ram *ram;
	uint64_t cr3;
	uint64_t va_lo, va_hi;		/* the window asked for */
	uint64_t lo, hi;		/* the same, widened to whole pages */
	size_t n;			/* ranges seen, counted past MAX_RANGES */
	size_t stop_at;			/* return STOP_RET on this range (from 1); 0: never */
	size_t translate;		/* range ends still to cross-check */
	struct pt_range prev;		/* the last range */
	bool any_finding;
	uint64_t finding_va;		/* of the last finding */
	bool too_many;
	uint64_t too_many_va;
	size_t noncanonical;		/* PT_NONCANONICAL findings */
	struct pt_range r[MAX_RANGES];	/* last, so that walk() clears only what precedes */
};

static struct log full, window, stopped;

static uint64_t sign_extend(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16);
}

static bool canonical(uint64_t va)
{
	return sign_extend(va) == va;
}

static uint64_t leaf_size(enum pt_level level)
{
	return 1ULL << (PAGE_SHIFT + 9 * (level - PT_PTE));
}

static uint64_t read_u64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* pt_translate at va must give what range r says. */
static void check_translation(const struct log *l, const struct pt_range *r, uint64_t va)
{
	struct pt_translation t;

	CHECK(pt_translate(l->ram, l->cr3, va, &t) == 0);
	CHECK(t.present && !t.bad);
	CHECK(t.level == r->level && t.nlevels == PT_PGD - (int)r->level + 1);
	CHECK(t.pa == r->pa + (va - r->va));
	CHECK(t.prot == r->prot);
}

static bool same_range(const struct pt_range *a, const struct pt_range *b)
{
	return a->va == b->va && a->pa == b->pa && a->size == b->size &&
	       a->prot == b->prot && a->level == b->level;
}

static bool mergeable(const struct pt_range *a, const struct pt_range *b)
{
	return a->va + a->size == b->va && a->pa + a->size == b->pa &&
	       a->prot == b->prot && a->level == b->level;
}

static int on_range(void *ctx, const struct pt_range *r)
{
	struct log *l = ctx;
	uint64_t last = r->va + r->size - 1, psize;

	CHECK(r->level >= PT_PTE && r->level <= PT_PUD);
	psize = leaf_size(r->level);
	CHECK(r->size && !(r->size % PAGE_SIZE) && !(r->va % PAGE_SIZE) && !(r->pa % PAGE_SIZE));
	CHECK(last > r->va);
	CHECK(canonical(r->va) && canonical(last) && (r->va >> 63) == (last >> 63));
	CHECK(r->va >= l->lo && last <= l->hi);
	CHECK(!(r->prot & ~PROT_BITS));
	CHECK(!((r->va - r->pa) & (psize - 1)));
	CHECK(((r->pa + r->size - 1) & ~(psize - 1)) < l->ram->size);
	CHECK(!l->too_many);
	CHECK(!l->any_finding || r->va > l->finding_va);
	if (l->n) {
		CHECK(r->va > l->prev.va + l->prev.size - 1);
		CHECK(!mergeable(&l->prev, r));
	}
	if (l->translate) {
		l->translate--;
		check_translation(l, r, r->va);
		check_translation(l, r, last & ~(PAGE_SIZE - 1));
	}
	if (l->n < MAX_RANGES)
		l->r[l->n] = *r;
	l->prev = *r;
	return ++l->n == l->stop_at ? STOP_RET : 0;
}

/* The only finding a window that is not canonical may give, and then alone. */
static void on_noncanonical(struct log *l, const struct pt_finding *f)
{
	CHECK(!canonical(l->va_lo) || !canonical(l->va_hi));
	CHECK(f->va == (canonical(l->va_lo) ? l->va_hi : l->va_lo));
	CHECK(!l->n && !l->any_finding && !l->noncanonical);
	l->noncanonical++;
}

static void on_finding(void *ctx, const struct pt_finding *f)
{
	struct log *l = ctx;
	uint64_t e;

	CHECK(pt_finding_str(f->kind)[0]);
	if (f->kind == PT_NONCANONICAL) {
		on_noncanonical(l, f);
		return;
	}
	CHECK(f->kind == PT_BAD_FRAME || f->kind == PT_RESERVED_BITS || f->kind == PT_LOOP ||
	      f->kind == PT_TOO_MANY);
	CHECK(f->level >= PT_PTE && f->level <= PT_PGD);
	CHECK(canonical(f->va) && !(f->va & (leaf_size(f->level) - 1)));
	CHECK(!(f->entry_gpa & 7) && f->entry_gpa < l->ram->size);
	e = read_u64(l->ram->mem + f->entry_gpa);
	CHECK(e == f->entry && (e & _PAGE_PRESENT));
	CHECK(!l->too_many && !l->noncanonical);
	CHECK(!l->n || f->va > l->prev.va + l->prev.size - 1);
	l->any_finding = true;
	l->finding_va = f->va;
	if (f->kind == PT_TOO_MANY) {
		l->too_many = true;
		l->too_many_va = f->va;
	}
}

static const struct pt_walk_ops ops = { .range = on_range, .bad_entry = on_finding };

static int walk(struct log *l, const struct guest_ram *ram, uint64_t cr3, uint64_t lo,
		uint64_t hi, size_t stop_at, size_t translate)
{
	memset(l, 0, offsetof(struct log, r));
	l->ram = ram;
	l->cr3 = cr3;
	l->va_lo = lo;
	l->va_hi = hi;
	l->lo = lo & ~(PAGE_SIZE - 1);
	l->hi = hi | (PAGE_SIZE - 1);
	l->stop_at = stop_at;
	l->translate = translate;
	return pt_walk(ram, cr3, lo, hi, &ops, l);
}

/* The range of the whole walk holding va, or NULL. */
static const struct pt_range *find_range(uint64_t va)
{
	size_t lo = 0, hi = full.n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (va < full.r[mid].va)
			hi = mid;
		else if (va - full.r[mid].va >= full.r[mid].size)
			lo = mid + 1;
		else
			return &full.r[mid];
	}
	return NULL;
}

/* An address pt_translate finds mapped is in a range of the whole walk, and only then. */
static void probe(const struct guest_ram *ram, uint64_t cr3, uint64_t va)
{
	const struct pt_range *r = find_range(va);
	struct pt_translation t;

	if (!canonical(va) || (full.too_many && va >= full.too_many_va))
		return;
	CHECK(pt_translate(ram, cr3, va, &t) == 0);
	CHECK(t.present == (r != NULL));
	if (r)
		CHECK(t.pa == r->pa + (va - r->va) && t.prot == r->prot && t.level == r->level);
}

/* The window walk must equal the whole walk clipped to the window. */
static void compare_window(void)
{
	size_t k = 0;

	for (size_t i = 0; i < full.n; i++) {
		const struct pt_range *a = &full.r[i];
		uint64_t lo = a->va, hi = a->va + a->size - 1;

		if (hi < window.lo || lo > window.hi)
			continue;
		lo = lo < window.lo ? window.lo : lo;
		hi = hi > window.hi ? window.hi : hi;
		CHECK(k < window.n);
		CHECK(window.r[k].va == lo && window.r[k].size == hi - lo + 1);
		CHECK(window.r[k].pa == a->pa + (lo - a->va));
		CHECK(window.r[k].prot == a->prot && window.r[k].level == a->level);
		k++;
	}
	CHECK(k == window.n);
}

/*
 * Window bounds from the input: as they are (mostly not canonical, which
 * must walk nothing), or sign-extended and in order.
 */
static void check_window(const struct guest_ram *ram, uint64_t cr3, uint64_t lo, uint64_t hi,
			 bool raw)
{
	bool bad = !canonical(lo) || !canonical(hi);

	if (!raw) {
		lo = sign_extend(lo);
		hi = sign_extend(hi);
		if (lo > hi) {
			uint64_t tmp = lo;

			lo = hi;
			hi = tmp;
		}
		bad = false;
	}
	CHECK(walk(&window, ram, cr3, lo, hi, 0, 0) == 0);
	if (bad || lo > hi)
		CHECK(!window.n && !window.any_finding && window.noncanonical == bad);
	else if (!full.too_many)
		compare_window();
}

static void check_stopped(int ret, size_t k)
{
	CHECK(ret == (full.n >= k ? STOP_RET : 0));
	CHECK(stopped.n == (full.n < k ? full.n : k));
	for (size_t i = 0; i < stopped.n && i < MAX_RANGES; i++)
		CHECK(same_range(&stopped.r[i], &full.r[i]));
}

/* ---- seeds ---------------------------------------------------------------- */

#define SEED_PAGES	5
#define T		(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)	/* a table entry */
#define L		(_PAGE_PRESENT | _PAGE_RW)		/* a leaf */
#define LARGE		(L | _PAGE_PSE)

static uint8_t seed[SEED_PAGES * PAGE_SIZE];

static void put(unsigned page, unsigned slot, uint64_t e)
{
	memcpy(seed + page * PAGE_SIZE + 8 * slot, &e, sizeof(e));
}

static void write_seed(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(seed, sizeof(seed), 1, f) != 1) {
		perror(path);
		exit(1);
	}
	fclose(f);
	memset(seed, 0, sizeof(seed));
}

/*
 * Root in page 1, PUD in 2, PMD in 3, PTE table in 4; every kind of entry
 * once.  In a big RAM the last 4 KiB leaf and the 2 MiB leaf after it are
 * contiguous, in a small one their frames are outside RAM.
 */
static void seed_tree(bool big)
{
	put(0, 0, 1 * PAGE_SIZE);			/* cr3 */
	seed[26] = big;
	put(1, 0, 2 * PAGE_SIZE | T);
	put(1, 256, 2 * PAGE_SIZE | T);			/* the kernel half shares it */
	put(1, 511, 3 * PAGE_SIZE | T | _PAGE_NX);	/* a PMD table used as a PUD */
	put(2, 0, 3 * PAGE_SIZE | T);
	put(2, 1, 0 | LARGE | _PAGE_NX);		/* 1 GiB leaf */
	put(2, 2, (1ULL << 30) | LARGE);		/* frame outside RAM */
	put(2, 3, 2 * PAGE_SIZE | T);			/* loop to itself */
	put(3, 0, 4 * PAGE_SIZE | T);
	put(3, 1, (2 << 20) | LARGE);			/* 2 MiB leaf */
	put(3, 2, 0x2000 | LARGE);			/* reserved bit 13 */
	put(3, 3, 1 * PAGE_SIZE | T);			/* loop to the root */
	put(3, 4, SEED_PAGES * PAGE_SIZE | T);		/* table just past RAM */
	for (unsigned i = 0; i < 8; i++)
		put(4, i, i * PAGE_SIZE | L | _PAGE_USER);
	put(4, 8, PAGE_SIZE | L);
	put(4, 9, SEED_PAGES * PAGE_SIZE | L);		/* frame just past RAM */
	put(4, 10, 3 * PAGE_SIZE | L | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL);
	put(4, 511, ((2 << 20) - PAGE_SIZE) | L);
}

/* Every slot of every level names the same next table: the budget must stop it. */
static void seed_shared(void)
{
	put(0, 0, 1 * PAGE_SIZE);
	for (unsigned i = 0; i < PTRS_PER_TABLE; i++) {
		put(1, i, 2 * PAGE_SIZE | T);
		put(2, i, 3 * PAGE_SIZE | T);
		put(3, i, 4 * PAGE_SIZE | T);
		put(4, i, (i % SEED_PAGES) * PAGE_SIZE | L);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("FUZZ_SEED_DIR");

	(void)argc;
	(void)argv;
	if (!dir)
		return 0;
	seed_tree(false);
	write_seed(dir, "seed-tree");
	seed_tree(true);
	write_seed(dir, "seed-tree-big");
	seed_shared();
	write_seed(dir, "seed-shared");
	return 0;
}

/* ---- the target -------------------------------------------------------------- */

static void check_ram(const struct guest_ram *ram)
{
	const uint8_t *mem = ram->mem;
	uint64_t cr3 = read_u64(mem);
	struct pt_translation t;
	size_t k;
	int ret;

	ret = walk(&full, ram, cr3, 0, ~0ULL, 0, MAX_TRANSLATE);
	CHECK(ret == (((cr3 & PTE_PFN_MASK) + PAGE_SIZE > ram->size) ? -1 : 0));
	if (ret) {
		CHECK(!full.n && !full.any_finding);
		CHECK(pt_translate(ram, cr3, 0, &t) == -1 && !t.nlevels && !t.present);
		return;
	}
	if (full.n > MAX_RANGES)
		return;		/* too many to cross-check; the walk itself was checked */

	/* RAM is at least one page, so these offsets are all inside it. */
	for (unsigned i = 1; i <= 16; i++)
		probe(ram, cr3, sign_extend(read_u64(mem + 8 * i)));
	for (size_t i = 0; i < full.n && i < 64; i++) {
		probe(ram, cr3, full.r[i].va - PAGE_SIZE);
		probe(ram, cr3, full.r[i].va + full.r[i].size);
	}
	check_window(ram, cr3, read_u64(mem + 8), read_u64(mem + 16), mem[25] & 1);
	k = 1 + mem[24] % 8;
	check_stopped(walk(&stopped, ram, cr3, 0, ~0ULL, k, 0), k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t mem[BIG_RAM];	/* all zero between inputs */
	size_t len = size < MAX_PAGES * PAGE_SIZE ? size : MAX_PAGES * PAGE_SIZE;
	struct guest_ram ram = {
		.mem = mem,
		.size = len ? (len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1) : PAGE_SIZE,
	};

	memcpy(mem, data, len);
	if (mem[26] & 1)
		ram.size = BIG_RAM;
	check_ram(&ram);
	memset(mem, 0, len);
	return 0;
}
