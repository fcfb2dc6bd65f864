/* SPDX-License-Identifier: MIT */
/*
 * An independent x86-64 4-level page-table walker over guest RAM.
 *
 * It reads the guest's tables through struct guest_ram only, trusts nothing
 * it reads, and reports malformed entries (frame outside RAM, reserved bits,
 * a table that loops back on itself or an ancestor) as findings instead of
 * following them.  Walks yield ranges: consecutive leaves whose frames are
 * contiguous and whose effective permissions agree are merged into one
 * struct pt_range, and non-present entries are skipped a whole table slot at
 * a time.
 */
#ifndef HOST_PAGEWALK_H
#define HOST_PAGEWALK_H

#include <stdbool.h>
#include <stdint.h>

#include "vm/guest_ram.h"

enum pt_level { PT_PTE = 1, PT_PMD = 2, PT_PUD = 3, PT_PGD = 4 };

/* Effective permission of a translation: AND of RW/US, OR of NX, leaf's G. */
struct pt_range {
	uint64_t va;		/* canonical virtual start */
	uint64_t pa;		/* physical start */
	uint64_t size;		/* bytes; a multiple of the page size */
	uint64_t prot;		/* _PAGE_RW | _PAGE_USER | _PAGE_NX | _PAGE_GLOBAL (from shared/pte.h) */
	enum pt_level level;	/* PT_PTE 4K, PT_PMD 2M, PT_PUD 1G leaves */
};

enum pt_finding_kind {
	PT_BAD_FRAME,		/* entry points outside guest RAM */
	PT_RESERVED_BITS,	/* reserved bits set (PS at PGD, bits 51..M, PAT-area in large pages...) */
	PT_LOOP,		/* table is itself or an ancestor on the walk path */
	PT_TOO_MANY,		/* walk budget exhausted (a huge or cyclic tree) */
	PT_NONCANONICAL,	/* requested range not canonical */
};

struct pt_finding {
	enum pt_finding_kind kind;
	uint64_t va;		/* first virtual address the entry translates */
	enum pt_level level;	/* level of the entry */
	uint64_t entry_gpa;	/* where the entry lives */
	uint64_t entry;		/* its value */
};

struct pt_walk_ops {
	/* Return non-zero to stop the walk early (pt_walk returns that value). */
	int (*range)(void *ctx, const struct pt_range *r);
	void (*bad_entry)(void *ctx, const struct pt_finding *f);	/* may be NULL */
	/*
	 * Tables several walks may visit in all, less what this one visits;
	 * NULL: each walk has a budget of its own.
	 */
	uint64_t *tables_left;
};

/*
 * Walk the tables rooted at cr3 (bits 12..51 used) over [va_lo, va_hi]
 * (inclusive, canonical).  Calls ops->range in increasing va order.
 * Returns 0, the callback's non-zero value, or -1 if cr3 itself is outside RAM.
 */
int pt_walk(const struct guest_ram *ram, uint64_t cr3, uint64_t va_lo, uint64_t va_hi,
	    const struct pt_walk_ops *ops, void *ctx);

/* One address, every level: like crash's `vtop`. */
struct pt_translation {
	int nlevels;			/* entries read, 1..4 */
	uint64_t entry_gpa[4];		/* [0] = PGD entry ... */
	uint64_t entry[4];
	bool present;
	uint64_t pa;			/* valid when present */
	uint64_t prot;			/* effective, as in pt_range */
	enum pt_level level;		/* leaf level when present */
	bool bad;			/* an entry pointed outside RAM / reserved bits */
};

int pt_translate(const struct guest_ram *ram, uint64_t cr3, uint64_t va,
		 struct pt_translation *t);

const char *pt_finding_str(enum pt_finding_kind kind);

#endif
