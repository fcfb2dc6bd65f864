/* SPDX-License-Identifier: MIT */
/*
 * The page-table seam: what the address-space code (guest/mm/vma.c,
 * mmap.c, fork.c) asks of the page tables when mappings appear, go or
 * change.  The guest implements it over its 4-level tables; the native
 * build (tests/native/pgtable_seam.c) records the calls so that tests can
 * check that munmap zapped exactly the range and mprotect changed exactly
 * the range.
 *
 * Contract for every function:
 *   - it may read the VMA it is given, never the VMA tree, which can be
 *     half way through a change when it is called;
 *   - ranges are page aligned, non-empty and inside the VMA given;
 *   - the void ones cannot fail; the int ones return 0 or -ENOMEM.
 */
#ifndef _LINUX_PGTABLE_OPS_H
#define _LINUX_PGTABLE_OPS_H

#include <linux/mm_types.h>

/* The frame of the shared zero page (mm/memory.c). */
unsigned long zero_pfn(void);

/* A fresh top-level table in mm->pgd: user half empty, kernel half shared. */
int mm_alloc_pgd(struct mm_struct *mm);
/* Frees mm->pgd; free_pgtables() has already freed every lower table. */
void mm_free_pgd(struct mm_struct *mm);

/*
 * munmap, MAP_FIXED over old mappings, brk shrinking, exit: removes every
 * PTE in [start, end) of vma, drops each frame's mapping and reference
 * and the mm's RSS counters, and flushes the TLB.  vma still describes
 * the range (its flags say how it was mapped); it is trimmed or freed
 * afterwards.
 */
void unmap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);

/*
 * After the zaps for a hole [start, end): frees the page-table pages that
 * map nothing outside [floor, ceiling), where floor is the end of the VMA
 * below the hole (0: none) and ceiling the start of the VMA above it (0:
 * none, the top of user space).  Linux's free_pgtables().
 */
void free_pgtables(struct mm_struct *mm, unsigned long start, unsigned long end,
		   unsigned long floor, unsigned long ceiling);

/*
 * mprotect: vma->vm_flags and vm_page_prot already hold the new
 * protection of [start, end); the present PTEs there must follow.  A
 * private page that is still shared (COW) stays read-only whatever the
 * new flags say: the write fault breaks the sharing.
 */
void change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end);

/*
 * MAP_POPULATE, MAP_LOCKED, brk under mlockall: fault [start, end) of vma
 * in as user accesses would, writes for a private writable VMA (Linux's
 * populate_vma_page_range()).  A fault that maps an anonymous page calls
 * anon_vma_prepare(vma) first.  What was populated stays on failure.
 */
int populate_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);

/*
 * fork: gives dst (a copy of src in the child, same range and flags) the
 * entries src has, write-protecting private writable pages in both so
 * that the first write in either copies (COW).
 */
int copy_page_range(struct vm_area_struct *dst, struct vm_area_struct *src);

/*
 * Truncate: removes the PTEs of every process that map pages first..last
 * of mapping, through shared and private VMAs alike, private copies of
 * them included (Linux's unmap_mapping_range() with even_cows).
 */
struct address_space;
void unmap_mapping_range(struct address_space *mapping, unsigned long first, unsigned long last);

/*
 * msync(MS_SYNC): the PTEs of every shared mapping of pages first..last of
 * mapping become clean and read-only, so that the next write dirties the
 * page again (Linux's page_mkclean() after writeback).
 */
void mapping_mkclean(struct address_space *mapping, unsigned long first, unsigned long last);

/* A driver's mmap maps raw frames (guest only: guest/mm/memory.c). */
int remap_pfn_range(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn,
		    unsigned long size, pgprot_t prot);

/*
 * mremap: moves the entries of [old_addr, old_addr + len) of vma to
 * [new_addr, new_addr + len) of new_vma (same mm, same flags; the new
 * range maps nothing yet): frames, their counts and the RSS stay as they
 * are.  A whole page table changes place where both ranges cover its 2 MiB
 * (Linux's move_normal_pmd()), else entries move one by one.  Returns the
 * bytes moved from old_addr on: less than len only when a table for the
 * new range could not be allocated, and then moving those bytes back
 * cannot fail (no table is freed by a move).  Linux's move_page_tables().
 */
unsigned long move_page_tables(struct vm_area_struct *vma, unsigned long old_addr,
			       struct vm_area_struct *new_vma, unsigned long new_addr,
			       unsigned long len);

/* Bytes of page tables below mm's PGD (Linux's mm_pgtables_bytes(), VmPTE); guest only. */
unsigned long mm_pgtables_bytes(const struct mm_struct *mm);

/* A present (or PROT_NONE) PTE, as /proc/PID/smaps counts it. */
struct pte_walk_entry {
	unsigned long addr;
	struct page *page;	/* NULL: the zero page or a raw frame (Linux's vm_normal_page()) */
	bool young, dirty;	/* the PTE's accessed and dirty bits */
};

typedef void (*pte_entry_fn)(void *arg, const struct pte_walk_entry *e);

/* Calls fn for each such PTE of vma, in address order.  Linux's walk_page_vma(). */
void walk_page_vma(struct vm_area_struct *vma, pte_entry_fn fn, void *arg);

#endif
