// SPDX-License-Identifier: MIT
/*
 * mlock(2), munlock(2), mlockall(2) and munlockall(2) with Linux's
 * semantics and errno values (mm/mlock.c): VM_LOCKED on the VMAs (lo in
 * smaps), locked_vm counting their pages, the pages faulted in at once,
 * and mlockall(MCL_FUTURE) making every later mapping locked (def_flags).
 * There is no reclaim, so a locked page differs from another only in
 * being resident from the start and in MADV_DONTNEED refusing it.
 *
 * Departures: a hole in the range is found before anything changes
 * (ENOMEM, nothing locked; Linux locks up to the hole); MCL_ONFAULT and
 * mlock2() are not offered.  Special mappings (VM_IO, VM_PFNMAP, ...) are
 * left alone and not counted, as Linux leaves them.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pgtable_ops.h>

#include "vma.h"

static bool mlock_skips(const struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_SPECIAL;
}

/* Linux's mlock_fixup() after the flags changed: count, and fault in what is now locked. */
static void mlock_fixup(struct vm_area_struct *vma, unsigned long start, unsigned long end,
			vm_flags_t oldflags)
{
	unsigned long pages = (end - start) >> PAGE_SHIFT;

	if (vma->vm_flags & VM_LOCKED) {
		vma->vm_mm->locked_vm += pages;
		if (vma_is_accessible(vma))
			populate_range(vma, start, end);
	} else if (oldflags & VM_LOCKED) {
		vma->vm_mm->locked_vm -= pages;
	}
}

static const struct vma_flags_change lock = {
	.set = VM_LOCKED, .skip = mlock_skips, .fixup = mlock_fixup,
};
static const struct vma_flags_change unlock = {
	.clear = VM_LOCKED, .skip = mlock_skips, .fixup = mlock_fixup,
};

/* Pages of [start, end) already locked: they do not count again against the limit. */
static unsigned long locked_pages_in(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma;
	unsigned long n = 0;

	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(vma))
		if (vma->vm_flags & VM_LOCKED)
			n += vma_overlap_pages(vma, start, end);
	return n;
}

/* mlock and munlock take any start: the range is widened to whole pages. */
static int lock_range(unsigned long *start, unsigned long *len)
{
	unsigned long s = *start & PAGE_MASK, l = PAGE_ALIGN(*len + offset_in_page(*start));

	if (l < *len || s + l < s)
		return -ENOMEM;
	*start = s;
	*len = l;
	return 0;
}

int do_mlock(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	unsigned long limit = mm->rlim_memlock >> PAGE_SHIFT, locked;

	if (!mm->rlim_memlock)
		return -EPERM;		/* Linux's can_do_mlock(), without CAP_IPC_LOCK */
	if (lock_range(&start, &len))
		return -ENOMEM;
	if (!len)
		return 0;
	locked = (len >> PAGE_SHIFT) + mm->locked_vm;
	if (locked > limit)
		locked -= locked_pages_in(mm, start, start + len);
	if (locked > limit)
		return -ENOMEM;
	if (!vma_range_mapped(mm, start, start + len))
		return -ENOMEM;
	return vma_range_change_flags(mm, start, start + len, &lock);
}

int do_munlock(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	if (lock_range(&start, &len))
		return -ENOMEM;
	if (!len)
		return 0;
	if (!vma_range_mapped(mm, start, start + len))
		return -ENOMEM;
	return vma_range_change_flags(mm, start, start + len, &unlock);
}

/* Every VMA locked or unlocked (Linux's apply_mlockall_flags() for MCL_CURRENT). */
static int change_all(struct mm_struct *mm, const struct vma_flags_change *c)
{
	struct vm_area_struct *first, *last;

	if (list_empty(&mm->mmap_list))
		return 0;
	first = list_first_entry(&mm->mmap_list, struct vm_area_struct, vm_list);
	last = list_entry(mm->mmap_list.prev, struct vm_area_struct, vm_list);
	return vma_range_change_flags(mm, first->vm_start, last->vm_end, c);
}

int do_mlockall(struct mm_struct *mm, int flags)
{
	int err = 0;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	if (flags & MCL_ONFAULT)
		return -EINVAL;		/* not offered: see the header */
	if (!mm->rlim_memlock)
		return -EPERM;
	if ((flags & MCL_CURRENT) && mm->total_vm > mm->rlim_memlock >> PAGE_SHIFT)
		return -ENOMEM;
	if (flags & MCL_CURRENT)
		err = change_all(mm, &lock);
	if (!err)
		mm->def_flags = (flags & MCL_FUTURE) ? mm->def_flags | VM_LOCKED :
			       mm->def_flags & ~VM_LOCKED;
	return err;
}

int do_munlockall(struct mm_struct *mm)
{
	mm->def_flags &= ~VM_LOCKED;
	return change_all(mm, &unlock);
}
