// SPDX-License-Identifier: MIT
/*
 * mremap(2) with Linux's semantics and errno values (mm/mremap.c), for an
 * mm given explicitly: shrink in place, grow in place when the pages
 * above are free, else move with MREMAP_MAYMOVE, or move to where the
 * caller says with MREMAP_FIXED.
 *
 * A move carries the page tables over (move_page_tables()): the frames,
 * their reference and map counts and the RSS counters stay as they were;
 * nothing is copied and nothing faults in again.  The new VMA takes over
 * the old range's charge (VM_ACCOUNT), so only growth is charged.
 *
 * MREMAP_DONTUNMAP (with MREMAP_MAYMOVE, old_len == new_len) moves the
 * pages and leaves the old range mapped and empty: touched again, it
 * faults in afresh (zeros, or the file's pages).
 *
 * Order, as Linux's do_mremap(): the argument checks, the VMA at addr
 * (EFAULT), then MREMAP_FIXED or MREMAP_DONTUNMAP (for FIXED, unmap the
 * target and the shrunk tail first, as Linux does: those stay unmapped if
 * a later check fails), or a shrink, or growth in place, or a move.
 *
 * Refused with EINVAL where Linux would do something: old_len 0 on a
 * shared mapping (Linux makes a second mapping of the same object).
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pgtable_ops.h>

#include "vma.h"

/*
 * Linux's vma_to_resize() checks, for [addr, addr + old_len) of vma
 * becoming new_len bytes: the old range in one VMA, and for growth the
 * pgoff, a VMA that may grow, and RLIMIT_MEMLOCK.
 */
static int resize_check(const struct mm_struct *mm, const struct vm_area_struct *vma,
			unsigned long addr, unsigned long old_len, unsigned long new_len,
			unsigned long flags)
{
	unsigned long pgoff;

	if (!old_len)
		return -EINVAL;
	if (old_len > vma->vm_end - addr)
		return -EFAULT;
	if ((flags & MREMAP_DONTUNMAP) && (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP)))
		return -EINVAL;
	if (new_len == old_len)
		return 0;
	pgoff = vma_pgoff_at(vma, addr);
	if (pgoff + (new_len >> PAGE_SHIFT) < pgoff)
		return -EINVAL;
	if (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP))
		return -EFAULT;
	if (new_len > old_len && !mlock_future_ok(mm, vma->vm_flags, new_len - old_len))
		return -EAGAIN;
	return 0;	/* RLIMIT_AS and RLIMIT_DATA are unlimited here */
}

/* What a range of vma is, placed at [start, start + len). */
static struct vma_proto vma_proto_of(const struct vm_area_struct *vma, unsigned long start,
				     unsigned long len, unsigned long pgoff)
{
	return (struct vma_proto){
		.start = start, .end = start + len, .pgoff = pgoff, .flags = vma->vm_flags,
		.anon_vma = vma->anon_vma, .anon_vma_forked = vma->anon_vma_forked,
		.vm_file = vma->vm_file, .vm_name = vma->vm_name,
	};
}

/* The counters a mapping of pages of vm_flags adds to. */
static void mremap_account(struct mm_struct *mm, vm_flags_t vm_flags, unsigned long pages)
{
	vm_stat_account(mm, vm_flags, pages);
	if (vm_flags & VM_LOCKED)
		mm->locked_vm += pages;
}

/* Linux's vma_expandable(): nothing mapped above vma for delta bytes, and room there. */
static bool vma_expandable(struct mm_struct *mm, const struct vm_area_struct *vma,
			   unsigned long delta)
{
	unsigned long end = vma->vm_end + delta;

	if (end < vma->vm_end || find_vma_intersection(mm, vma->vm_end, end))
		return false;
	return !IS_ERR_VALUE(get_unmapped_area(mm, vma->vm_start, end - vma->vm_start, MAP_FIXED));
}

/*
 * vma grows by delta bytes where it is, merging with the VMA above if the
 * rules allow (Linux's vma_merge_extend()).  VM_IO cannot merge: ENOMEM.
 */
static long expand_in_place(struct mm_struct *mm, struct vm_area_struct *vma,
			    unsigned long delta)
{
	struct vma_proto p = vma_proto_of(vma, vma->vm_end, delta, vma_pgoff_at(vma, vma->vm_end));
	unsigned long pages = delta >> PAGE_SHIFT;
	bool charged = vma->vm_flags & VM_ACCOUNT;

	if (!vma_can_merge_after(vma, &p))
		return -ENOMEM;
	if (charged && !vm_enough_memory(pages))
		return -ENOMEM;
	vma_merge_new_range(mm, vma, vma_next(vma), &p, NULL);
	mremap_account(mm, p.flags, pages);
	return 0;
}

/*
 * Linux's copy_vma(): the VMA that will hold the moved range at new_addr,
 * merged with the neighbours there where the rules allow.  Anonymous
 * memory never faulted takes the pgoff a fresh mmap there would have, so
 * that it merges as one would.  May merge with vma itself (then vma may
 * be freed: the caller looks the old range up again).
 */
static struct vm_area_struct *copy_vma(struct mm_struct *mm, const struct vm_area_struct *vma,
				       unsigned long old_addr, unsigned long new_addr,
				       unsigned long len, struct vma_reserve *r)
{
	unsigned long pgoff = vma_pgoff_at(vma, old_addr);
	struct vma_proto p;
	struct vm_area_struct *prev, *next;

	if (vma_is_anonymous(vma) && !vma->anon_vma)
		pgoff = new_addr >> PAGE_SHIFT;
	p = vma_proto_of(vma, new_addr, len, pgoff);
	next = find_vma_prev(mm, new_addr, &prev);
	return vma_merge_new_range(mm, prev, next, &p, r);
}

/* Removes [start, end) keeping its charge, which the other side of the move took over. */
static void unmap_moved(struct mm_struct *mm, unsigned long start, unsigned long end,
			struct vma_reserve *r)
{
	struct vma_munmap vms;

	vma_munmap_gather(mm, &vms, start, end);
	vma_munmap_commit(mm, &vms, r, false);
}

/*
 * MREMAP_DONTUNMAP: the old range keeps its VMA, now empty, and its
 * charge (the new range was charged in full).  As in Linux, an old VMA
 * that was the old range alone drops its anonymous identity (its pages
 * went with the new one: Linux's unlink_anon_vmas()), the old VMA loses
 * VM_LOCKED, all of it, and locked_vm stays as the move found it: the new
 * range's lock is not counted.
 */
static void keep_old_range(struct mm_struct *mm, unsigned long old_addr, unsigned long len,
			   vm_flags_t vm_flags, const struct vm_area_struct *new_vma)
{
	struct vm_area_struct *vma = vma_lookup(mm, old_addr);

	if (!vma)
		return;
	if (vma != new_vma && vma->vm_start == old_addr && vma->vm_end == old_addr + len) {
		vma->anon_vma = 0;
		vma->anon_vma_forked = false;
	}
	if (vm_flags & VM_LOCKED) {
		mm->locked_vm -= len >> PAGE_SHIFT;
		vm_flags_clear(vma, VM_LOCKED);
	}
}

/*
 * Linux's move_vma(): [old_addr, old_addr + old_len) of vma becomes
 * [new_addr, new_addr + new_len), an empty range, with its page tables;
 * the old range is unmapped, unless MREMAP_DONTUNMAP.  A move that runs
 * out of page-table pages halfway is moved back and the new range
 * unmapped again: ENOMEM.
 */
static long move_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long old_addr,
		     unsigned long old_len, unsigned long new_len, unsigned long new_addr,
		     unsigned long flags)
{
	long to_account = (long)(((flags & MREMAP_DONTUNMAP) ? new_len : new_len - old_len) >>
				 PAGE_SHIFT);
	vm_flags_t vm_flags = vma->vm_flags;
	struct vma_reserve r = { 0 };
	struct vm_area_struct *new_vma;
	unsigned long moved;

	/* Room for the new VMA and a split of the old one, as Linux's margin of 3. */
	if (mm->map_count >= sysctl_max_map_count - 3)
		return -ENOMEM;
	if ((vm_flags & VM_ACCOUNT) && to_account && !vm_enough_memory(to_account))
		return -ENOMEM;
	if (vma_reserve_fill(mm, &r, 2)) {
		if (vm_flags & VM_ACCOUNT)
			vm_unacct_memory(to_account);
		return -ENOMEM;
	}
	new_vma = copy_vma(mm, vma, old_addr, new_addr, new_len, &r);
	vma = vma_lookup(mm, old_addr);
	moved = move_page_tables(vma, old_addr, new_vma, new_addr, old_len);
	mremap_account(mm, vm_flags, new_len >> PAGE_SHIFT);
	if (moved < old_len) {
		move_page_tables(new_vma, new_addr, vma, old_addr, moved);
		unmap_moved(mm, new_addr, new_addr + new_len, &r);
		if (vm_flags & VM_ACCOUNT)
			vm_unacct_memory(to_account);
		vma_reserve_release(&r);
		return -ENOMEM;
	}
	if (flags & MREMAP_DONTUNMAP)
		keep_old_range(mm, old_addr, new_len, vm_flags, new_vma);
	else
		unmap_moved(mm, old_addr, old_addr + old_len, &r);
	vma_reserve_release(&r);
	return (long)new_addr;
}

/*
 * Linux's mremap_to(): MREMAP_FIXED to new_addr, or MREMAP_DONTUNMAP,
 * for which new_addr is a hint (and, as in Linux, may not overlap the old
 * range either).
 */
static long mremap_to(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
		      unsigned long new_addr, unsigned long new_len, unsigned long flags)
{
	struct vm_area_struct *vma;
	unsigned long ret;
	int err;

	if (offset_in_page(new_addr))
		return -EINVAL;
	if (new_len > mm->task_size || new_addr > mm->task_size - new_len)
		return -EINVAL;
	/* The two ranges may not overlap. */
	if (addr + old_len > new_addr && new_addr + new_len > addr)
		return -EINVAL;
	if (mm->map_count + 2 >= sysctl_max_map_count - 3)
		return -ENOMEM;
	if (flags & MREMAP_FIXED) {
		err = do_munmap(mm, new_addr, new_len);
		if (err)
			return err;
	}
	if (old_len > new_len) {
		err = do_munmap(mm, addr + new_len, old_len - new_len);
		if (err)
			return err;
		old_len = new_len;
	}
	vma = vma_lookup(mm, addr);
	if (!vma)
		return -EFAULT;
	err = resize_check(mm, vma, addr, old_len, new_len, flags);
	if (err)
		return err;
	ret = get_unmapped_area(mm, new_addr, new_len, (flags & MREMAP_FIXED) ? MAP_FIXED : 0);
	if (IS_ERR_VALUE(ret))
		return (long)ret;
	return move_vma(mm, vma, addr, old_len, new_len, ret, flags);
}

/* Growth: in place if vma ends where the old range does and the pages above are free. */
static long mremap_grow(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr,
			unsigned long old_len, unsigned long new_len, unsigned long flags)
{
	unsigned long new_addr;
	long err = resize_check(mm, vma, addr, old_len, new_len, flags);

	if (err)
		return err;
	if (old_len == vma->vm_end - addr && vma_expandable(mm, vma, new_len - old_len)) {
		err = expand_in_place(mm, vma, new_len - old_len);
		return err ? err : (long)addr;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	new_addr = get_unmapped_area(mm, 0, new_len, 0);
	if (IS_ERR_VALUE(new_addr))
		return (long)new_addr;
	return move_vma(mm, vma, addr, old_len, new_len, new_addr, flags);
}

unsigned long do_mremap(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
			unsigned long new_len, unsigned long flags, unsigned long new_addr)
{
	struct vm_area_struct *vma;
	vm_flags_t vm_flags;
	long ret;

	if (flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return (unsigned long)-EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return (unsigned long)-EINVAL;
	if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return (unsigned long)-EINVAL;
	if (offset_in_page(addr))
		return (unsigned long)-EINVAL;
	old_len = PAGE_ALIGN(old_len);
	new_len = PAGE_ALIGN(new_len);
	if (!new_len)
		return (unsigned long)-EINVAL;
	vma = vma_lookup(mm, addr);
	if (!vma)
		return (unsigned long)-EFAULT;
	vm_flags = vma->vm_flags;
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) {
		ret = mremap_to(mm, addr, old_len, new_addr, new_len, flags);
		old_len = min(old_len, new_len);
	} else if (old_len >= new_len) {
		/* A shrink always works: the tail goes, whatever is mapped there. */
		ret = old_len == new_len ? 0 : do_munmap(mm, addr + new_len, old_len - new_len);
		ret = ret ? ret : (long)addr;
	} else {
		ret = mremap_grow(mm, vma, addr, old_len, new_len, flags);
	}
	/* Locked memory that grew is faulted in, as mlock would have it. */
	if (!IS_ERR_VALUE(ret) && (vm_flags & VM_LOCKED) && new_len > old_len)
		mm_populate(mm, (unsigned long)ret + old_len, new_len - old_len);
	vma_debug_check(mm);
	return (unsigned long)ret;
}
