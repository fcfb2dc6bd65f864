/* SPDX-License-Identifier: MIT */
/* Page-table entry helpers over the hardware bits in shared/pte.h. */
#ifndef _ASM_X86_PGTABLE_H
#define _ASM_X86_PGTABLE_H

#include <linux/types.h>
#include "shared/layout.h"
#include "shared/pte.h"

typedef u64 pteval_t;

/*
 * Kernel mappings have Accessed and Dirty preset: the CPU never has to set
 * them, which saves a locked update per first touch (and, on our emulated
 * machines, several hundred guest instructions).
 */
#define __PAGE_KERNEL_BASE	(_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL)
#define PAGE_KERNEL		(__PAGE_KERNEL_BASE | _PAGE_RW | _PAGE_DIRTY | _PAGE_NX)
#define PAGE_KERNEL_RO		(__PAGE_KERNEL_BASE | _PAGE_NX)
#define PAGE_KERNEL_EXEC	(__PAGE_KERNEL_BASE)
#define _KERNPG_TABLE		(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

#define PMD_SIZE	(1UL << PMD_SHIFT)
#define PMD_MASK	(~(PMD_SIZE - 1))
#define PGDIR_SIZE	(1UL << PGDIR_SHIFT)

#define pgd_index(va)	(((va) >> PGDIR_SHIFT) & (PTRS_PER_TABLE - 1))
#define pud_index(va)	(((va) >> PUD_SHIFT) & (PTRS_PER_TABLE - 1))
#define pmd_index(va)	(((va) >> PMD_SHIFT) & (PTRS_PER_TABLE - 1))
#define pte_index(va)	(((va) >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1))

enum pg_level { PG_LEVEL_4K = 1, PG_LEVEL_2M, PG_LEVEL_1G };

extern pteval_t *init_top_pgt;

/* The present leaf entry mapping va, and its level; NULL if unmapped. */
pteval_t *lookup_address_in_pgd(pteval_t *pgd, unsigned long va, enum pg_level *level);
/* The 4 KiB PTE slot for va, allocating tables; NULL if impossible. */
pteval_t *pte_alloc(pteval_t *pgd, unsigned long va);
/* The PMD entry for va, allocating the tables above it; NULL if impossible. */
pteval_t *pmd_alloc(pteval_t *pgd, unsigned long va);

struct mm_struct;
/* The present PTE mapping addr in mm, or NULL (guest/mm/memory.c). */
pteval_t *follow_pte(const struct mm_struct *mm, unsigned long addr);

void init_mem_mapping(void);
void paging_init(void);
int kernel_maps_export(void *buf, unsigned long size);

#endif
