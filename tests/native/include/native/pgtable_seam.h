/* SPDX-License-Identifier: MIT */
/*
 * The native page-table seam (tests/native/pgtable_seam.c): every call the
 * address-space code makes into linux/pgtable_ops.h is recorded, so that
 * tests can check that munmap zapped exactly its range and mprotect
 * changed exactly its range.  There are no page tables natively.
 */
#ifndef _NATIVE_PGTABLE_SEAM_H
#define _NATIVE_PGTABLE_SEAM_H

#include <linux/mm_types.h>
#include <linux/pgtable_ops.h>

enum native_pt_op {
	NATIVE_PT_ALLOC_PGD,
	NATIVE_PT_FREE_PGD,
	NATIVE_PT_UNMAP,		/* unmap_page_range */
	NATIVE_PT_FREE_PGTABLES,
	NATIVE_PT_PROTECT,		/* change_protection */
	NATIVE_PT_POPULATE,		/* populate_range */
	NATIVE_PT_COPY,			/* copy_page_range */
	NATIVE_PT_MOVE,			/* move_page_tables: [start, end) to new_addr */
};

struct native_pt_call {
	enum native_pt_op op;
	struct mm_struct *mm;
	unsigned long start, end;	/* the range passed */
	unsigned long floor, ceiling;	/* free_pgtables only */
	unsigned long vma_start, vma_end; /* the VMA passed, as it was at the call */
	vm_flags_t vm_flags;
	u64 prot;			/* its vm_page_prot */
	unsigned long new_addr;		/* move_page_tables only */
};

#define NATIVE_PT_KEEP	64

/* Calls since native_pt_reset(); the first NATIVE_PT_KEEP are kept. */
extern unsigned int native_pt_ncalls;
extern struct native_pt_call native_pt_calls[NATIVE_PT_KEEP];
void native_pt_reset(void);

/*
 * What walk_page_vma() finds: the entries a test sets, those inside the
 * VMA walked, in the order given (keep them sorted by address).
 */
#define NATIVE_PT_ENTRIES	64
extern struct pte_walk_entry native_pt_entries[NATIVE_PT_ENTRIES];
extern unsigned int native_pt_nentries;

/* The nth calls from now of copy_page_range / mm_alloc_pgd fail with -ENOMEM (0: none). */
extern unsigned int native_pt_fail_copy_nth;
extern unsigned int native_pt_fail_pgd_nth;
/* The nth move_page_tables from now moves only the first half of its range (page aligned). */
extern unsigned int native_pt_fail_move_nth;

#endif
