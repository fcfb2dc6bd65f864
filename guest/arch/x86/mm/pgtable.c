// SPDX-License-Identifier: MIT
/*
 * Page-table walking after boot: find the entry that maps an address
 * (Linux's lookup_address) and make a 4 KiB PTE slot, allocating the
 * tables on the way from the page allocator.
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <asm/processor.h>
#include <asm/page.h>
#include <asm/pgtable.h>

/* Tables under user addresses leave the permission decision to the leaf. */
#define _PAGE_TABLE	(_KERNPG_TABLE | _PAGE_USER)

static pteval_t *table_at(pteval_t entry)
{
	return __va(entry & PTE_PFN_MASK);
}

pteval_t *lookup_address_in_pgd(pteval_t *pgd, unsigned long va, enum pg_level *level)
{
	pteval_t *e = &pgd[pgd_index(va)];

	if (!(*e & _PAGE_PRESENT))
		return NULL;
	e = &table_at(*e)[pud_index(va)];
	*level = PG_LEVEL_1G;
	if (!(*e & _PAGE_PRESENT) || (*e & _PAGE_PSE))
		return *e & _PAGE_PRESENT ? e : NULL;
	e = &table_at(*e)[pmd_index(va)];
	*level = PG_LEVEL_2M;
	if (!(*e & _PAGE_PRESENT) || (*e & _PAGE_PSE))
		return *e & _PAGE_PRESENT ? e : NULL;
	e = &table_at(*e)[pte_index(va)];
	*level = PG_LEVEL_4K;
	return *e & _PAGE_PRESENT ? e : NULL;
}

static pteval_t *table_alloc(pteval_t *entry, unsigned long va)
{
	struct page *page;

	if (*entry & _PAGE_PRESENT)
		return (*entry & _PAGE_PSE) ? NULL : table_at(*entry);
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return NULL;
	*entry = page_to_phys(page) | (va < TASK_SIZE_MAX ? _PAGE_TABLE : _KERNPG_TABLE);
	return page_address(page);
}

/* The PTE slot for va, tables allocated as needed; NULL if out of memory or under a large page. */
pteval_t *pte_alloc(pteval_t *pgd, unsigned long va)
{
	pteval_t *pud = table_alloc(&pgd[pgd_index(va)], va);
	pteval_t *pmd = pud ? table_alloc(&pud[pud_index(va)], va) : NULL;
	pteval_t *pte = pmd ? table_alloc(&pmd[pmd_index(va)], va) : NULL;

	return pte ? &pte[pte_index(va)] : NULL;
}

pteval_t *pmd_alloc(pteval_t *pgd, unsigned long va)
{
	pteval_t *pud = table_alloc(&pgd[pgd_index(va)], va);
	pteval_t *pmd = pud ? table_alloc(&pud[pud_index(va)], va) : NULL;

	return pmd ? &pmd[pmd_index(va)] : NULL;
}

/*
 * vmalloc's seam (linux/vmalloc.h): kernel mappings in the vmalloc range.
 * Its top-level slot was filled at boot (init_mem_mapping), before any
 * process copied the kernel half, so every address space sees these PTEs.
 */
int vmap_pages_range(unsigned long addr, unsigned long end, struct page **pages)
{
	for (; addr < end; addr += PAGE_SIZE, pages++) {
		pteval_t *pte;

		if (!(init_top_pgt[pgd_index(addr)] & _PAGE_PRESENT))
			return -ENOMEM;		/* beyond the slot shared at boot */
		pte = pte_alloc(init_top_pgt, addr);
		if (!pte)
			return -ENOMEM;
		*pte = page_to_phys(*pages) | PAGE_KERNEL;
	}
	return 0;
}

void vunmap_range(unsigned long addr, unsigned long end)
{
	for (; addr < end; addr += PAGE_SIZE) {
		enum pg_level level;
		pteval_t *pte = lookup_address_in_pgd(init_top_pgt, addr, &level);

		if (pte && level == PG_LEVEL_4K) {
			*pte = 0;
			__flush_tlb_one(addr);
		}
	}
}
