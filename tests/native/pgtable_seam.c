// SPDX-License-Identifier: MIT
/*
 * The page-table seam for the native build: no page tables, a record of
 * every call instead (native/pgtable_seam.h), a fake pgd per mm, and the
 * PTEs a test says are present, for walk_page_vma().
 */
#include <asm/page.h>
#include <linux/errno.h>
#include <linux/pgtable_ops.h>
#include <native/pgtable_seam.h>

unsigned int native_pt_ncalls;
struct native_pt_call native_pt_calls[NATIVE_PT_KEEP];
unsigned int native_pt_fail_copy_nth;
unsigned int native_pt_fail_pgd_nth;
unsigned int native_pt_fail_move_nth;
struct pte_walk_entry native_pt_entries[NATIVE_PT_ENTRIES];
unsigned int native_pt_nentries;

static unsigned long native_pgd_serial;

void native_pt_reset(void)
{
	native_pt_ncalls = 0;
	native_pt_nentries = 0;
}

static struct native_pt_call *record(enum native_pt_op op, struct mm_struct *mm,
				     const struct vm_area_struct *vma, unsigned long start,
				     unsigned long end)
{
	static struct native_pt_call dropped;
	struct native_pt_call *c = &dropped;

	if (native_pt_ncalls < NATIVE_PT_KEEP)
		c = &native_pt_calls[native_pt_ncalls];
	native_pt_ncalls++;
	*c = (struct native_pt_call){ .op = op, .mm = mm, .start = start, .end = end };
	if (vma) {
		c->mm = vma->vm_mm;
		c->vma_start = vma->vm_start;
		c->vma_end = vma->vm_end;
		c->vm_flags = vma->vm_flags;
		c->prot = pgprot_val(vma->vm_page_prot);
	}
	return c;
}

/* Counts a fail-nth countdown down; true on the call that reaches zero. */
static bool fail_now(unsigned int *nth)
{
	return *nth && !--*nth;
}

int mm_alloc_pgd(struct mm_struct *mm)
{
	record(NATIVE_PT_ALLOC_PGD, mm, NULL, 0, 0);
	if (fail_now(&native_pt_fail_pgd_nth))
		return -ENOMEM;
	mm->pgd = ++native_pgd_serial << 12;
	return 0;
}

void mm_free_pgd(struct mm_struct *mm)
{
	record(NATIVE_PT_FREE_PGD, mm, NULL, 0, 0);
	mm->pgd = 0;
}

void unmap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	record(NATIVE_PT_UNMAP, NULL, vma, start, end);
}

void free_pgtables(struct mm_struct *mm, unsigned long start, unsigned long end,
		   unsigned long floor, unsigned long ceiling)
{
	struct native_pt_call *c = record(NATIVE_PT_FREE_PGTABLES, mm, NULL, start, end);

	c->floor = floor;
	c->ceiling = ceiling;
}

void change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	record(NATIVE_PT_PROTECT, NULL, vma, start, end);
}

int populate_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	record(NATIVE_PT_POPULATE, NULL, vma, start, end);
	return 0;
}

int copy_page_range(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	record(NATIVE_PT_COPY, NULL, src, src->vm_start, src->vm_end)->mm = dst->vm_mm;
	return fail_now(&native_pt_fail_copy_nth) ? -ENOMEM : 0;
}

unsigned long move_page_tables(struct vm_area_struct *vma, unsigned long old_addr,
			       struct vm_area_struct *new_vma, unsigned long new_addr,
			       unsigned long len)
{
	struct native_pt_call *c = record(NATIVE_PT_MOVE, NULL, vma, old_addr, old_addr + len);

	(void)new_vma;
	c->new_addr = new_addr;
	return fail_now(&native_pt_fail_move_nth) ? (len / 2) & PAGE_MASK : len;
}

void walk_page_vma(struct vm_area_struct *vma, pte_entry_fn fn, void *arg)
{
	for (unsigned int i = 0; i < native_pt_nentries && i < NATIVE_PT_ENTRIES; i++)
		if (native_pt_entries[i].addr >= vma->vm_start &&
		    native_pt_entries[i].addr < vma->vm_end)
			fn(arg, &native_pt_entries[i]);
}

/*
 * Natively no process has page tables to map a file with, so truncate and
 * msync have no PTEs to remove or clean: the page cache itself is what
 * the native tests look at.
 */
void unmap_mapping_range(struct address_space *mapping, unsigned long first, unsigned long last)
{
	(void)mapping;
	(void)first;
	(void)last;
}

void mapping_mkclean(struct address_space *mapping, unsigned long first, unsigned long last)
{
	(void)mapping;
	(void)first;
	(void)last;
}
