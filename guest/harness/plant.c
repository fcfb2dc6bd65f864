// SPDX-License-Identifier: MIT
/*
 * Deliberate damage (`plant` in scenarios) to page tables and to the
 * books kept about them: struct page counts, RSS counters, pages freed
 * while still in use.  Each kind is a bug a real kernel could have; the
 * host's `check` must report every one of them, comparing the tables it
 * walks with the guest's own accounts.  Whatever the bug would not touch
 * is left alone, as a buggy kernel would leave it.
 */
#include <linux/channel.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mm_vma.h>
#include <linux/sched.h>
#include <linux/vmalloc.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include "guest/mm/slab.h"	/* a slab's pages, to free one behind the allocator's back */
#include "file_requests.h"

static pteval_t *target_pgd;	/* the tables this request damages */

static pteval_t *pgd(void)
{
	return target_pgd;
}

static pteval_t *next_level(pteval_t entry)
{
	return __va(entry & PTE_PFN_MASK);
}

static long map_user_page(unsigned long va, bool then_free)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	pteval_t *pte;

	if (!page)
		return -ENOMEM;
	pte = va < TASK_SIZE_MAX ? pte_alloc(pgd(), va) : NULL;
	if (!pte) {
		__free_page(page);
		return -EINVAL;
	}
	*pte = page_to_phys(page) | _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_NX;
	if (then_free)
		__free_page(page);	/* the mapping stays: a use-after-free */
	return 0;
}

/* U must be set at every level above the leaf to take effect. */
static void set_user_above(unsigned long va, enum pg_level level)
{
	pteval_t *e = &pgd()[pgd_index(va)];

	*e |= _PAGE_USER;
	if (level == PG_LEVEL_1G)
		return;
	e = &next_level(*e)[pud_index(va)];
	*e |= _PAGE_USER;
	if (level == PG_LEVEL_2M)
		return;
	e = &next_level(*e)[pmd_index(va)];
	*e |= _PAGE_USER;
}

/* Set or clear bits on the kernel's leaf entry for va. */
static long change_kernel_entry(unsigned long va, pteval_t set, pteval_t clear)
{
	enum pg_level level;
	pteval_t *e = lookup_address_in_pgd(pgd(), va, &level);

	if (!e || va < TASK_SIZE_MAX)
		return -EINVAL;
	if (set & _PAGE_USER)
		set_user_above(va, level);
	*e = (*e | set) & ~clear;
	__flush_tlb_one(va);
	return 0;
}

static long plant_bad_frame(unsigned long va)
{
	pteval_t *pte = va < TASK_SIZE_MAX ? pte_alloc(pgd(), va) : NULL;

	if (!pte)
		return -EINVAL;
	/* The highest frame a 52-bit physical address allows: far beyond RAM. */
	*pte = PTE_PFN_MASK | _PAGE_PRESENT | _PAGE_USER;
	return 0;
}

static long plant_loop(unsigned long va)
{
	pteval_t *pud;

	if (va >= TASK_SIZE_MAX || !pte_alloc(pgd(), va))
		return -EINVAL;
	pud = next_level(pgd()[pgd_index(va)]);
	pud[pud_index(va)] = __pa(pgd()) | _KERNPG_TABLE | _PAGE_USER;
	return 0;
}

/* The user PTE at va, made writable behind the fault handler's back. */
static long plant_writable(unsigned long va)
{
	enum pg_level level;
	pteval_t *pte = va < TASK_SIZE_MAX ? lookup_address_in_pgd(pgd(), va, &level) : NULL;

	if (!pte)
		return -EINVAL;
	*pte |= _PAGE_RW;
	__flush_tlb_one(va);
	return 0;
}

/* An otherwise unused kernel-half slot, in this PGD only. */
static long plant_kernel_diff(void)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	if (!page)
		return -ENOMEM;
	pgd()[KERNEL_HALF_FIRST_PGD + 44] = page_to_phys(page) | _KERNPG_TABLE;
	return 0;
}

/* The struct page of the frame mapped at user address va. */
static struct page *mapped_page(unsigned long va)
{
	enum pg_level level;
	pteval_t *pte = va < TASK_SIZE_MAX ? lookup_address_in_pgd(pgd(), va, &level) : NULL;

	if (!pte || !pfn_valid(PHYS_PFN(*pte & PTE_PFN_MASK)))
		return NULL;
	return pfn_to_page(PHYS_PFN(*pte & PTE_PFN_MASK));
}

/*
 * A page of a live slab handed back to the page allocator, as a wrong
 * order passed to a free would do.  Only a tail page: the first page holds
 * the slab's list links, which the buddy allocator would overwrite.
 */
static long free_slab_page(unsigned long addr)
{
	struct page *page = virt_to_slab_page((const void *)addr);

	if (!page || page_slab(page)->slab_head == page_slab(page))
		return -EINVAL;
	ClearPageSlab(page);
	page_slab(page)->slab_head = NULL;
	page->_refcount = 1;
	__free_page(page);
	return 0;
}

/* The frame behind a vmalloc address freed while the area still maps it. */
static long free_vmalloc_page(unsigned long addr)
{
	struct page *page = is_vmalloc_addr((const void *)addr) ?
			    vmalloc_to_page((const void *)addr) : NULL;

	if (!page)
		return -EINVAL;
	__free_page(page);
	return 0;
}

long req_plant(const struct vmm_request *req, struct vmm_message *reply)
{
	struct task_struct *task = req->arg[2] ? find_task((int)req->arg[2]) : NULL;
	unsigned long va = req->arg[1];
	struct page *page;

	(void)reply;
	if (req->arg[2] && !task)
		return -EINVAL;
	target_pgd = __va(task ? task->mm->pgd : read_cr3() & PTE_PFN_MASK);
	switch (req->arg[0]) {
	case VMM_PLANT_USER_PAGE:
		return map_user_page(va, false);
	case VMM_PLANT_FREE_USER_PAGE:
		return map_user_page(va, true);
	case VMM_PLANT_KERNEL_USER:
		return change_kernel_entry(va, _PAGE_USER, 0);
	case VMM_PLANT_KERNEL_WRITABLE:
		return change_kernel_entry(va, _PAGE_RW, 0);
	case VMM_PLANT_BAD_FRAME:
		return plant_bad_frame(va);
	case VMM_PLANT_LOOP:
		return plant_loop(va);
	case VMM_PLANT_UNMAP:
		return change_kernel_entry(va, 0, _PAGE_PRESENT);
	case VMM_PLANT_WRITABLE:
		return plant_writable(va);
	case VMM_PLANT_KERNEL_DIFF:
		return plant_kernel_diff();
	case VMM_PLANT_MAPCOUNT:
	case VMM_PLANT_REFCOUNT:
		page = mapped_page(va);
		if (!page)
			return -EINVAL;
		if (req->arg[0] == VMM_PLANT_MAPCOUNT)
			page->_mapcount++;
		else
			page->_refcount = 0;
		return 0;
	case VMM_PLANT_FREE_SLAB_PAGE:
		return free_slab_page(va);
	case VMM_PLANT_FREE_VMALLOC_PAGE:
		return free_vmalloc_page(va);
	case VMM_PLANT_RSS:
		if (!task)
			return -EINVAL;
		add_mm_counter(task->mm, MM_ANONPAGES, 1);
		return 0;
	default:
		return plant_file(req->arg[0], task, va);
	}
}
