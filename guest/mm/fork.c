// SPDX-License-Identifier: MIT
/*
 * Address spaces as objects: creation, the two reference counts, fork's
 * copy of the VMAs and exit's teardown (the mm half of Linux's
 * kernel/fork.c, and exit_mmap() from mm/mmap.c).
 */
#include <linux/fs.h>
#include <linux/pgtable_ops.h>

#include "vma.h"

/* mm_structs come from here until linux/slab.h lands (Linux: mm_cachep). */
static struct vm_obj_pool mm_pool = VM_OBJ_POOL_INIT(struct mm_struct);

/*
 * Linux's x86-64 mmap_base() without randomization: the mmap area starts
 * below room for the stack, RLIMIT_STACK plus the guard gap but at least
 * 128 MiB and at most 5/6 of the address space.
 */
static unsigned long mmap_base(unsigned long task_size, unsigned long rlim_stack)
{
	unsigned long gap = rlim_stack + stack_guard_gap;

	gap = clamp(gap, 128UL << 20, task_size / 6 * 5);
	return PAGE_ALIGN(task_size - gap);
}

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = vm_obj_alloc(&mm_pool);

	if (!mm)
		return NULL;
	INIT_LIST_HEAD(&mm->mmap_list);
	mm->mm_users = 1;
	mm->mm_count = 1;
	mm->task_size = TASK_SIZE;
	mm->rlim_stack = _STK_LIM;
	mm->rlim_memlock = MLOCK_LIMIT;
	mm->mmap_base = mmap_base(mm->task_size, mm->rlim_stack);
	mm->mmap_legacy_base = TASK_UNMAPPED_BASE;
	if (mm_alloc_pgd(mm)) {
		vm_obj_free(&mm_pool, mm);
		return NULL;
	}
	return mm;
}

void mmdrop(struct mm_struct *mm)
{
	if (--mm->mm_count)
		return;
	mm_free_pgd(mm);
	vm_obj_free(&mm_pool, mm);
}

void mmput(struct mm_struct *mm)
{
	if (--mm->mm_users)
		return;
	exit_mmap(mm);
	mmdrop(mm);
}

void exit_mmap(struct mm_struct *mm)
{
	struct vm_area_struct *vma, *next;
	unsigned long nr_accounted = 0;

	if (list_empty(&mm->mmap_list))
		return;
	for_each_vma(mm, vma)
		unmap_page_range(vma, vma->vm_start, vma->vm_end);
	/*
	 * Each VMA's tables, up to the next VMA: only entries inside VMAs are
	 * looked at, and a table shared with the next goes with the next.
	 */
	for_each_vma(mm, vma) {
		next = vma_next(vma);
		free_pgtables(mm, vma->vm_start, vma->vm_end, 0, next ? next->vm_start : 0);
	}
	/* Nothing is looked up any more: free along the list, no tree surgery. */
	for (vma = list_first_entry(&mm->mmap_list, struct vm_area_struct, vm_list);
	     &vma->vm_list != &mm->mmap_list; vma = next) {
		next = list_entry(vma->vm_list.next, struct vm_area_struct, vm_list);
		if (vma->vm_flags & VM_ACCOUNT)
			nr_accounted += vma_pages(vma);
		vm_area_free(vma);
	}
	vm_unacct_memory(nr_accounted);
	INIT_LIST_HEAD(&mm->mmap_list);
	mm->mm_rb = RB_ROOT;
	mm->map_count = 0;
	mm->total_vm = mm->locked_vm = mm->data_vm = mm->exec_vm = mm->stack_vm = 0;
}

/*
 * The child's copy of mpnt.  With anonymous memory it gets an anon_vma of
 * its own that remembers the parent's (a fork child), so that it does not
 * merge with a neighbour on the strength of the clone (Linux's
 * anon_vma_fork() and the list_is_singular() test).
 */
static struct vm_area_struct *vma_dup_for_fork(struct mm_struct *mm,
					       const struct vm_area_struct *mpnt)
{
	struct vm_area_struct *tmp = vm_area_alloc(mm);

	if (!tmp)
		return NULL;
	*tmp = *mpnt;
	tmp->vm_rb = (struct rb_node){ 0 };
	tmp->vm_mm = mm;
	tmp->vm_flags &= ~VM_LOCKED;	/* mlock is not inherited */
	if (tmp->vm_file)
		get_file(tmp->vm_file);
	if (mpnt->anon_vma) {
		tmp->anon_vma = anon_vma_new_id();
		tmp->anon_vma_forked = true;
	}
	return tmp;
}

static void dup_layout(struct mm_struct *mm, const struct mm_struct *oldmm)
{
	mm->task_size = oldmm->task_size;
	mm->mmap_base = oldmm->mmap_base;
	mm->mmap_legacy_base = oldmm->mmap_legacy_base;
	mm->start_code = oldmm->start_code;
	mm->end_code = oldmm->end_code;
	mm->start_data = oldmm->start_data;
	mm->end_data = oldmm->end_data;
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	mm->rlim_stack = oldmm->rlim_stack;
	mm->rlim_memlock = oldmm->rlim_memlock;
	/* Linux keeps only VM_INIT_DEF_MASK of def_flags: mlockall(MCL_FUTURE) is not inherited. */
	mm->def_flags = 0;
}

int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm)
{
	struct vm_area_struct *mpnt, *tmp;
	unsigned long pages;

	dup_layout(mm, oldmm);
	mm->total_vm = oldmm->total_vm;
	mm->data_vm = oldmm->data_vm;
	mm->exec_vm = oldmm->exec_vm;
	mm->stack_vm = oldmm->stack_vm;
	for_each_vma(oldmm, mpnt) {
		pages = vma_pages(mpnt);
		if (mpnt->vm_flags & VM_DONTCOPY) {
			vm_stat_account(mm, mpnt->vm_flags, -(long)pages);
			continue;
		}
		if ((mpnt->vm_flags & VM_ACCOUNT) && !vm_enough_memory(pages))
			goto fail;
		tmp = vma_dup_for_fork(mm, mpnt);
		if (!tmp) {
			if (mpnt->vm_flags & VM_ACCOUNT)
				vm_unacct_memory(pages);
			goto fail;
		}
		vma_link(mm, tmp);
		if (copy_page_range(tmp, mpnt))
			goto fail;
	}
	vma_debug_check(mm);
	return 0;
fail:
	exit_mmap(mm);
	return -ENOMEM;
}

struct mm_struct *dup_mm(struct mm_struct *oldmm)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	if (dup_mmap(mm, oldmm)) {
		mmput(mm);
		return NULL;
	}
	return mm;
}
