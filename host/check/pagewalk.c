// SPDX-License-Identifier: MIT
/*
 * The host's own x86-64 4-level page-table walker (contract in pagewalk.h).
 *
 * Guest memory is hostile input: every table is located with gpa_ptr()
 * before it is read, an entry whose frame lies outside RAM or that has
 * reserved bits set is reported and not followed, a table that is already
 * on the current path is reported and not followed, and a global budget on
 * the number of tables visited bounds the work a tree of shared tables can
 * cause.  Recursion is one call per level, so at most four deep.
 *
 * Table bases and the window are kept as "linear" addresses, the low 48
 * bits of a virtual address: PGD slots 0..255 are the lower canonical half
 * and 256..511 the upper half, so linear order is canonical order and the
 * non-canonical hole takes no room.  Ranges and findings carry canonical,
 * sign-extended addresses.
 *
 * MAXPHYADDR is taken as 52, the architectural maximum: bits 12..51 of an
 * entry are all frame address, and no frame bit is reserved.  A frame that
 * high is caught instead by the check against the size of guest RAM.
 */
#include <string.h>

#include "pagewalk.h"
#include "shared/layout.h"
#include "shared/pte.h"

#define VA_BITS		48
#define VA_MASK		((1ULL << VA_BITS) - 1)

/*
 * Tables one walk may visit.  A tree without sharing cannot have more
 * tables than guest RAM has pages; this allows 4 GiB worth while keeping a
 * hostile tree of shared tables to about half a billion entry reads.
 * Overridable so that the fuzzer reaches the limit cheaply.
 */
#ifndef PT_TABLE_BUDGET
#define PT_TABLE_BUDGET	(1ULL << 20)
#endif

/* In a large-page entry bit 12 is PAT; the bits between it and the frame are reserved. */
#define _PAGE_PAT_LARGE	(1ULL << 12)
#define RSVD_2M		(PTE_PFN_MASK & ~PTE_PFN_MASK_2M & ~_PAGE_PAT_LARGE)
#define RSVD_1G		(PTE_PFN_MASK & ~PTE_PFN_MASK_1G & ~_PAGE_PAT_LARGE)

/* The permission bits a leaf can contribute to pt_range.prot. */
#define PROT_BITS	(_PAGE_RW | _PAGE_USER | _PAGE_NX | _PAGE_GLOBAL)
/* The bits a table entry can take away (its NX is added separately). */
#define PROT_AND_BITS	(_PAGE_RW | _PAGE_USER)

enum entry_kind { ENT_NONE, ENT_TABLE, ENT_LEAF, ENT_RESERVED, ENT_BAD_FRAME };

/*
 * Effective permission so far along a path: a leaf's prot is
 * (leaf & keep) | nx.  keep loses RW or USER at the first table entry
 * without it; nx gains NX at the first one with it.
 */
struct path_prot {
	uint64_t keep;
	uint64_t nx;
};

struct walker {
	const struct guest_ram *ram;
	const struct pt_walk_ops *ops;
	void *ctx;
	uint64_t lo, hi;		/* inclusive linear window, whole 4 KiB pages */
	uint64_t tables_left;		/* budget */
	uint64_t path[PT_PGD + 1];	/* gpa of the table at each level of the current path */
	struct pt_range run;		/* pending range; size 0 when none */
	int ret;			/* the range callback's non-zero answer */
	bool done;			/* stop: callback asked, or budget exhausted */
};

static inline unsigned level_shift(enum pt_level level)
{
	return PAGE_SHIFT + 9 * (level - PT_PTE);
}

static inline uint64_t sign_extend(uint64_t lin)
{
	return (uint64_t)((int64_t)(lin << (64 - VA_BITS)) >> (64 - VA_BITS));
}

static inline bool canonical(uint64_t va)
{
	return sign_extend(va & VA_MASK) == va;
}

/* Is @frame one of the tables from @level up to the root on this path? */
static inline bool on_path(const uint64_t *path, enum pt_level level, uint64_t frame)
{
	for (int l = level; l <= PT_PGD; l++)
		if (path[l] == frame)
			return true;
	return false;
}

static inline void path_prot_descend(struct path_prot *pp, uint64_t table_entry)
{
	pp->keep &= table_entry | ~PROT_AND_BITS;
	pp->nx |= table_entry & _PAGE_NX;
}

/*
 * What a present-or-not entry at @level is, and the frame it names.  A table
 * must lie wholly in RAM to be read, and so must a leaf's whole extent: a
 * 1 GiB leaf that starts in RAM and runs past its end maps memory that is
 * not there.
 */
static inline enum entry_kind classify(const struct guest_ram *ram, uint64_t e,
				       enum pt_level level, uint64_t *frame)
{
	uint64_t mask = PTE_PFN_MASK;

	if (!(e & _PAGE_PRESENT))
		return ENT_NONE;
	if (level != PT_PTE && !(e & _PAGE_PSE)) {
		*frame = e & PTE_PFN_MASK;
		return gpa_ptr(ram, *frame, PAGE_SIZE) ? ENT_TABLE : ENT_BAD_FRAME;
	}
	if (level == PT_PGD)
		return ENT_RESERVED;
	if (level == PT_PMD) {
		if (e & RSVD_2M)
			return ENT_RESERVED;
		mask = PTE_PFN_MASK_2M;
	} else if (level == PT_PUD) {
		if (e & RSVD_1G)
			return ENT_RESERVED;
		mask = PTE_PFN_MASK_1G;
	}
	*frame = e & mask;
	return gpa_ptr(ram, *frame, 1ULL << level_shift(level)) ? ENT_LEAF : ENT_BAD_FRAME;
}

/* Hand the pending range to the caller. */
static void flush(struct walker *w)
{
	if (!w->run.size)
		return;
	w->ret = w->ops->range(w->ctx, &w->run);
	w->run.size = 0;
	if (w->ret)
		w->done = true;
}

/* Flushing first keeps ranges and findings in increasing va order. */
static void report(struct walker *w, enum pt_finding_kind kind, uint64_t lin,
		   enum pt_level level, uint64_t entry_gpa, uint64_t e)
{
	struct pt_finding f = {
		.kind = kind, .va = sign_extend(lin), .level = level,
		.entry_gpa = entry_gpa, .entry = e,
	};

	flush(w);
	if (!w->done && w->ops->bad_entry)
		w->ops->bad_entry(w->ctx, &f);
}

/*
 * Extend the pending range with a leaf at canonical @va, or flush it and
 * start a new one.  Canonical addresses on both sides of the hole are far
 * apart, so a range never spans it.
 */
static inline void add_leaf(struct walker *w, uint64_t va, uint64_t pa, uint64_t size,
			    uint64_t prot, enum pt_level level)
{
	struct pt_range *r = &w->run;

	if (r->size && r->va + r->size == va && r->pa + r->size == pa &&
	    r->prot == prot && r->level == level) {
		r->size += size;
		return;
	}
	flush(w);
	*r = (struct pt_range){ .va = va, .pa = pa, .size = size, .prot = prot, .level = level };
}

/* Slots of the table at linear @base that overlap the window. */
static inline void window_slots(const struct walker *w, uint64_t base, unsigned shift,
				unsigned *first, unsigned *last)
{
	uint64_t hi = (w->hi - base) >> shift;

	*first = w->lo > base ? (w->lo - base) >> shift : 0;
	*last = hi < PTRS_PER_TABLE ? hi : PTRS_PER_TABLE - 1;
}

/*
 * The hot loop: 512 u64s of a last-level table.  After a leaf starts or
 * extends a range, the entries that follow are compared whole against "the
 * same entry, one frame on", which needs no decoding at all; only the first
 * entry that differs goes through classify() and add_leaf().
 */
static void walk_pte_table(struct walker *w, uint64_t table, uint64_t base,
			   const struct path_prot *pp)
{
	const uint64_t *t = (const uint64_t *)gpa_ptr(w->ram, table, PAGE_SIZE);
	const uint64_t ram_size = w->ram->size, keep = pp->keep, nx = pp->nx;
	const uint64_t va0 = sign_extend(base);
	unsigned i, last;

	window_slots(w, base, PAGE_SHIFT, &i, &last);
	for (; i <= last; i++) {
		uint64_t e = t[i], pa, next;
		unsigned j;

		switch (classify(w->ram, e, PT_PTE, &pa)) {
		case ENT_NONE:
			continue;
		case ENT_LEAF:
			break;
		default:	/* ENT_BAD_FRAME, the only other answer at this level */
			report(w, PT_BAD_FRAME, base + ((uint64_t)i << PAGE_SHIFT), PT_PTE,
			       table + 8 * i, e);
			if (w->done)
				return;
			continue;
		}
		add_leaf(w, va0 + ((uint64_t)i << PAGE_SHIFT), pa, PAGE_SIZE, (e & keep) | nx,
			 PT_PTE);
		if (w->done)
			return;
		next = e + PAGE_SIZE;
		if (i == last || t[i + 1] != next)
			continue;
		/* Near the end of RAM go entry by entry, so that frames past it are reported. */
		if (pa + ((uint64_t)(last - i) << PAGE_SHIFT) >= ram_size)
			continue;
		for (j = i + 1; j <= last && t[j] == next; j++)
			next += PAGE_SIZE;
		w->run.size += (uint64_t)(j - i - 1) << PAGE_SHIFT;
		i = j - 1;
	}
}

static void walk_table(struct walker *w, uint64_t table, enum pt_level level, uint64_t base,
		       const struct path_prot *pp);

/* Follow a table entry at linear @lin, unless it loops or the budget is spent. */
static void descend(struct walker *w, uint64_t frame, enum pt_level level, uint64_t lin,
		    uint64_t entry_gpa, uint64_t e, const struct path_prot *pp)
{
	struct path_prot child = *pp;

	if (on_path(w->path, level, frame)) {
		report(w, PT_LOOP, lin, level, entry_gpa, e);
		return;
	}
	if (!w->tables_left) {
		report(w, PT_TOO_MANY, lin, level, entry_gpa, e);
		w->done = true;
		return;
	}
	w->tables_left--;
	w->path[level - 1] = frame;
	path_prot_descend(&child, e);
	if (level == PT_PMD)
		walk_pte_table(w, frame, lin, &child);
	else
		walk_table(w, frame, level - 1, lin, &child);
}

/* A leaf above the last level at linear @lin, clipped to the window. */
static void add_large_leaf(struct walker *w, uint64_t lin, uint64_t pa, uint64_t e,
			   enum pt_level level, const struct path_prot *pp)
{
	uint64_t end = lin + (1ULL << level_shift(level)) - 1;
	uint64_t lo = lin < w->lo ? w->lo : lin, hi = end > w->hi ? w->hi : end;

	add_leaf(w, sign_extend(lo), pa + (lo - lin), hi - lo + 1, (e & pp->keep) | pp->nx, level);
}

/* A PGD, PUD or PMD table: one loop over its slots in the window. */
static void walk_table(struct walker *w, uint64_t table, enum pt_level level, uint64_t base,
		       const struct path_prot *pp)
{
	const uint64_t *t = (const uint64_t *)gpa_ptr(w->ram, table, PAGE_SIZE);
	unsigned shift = level_shift(level), i, last;

	window_slots(w, base, shift, &i, &last);
	for (; i <= last && !w->done; i++) {
		uint64_t e = t[i], lin = base + ((uint64_t)i << shift), frame;

		switch (classify(w->ram, e, level, &frame)) {
		case ENT_NONE:
			break;
		case ENT_TABLE:
			descend(w, frame, level, lin, table + 8 * i, e, pp);
			break;
		case ENT_LEAF:
			add_large_leaf(w, lin, frame, e, level, pp);
			break;
		case ENT_RESERVED:
			report(w, PT_RESERVED_BITS, lin, level, table + 8 * i, e);
			break;
		case ENT_BAD_FRAME:
			report(w, PT_BAD_FRAME, lin, level, table + 8 * i, e);
			break;
		}
	}
}

/*
 * The window is widened to whole 4 KiB pages, and leaves are clipped to it,
 * so a range's size is a multiple of 4 KiB, and of its leaf size unless
 * clipped.
 */
int pt_walk(const struct guest_ram *ram, uint64_t cr3, uint64_t va_lo, uint64_t va_hi,
	    const struct pt_walk_ops *ops, void *ctx)
{
	static const struct path_prot top = { .keep = PROT_BITS, .nx = 0 };
	struct walker w = {
		.ram = ram, .ops = ops, .ctx = ctx, .tables_left = PT_TABLE_BUDGET - 1,
	};
	uint64_t root = cr3 & PTE_PFN_MASK, budget;

	if (!canonical(va_lo) || !canonical(va_hi)) {
		struct pt_finding f = {
			.kind = PT_NONCANONICAL, .va = canonical(va_lo) ? va_hi : va_lo,
			.level = PT_PGD,
		};

		if (ops->bad_entry)
			ops->bad_entry(ctx, &f);
		return 0;
	}
	if (!gpa_ptr(ram, root, PAGE_SIZE))
		return -1;
	if (va_lo > va_hi)
		return 0;
	w.lo = va_lo & VA_MASK & ~(PAGE_SIZE - 1);
	w.hi = (va_hi & VA_MASK) | (PAGE_SIZE - 1);
	if (ops->tables_left && *ops->tables_left < w.tables_left)
		w.tables_left = *ops->tables_left;
	budget = w.tables_left;
	w.path[PT_PGD] = root;
	walk_table(&w, root, PT_PGD, 0, &top);
	if (!w.done)
		flush(&w);
	if (ops->tables_left)
		*ops->tables_left -= budget - w.tables_left;
	return w.ret;
}

int pt_translate(const struct guest_ram *ram, uint64_t cr3, uint64_t va,
		 struct pt_translation *t)
{
	struct path_prot pp = { .keep = PROT_BITS, .nx = 0 };
	uint64_t table = cr3 & PTE_PFN_MASK, path[PT_PGD + 1] = { 0 };

	memset(t, 0, sizeof(*t));
	if (!canonical(va) || !gpa_ptr(ram, table, PAGE_SIZE))
		return -1;
	for (enum pt_level level = PT_PGD; level >= PT_PTE; level--) {
		unsigned shift = level_shift(level);
		uint64_t gpa = table + 8 * ((va >> shift) % PTRS_PER_TABLE), e, frame;

		e = *(const uint64_t *)gpa_ptr(ram, gpa, 8);
		t->entry_gpa[t->nlevels] = gpa;
		t->entry[t->nlevels++] = e;
		path[level] = table;
		switch (classify(ram, e, level, &frame)) {
		case ENT_NONE:
			return 0;
		case ENT_TABLE:
			if (on_path(path, level, frame)) {
				t->bad = true;	/* pt_walk reports PT_LOOP */
				return 0;
			}
			path_prot_descend(&pp, e);
			table = frame;
			break;
		case ENT_LEAF:
			t->present = true;
			t->pa = frame + (va & ((1ULL << shift) - 1));
			t->prot = (e & pp.keep) | pp.nx;
			t->level = level;
			return 0;
		case ENT_RESERVED:
		case ENT_BAD_FRAME:
			t->bad = true;
			return 0;
		}
	}
	return 0;
}

const char *pt_finding_str(enum pt_finding_kind kind)
{
	switch (kind) {
	case PT_BAD_FRAME:
		return "frame outside RAM";
	case PT_RESERVED_BITS:
		return "reserved bits set";
	case PT_LOOP:
		return "table loops to an ancestor";
	case PT_TOO_MANY:
		return "too many tables";
	case PT_NONCANONICAL:
		return "non-canonical address";
	}
	return "unknown finding";
}
