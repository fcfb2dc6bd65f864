// SPDX-License-Identifier: MIT
/*
 * madvise(2) with Linux's semantics and errno values (mm/madvise.c), for
 * the advice that concerns anonymous memory: MADV_DONTNEED drops the
 * pages (the next touch of private memory finds zeroes), MADV_DONTFORK
 * and MADV_DOFORK set and clear VM_DONTCOPY, MADV_SEQUENTIAL, MADV_RANDOM
 * and MADV_NORMAL the read-ahead hints VM_SEQ_READ and VM_RAND_READ
 * (shown as sr and rr in smaps), MADV_WILLNEED does nothing (no swap, no
 * files).  As in Linux the advice is applied to the mapped parts of the
 * range and a hole in it is reported afterwards with ENOMEM.
 *
 * Also the flag-changing walk that madvise and mlock share.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pgtable_ops.h>

#include "vma.h"

static vm_flags_t changed_flags(const struct vm_area_struct *vma, const struct vma_flags_change *c)
{
	if (c->skip && c->skip(vma))
		return vma->vm_flags;
	return (vma->vm_flags & ~c->clear) | c->set;
}

/* How many VMA structures the change takes: splits at start and at end (mprotect_check()). */
static int change_needs(struct mm_struct *mm, unsigned long start, unsigned long end,
			const struct vma_flags_change *c)
{
	struct vm_area_struct *first = find_vma(mm, start), *last = first, *prev;
	int needs = 0;

	if (!first || first->vm_start >= end)
		return 0;
	while (vma_next(last) && vma_next(last)->vm_start < end)
		last = vma_next(last);
	prev = start > first->vm_start ? first : vma_prev(first);
	if (changed_flags(first, c) != first->vm_flags)
		needs = vma_modify_needs(prev, first, max(start, first->vm_start),
					 min(end, first->vm_end), changed_flags(first, c));
	if (last != first && end < last->vm_end && changed_flags(last, c) != last->vm_flags)
		needs++;
	return needs;
}

int vma_range_change_flags(struct mm_struct *mm, unsigned long start, unsigned long end,
			   const struct vma_flags_change *c)
{
	struct vma_reserve r = { 0 };
	struct vm_area_struct *vma = find_vma(mm, start), *prev;
	int needs = change_needs(mm, start, end, c);

	if (needs && mm->map_count + needs - 1 >= sysctl_max_map_count)
		return -ENOMEM;
	if (vma_reserve_fill(mm, &r, needs))
		return -ENOMEM;
	prev = vma && start > vma->vm_start ? vma : (vma ? vma_prev(vma) : NULL);
	for (; vma && vma->vm_start < end; vma = vma_next(prev)) {
		unsigned long s = max(start, vma->vm_start), e = min(end, vma->vm_end);
		vm_flags_t oldflags = vma->vm_flags, newflags = changed_flags(vma, c);

		prev = vma;
		if (newflags == oldflags)
			continue;
		prev = vma_modify_flags(mm, s > vma->vm_start ? vma : vma_prev(vma), vma, s, e,
					newflags, &r);
		if (c->fixup)
			c->fixup(prev, s, e, oldflags);
	}
	vma_reserve_release(&r);
	vma_debug_check(mm);
	return 0;
}

bool vma_range_mapped(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);
	unsigned long at = start;

	for (; vma && vma->vm_start <= at && at < end; vma = vma_next(vma))
		at = vma->vm_end;
	return at >= end;
}

/* Linux's madvise_dontneed_free_valid_vma() and zap: the pages go, the VMAs stay. */
static int madvise_dontneed(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma;

	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(vma))
		if (vma->vm_flags & (VM_LOCKED | VM_PFNMAP))
			return -EINVAL;
	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(vma))
		unmap_page_range(vma, max(start, vma->vm_start), min(end, vma->vm_end));
	return 0;
}

static bool is_io(const struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_IO;
}

static int madvise_behavior(struct mm_struct *mm, unsigned long start, unsigned long end,
			    int behavior)
{
	struct vma_flags_change c = { 0 };
	struct vm_area_struct *vma;

	switch (behavior) {
	case MADV_WILLNEED:
		return 0;
	case MADV_DONTNEED:
		return madvise_dontneed(mm, start, end);
	case MADV_NORMAL:
		c.clear = VM_SEQ_READ | VM_RAND_READ;
		break;
	case MADV_SEQUENTIAL:
		c = (struct vma_flags_change){ .set = VM_SEQ_READ, .clear = VM_RAND_READ };
		break;
	case MADV_RANDOM:
		c = (struct vma_flags_change){ .set = VM_RAND_READ, .clear = VM_SEQ_READ };
		break;
	case MADV_DONTFORK:
		c.set = VM_DONTCOPY;
		break;
	case MADV_DOFORK:
		/* An I/O mapping may never be copied: refused, as Linux does. */
		for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(vma))
			if (is_io(vma))
				return -EINVAL;
		c.clear = VM_DONTCOPY;
		break;
	}
	return vma_range_change_flags(mm, start, end, &c);
}

static bool madvise_behavior_valid(int behavior)
{
	switch (behavior) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
	case MADV_DONTNEED: case MADV_DONTFORK: case MADV_DOFORK:
		return true;
	default:
		return false;
	}
}

int do_madvise(struct mm_struct *mm, unsigned long start, unsigned long len_in, int behavior)
{
	unsigned long len, end;
	int err;

	if (!madvise_behavior_valid(behavior))
		return -EINVAL;
	if (offset_in_page(start))
		return -EINVAL;
	len = PAGE_ALIGN(len_in);
	if (len_in && !len)
		return -EINVAL;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	if (!find_vma_intersection(mm, start, end))
		return -ENOMEM;
	err = madvise_behavior(mm, start, end, behavior);
	if (err)
		return err;
	return vma_range_mapped(mm, start, end) ? 0 : -ENOMEM;
}
