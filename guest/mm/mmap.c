// SPDX-License-Identifier: MIT
/*
 * mmap, munmap, mprotect and brk with Linux's semantics and errno values
 * (mm/mmap.c, mm/mprotect.c, arch/x86/kernel/sys_x86_64.c), for an mm
 * given explicitly instead of current->mm.
 *
 * Each call checks everything, then fills a VMA reserve (guest/mm/vma.h),
 * then changes the tree: a failure never leaves a change behind.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pgtable_ops.h>

#include "vma.h"

int sysctl_max_map_count = DEFAULT_MAX_MAP_COUNT;
unsigned long mmap_min_addr = 65536;
unsigned long stack_guard_gap = 256UL << PAGE_SHIFT;
long vm_committed_pages;

/* ---- accounting ------------------------------------------------------------------ */

void vm_stat_account(struct mm_struct *mm, vm_flags_t flags, long npages)
{
	mm->total_vm += npages;
	if (is_exec_mapping(flags))
		mm->exec_vm += npages;
	else if (is_stack_mapping(flags))
		mm->stack_vm += npages;
	else if (is_data_mapping(flags))
		mm->data_vm += npages;
}

static unsigned long totalram_pages(void)
{
	struct zone *zone;
	unsigned long pages = 0;

	for_each_zone(zone)
		pages += zone->managed_pages;
	return pages;
}

/*
 * Linux's default overcommit policy (OVERCOMMIT_GUESS): refuse only what
 * could never fit, a single request larger than RAM (there is no swap).
 */
bool vm_overcommit_ok(long pages)
{
	return pages <= (long)totalram_pages();
}

bool vm_enough_memory(long pages)
{
	if (!vm_overcommit_ok(pages))
		return false;
	vm_committed_pages += pages;
	return true;
}

bool mlock_future_ok(const struct mm_struct *mm, vm_flags_t flags, unsigned long bytes)
{
	if (!(flags & VM_LOCKED))
		return true;
	return (bytes >> PAGE_SHIFT) + mm->locked_vm <= mm->rlim_memlock >> PAGE_SHIFT;
}

/* ---- get_unmapped_area -------------------------------------------------------------- */

/* Linux's round_hint_to_min(): a hint below mmap_min_addr is raised to it. */
static unsigned long round_hint_to_min(unsigned long hint)
{
	hint &= PAGE_MASK;
	if (hint && hint < mmap_min_addr)
		return PAGE_ALIGN(mmap_min_addr);
	return hint;
}

/*
 * x86-64's arch_get_unmapped_area_topdown(): the hint if the range there
 * is free (guard gaps included), else the highest free range below
 * mmap_base, else, as Linux falls back, the lowest above
 * mmap_legacy_base.  Nothing below mmap_min_addr.
 */
static unsigned long unmapped_area_topdown(struct mm_struct *mm, unsigned long addr,
					   unsigned long len)
{
	unsigned long task_size = mm->task_size;
	struct vm_area_struct *vma;

	if (addr) {
		addr &= PAGE_MASK;
		if (task_size - len >= addr) {
			vma = find_vma(mm, addr);
			if (!vma || addr + len <= vm_start_gap(vma))
				return addr;
		}
	}
	addr = vma_gap_highest(mm, max(PAGE_SIZE, mmap_min_addr), mm->mmap_base, len);
	if (!IS_ERR_VALUE(addr))
		return addr;
	return vma_gap_lowest(mm, max(mm->mmap_legacy_base, mmap_min_addr), task_size, len);
}

unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long addr, unsigned long len,
				unsigned long flags)
{
	if (len > mm->task_size)
		return (unsigned long)-ENOMEM;
	if (!(flags & MAP_FIXED)) {
		addr = unmapped_area_topdown(mm, addr, len);
		if (IS_ERR_VALUE(addr))
			return addr;
	}
	if (addr > mm->task_size - len)
		return (unsigned long)-ENOMEM;
	if (offset_in_page(addr))
		return (unsigned long)-EINVAL;
	/* security_mmap_addr(): our processes lack CAP_SYS_RAWIO. */
	if (addr < mmap_min_addr)
		return (unsigned long)-EPERM;
	return addr;
}

/* ---- mmap ------------------------------------------------------------------------ */

void mm_populate(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	unsigned long end = start + len;
	struct vm_area_struct *vma;

	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(vma)) {
		if ((vma->vm_flags & (VM_IO | VM_PFNMAP)) || !vma_is_accessible(vma))
			continue;
		if (populate_range(vma, max(start, vma->vm_start), min(end, vma->vm_end)))
			break;
	}
}

/* The VMA that will end at vms->start once the range is unmapped, if any. */
static struct vm_area_struct *neighbour_below(struct mm_struct *mm, const struct vma_munmap *vms)
{
	struct vm_area_struct *prev;

	if (vms->first)
		return vms->first->vm_start < vms->start ? vms->first : vma_prev(vms->first);
	find_vma_prev(mm, vms->start, &prev);
	return prev && prev->vm_end == vms->start ? prev : NULL;
}

/* The VMA that will start at vms->end once the range is unmapped, if any. */
static struct vm_area_struct *neighbour_above(struct mm_struct *mm, const struct vma_munmap *vms)
{
	struct vm_area_struct *next;

	if (vms->last)
		return vms->last->vm_end > vms->end ? vms->last : vma_next(vms->last);
	next = find_vma(mm, vms->end);
	return next && next->vm_start == vms->end ? next : NULL;
}

/*
 * Would p, once its range is unmapped, merge with what is left around it?
 * The neighbours are judged as they will be after the unmapping: a VMA
 * cut at p->start or p->end keeps its flags and its pgoff at the cut.
 */
static bool mmap_will_merge(struct mm_struct *mm, const struct vma_munmap *vms,
			    const struct vma_proto *p)
{
	struct vm_area_struct *prev = neighbour_below(mm, vms);
	struct vm_area_struct *next = neighbour_above(mm, vms);

	if (prev && prev->vm_end < p->start)
		prev = NULL;
	if (next && next->vm_start > p->end)
		next = NULL;
	return (prev && vma_can_merge_after(prev, p)) || (next && vma_can_merge_before(next, p));
}

static int munmap_range(struct mm_struct *mm, unsigned long start, unsigned long end);

/*
 * The file's mmap operation on the new VMA (a driver's remap_pfn_range(),
 * say); if it refuses, the range is unmapped again (Linux's
 * __mmap_new_file_vma() and its error path).
 */
static int mmap_file(struct mm_struct *mm, struct file *file, struct vm_area_struct *vma)
{
	unsigned long start = vma->vm_start, end = vma->vm_end;
	int err = file->f_op->mmap(file, vma);

	if (err)
		munmap_range(mm, start, end);
	return err;
}

/*
 * Linux's __mmap_region(): [addr, addr + len) becomes one range with
 * vm_flags mapping file from page pgoff (NULL: anonymous memory; shared
 * anonymous memory gets a shmem object of its own), replacing whatever
 * was there (MAP_FIXED).
 */
static unsigned long mmap_region(struct mm_struct *mm, struct file *file, unsigned long addr,
				 unsigned long len, vm_flags_t vm_flags, unsigned long pgoff)
{
	struct vma_proto p = {
		.start = addr, .end = addr + len, .pgoff = pgoff, .flags = vm_flags, .vm_file = file,
	};
	unsigned long pages = len >> PAGE_SHIFT, charged = 0;
	struct vma_reserve r = { 0 };
	struct vm_area_struct *vma, *prev;
	struct vma_munmap vms;
	bool accountable = accountable_mapping(vm_flags);
	/* A fresh shmem object merges with nothing. */
	bool shmem_zero = !file && (vm_flags & VM_SHARED);
	int err;

	vma_munmap_gather(mm, &vms, p.start, p.end);
	/* munmap's rule: a cut in the middle may not take map_count past its limit. */
	if (vms.splits && mm->map_count >= sysctl_max_map_count)
		return (unsigned long)-ENOMEM;
	if (accountable) {
		/* Replaced pages that were charged stay charged, for the new mapping. */
		charged = pages - vms.nr_accounted;
		if (charged && !vm_enough_memory(charged))
			return (unsigned long)-ENOMEM;
		p.flags |= VM_ACCOUNT;
	}
	if (vma_reserve_fill(mm, &r, vms.splits + (shmem_zero || !mmap_will_merge(mm, &vms, &p)))) {
		vm_unacct_memory(charged);
		return (unsigned long)-ENOMEM;
	}
	if (shmem_zero && !(p.vm_file = shmem_file_setup(len))) {
		vma_reserve_release(&r);
		vm_unacct_memory(charged);
		return (unsigned long)-ENOMEM;
	}

	vma_munmap_commit(mm, &vms, &r, !accountable);
	vma = find_vma_prev(mm, addr, &prev);
	vma = vma_merge_new_range(mm, prev, vma, &p, &r);
	vma_reserve_release(&r);
	if (shmem_zero)
		fput(p.vm_file);	/* the VMA holds it */
	vm_stat_account(mm, p.flags, pages);
	if (p.flags & VM_LOCKED)
		mm->locked_vm += pages;
	if (file && (err = mmap_file(mm, file, vma)))
		return (unsigned long)err;
	vma_debug_check(mm);
	return addr;
}

static vm_flags_t calc_vm_prot_bits(unsigned long prot)
{
	return prot & (PROT_READ | PROT_WRITE | PROT_EXEC);	/* VM_READ.. have the same bits */
}

static vm_flags_t calc_vm_flag_bits(unsigned long flags)
{
	return ((flags & MAP_GROWSDOWN) ? VM_GROWSDOWN : 0) | ((flags & MAP_LOCKED) ? VM_LOCKED : 0);
}

unsigned long do_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags, unsigned long fd,
		      unsigned long off)
{
	(void)fd;	/* no descriptor table here: only anonymous memory */
	if (offset_in_page(off))
		return (unsigned long)-EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return (unsigned long)-EBADF;
	return do_mmap_file(mm, NULL, addr, len, prot, flags, off);
}

/*
 * What a file allows: a shared writable mapping needs the file open for
 * writing (EACCES), and a shared mapping of a file not open for writing
 * may never become writable (no VM_MAYWRITE: mprotect says EACCES); any
 * mapping needs it open for reading.  Linux's do_mmap(), the file half.
 */
static int mmap_file_flags(const struct file *file, unsigned long prot, unsigned long flags,
			   vm_flags_t *vm_flags)
{
	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
	case MAP_SHARED_VALIDATE:
		if ((prot & PROT_WRITE) && !(file->f_mode & FMODE_WRITE))
			return -EACCES;
		*vm_flags |= VM_SHARED | VM_MAYSHARE;
		if (!(file->f_mode & FMODE_WRITE))
			*vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
		break;
	case MAP_PRIVATE:
		break;
	default:
		return -EINVAL;
	}
	if (!(file->f_mode & FMODE_READ))
		return -EACCES;
	if (!file->f_op->mmap)
		return -ENODEV;
	if (*vm_flags & VM_GROWSDOWN)
		return -EINVAL;
	return 0;
}

/*
 * The checks of Linux's sys_mmap() -> ksys_mmap_pgoff() -> do_mmap(), in
 * its order, for file (NULL: anonymous memory) from byte off, page
 * aligned (the caller checked).
 */
unsigned long do_mmap_file(struct mm_struct *mm, struct file *file, unsigned long addr,
			   unsigned long len, unsigned long prot, unsigned long flags,
			   unsigned long off)
{
	unsigned long pgoff = off >> PAGE_SHIFT;
	vm_flags_t vm_flags;
	int err;

	if (!len)
		return (unsigned long)-EINVAL;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED))
		addr = round_hint_to_min(addr);
	len = PAGE_ALIGN(len);
	if (!len)
		return (unsigned long)-ENOMEM;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return (unsigned long)-EOVERFLOW;
	/* ">", not ">=": like Linux, mmap may take map_count one past the limit. */
	if (mm->map_count > sysctl_max_map_count)
		return (unsigned long)-ENOMEM;
	vm_flags = calc_vm_prot_bits(prot) | calc_vm_flag_bits(flags) | mm->def_flags |
		   VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	addr = get_unmapped_area(mm, addr, len, flags);
	if (IS_ERR_VALUE(addr))
		return addr;
	if ((flags & MAP_FIXED_NOREPLACE) && find_vma_intersection(mm, addr, addr + len))
		return (unsigned long)-EEXIST;
	if ((flags & MAP_LOCKED) && !mm->rlim_memlock)
		return (unsigned long)-EPERM;
	if (!mlock_future_ok(mm, vm_flags, len))
		return (unsigned long)-EAGAIN;
	if (file) {
		err = mmap_file_flags(file, prot, flags, &vm_flags);
		if (err)
			return (unsigned long)err;
	} else switch (flags & MAP_TYPE) {
	case MAP_SHARED:
		if (vm_flags & VM_GROWSDOWN)
			return (unsigned long)-EINVAL;
		pgoff = 0;	/* a fresh object, mapped from its start */
		vm_flags |= VM_SHARED | VM_MAYSHARE;
		break;
	case MAP_PRIVATE:
		pgoff = addr >> PAGE_SHIFT;	/* so that neighbours' pgoffs continue */
		break;
	default:
		return (unsigned long)-EINVAL;
	}
	if (flags & MAP_NORESERVE)
		vm_flags |= VM_NORESERVE;
	addr = mmap_region(mm, file, addr, len, vm_flags, pgoff);
	if (!IS_ERR_VALUE(addr) &&
	    ((vm_flags & VM_LOCKED) || (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE))
		mm_populate(mm, addr, len);
	return addr;
}

/* ---- munmap ------------------------------------------------------------------------ */

/* Linux's do_vmi_align_munmap() for an aligned, non-empty [start, end). */
static int munmap_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vma_reserve r = { 0 };
	struct vma_munmap vms;

	vma_munmap_gather(mm, &vms, start, end);
	if (!vms.first)
		return 0;
	/* One VMA becoming two may not take map_count past the limit. */
	if (vms.splits && mm->map_count >= sysctl_max_map_count)
		return -ENOMEM;
	if (vma_reserve_fill(mm, &r, vms.splits))
		return -ENOMEM;
	vma_munmap_commit(mm, &vms, &r, true);
	vma_debug_check(mm);
	return 0;
}

int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	unsigned long end;

	if (offset_in_page(start) || start > mm->task_size || len > mm->task_size - start)
		return -EINVAL;
	end = start + PAGE_ALIGN(len);
	if (end == start)
		return -EINVAL;
	return munmap_range(mm, start, end);
}

/* ---- mprotect ---------------------------------------------------------------------- */

/*
 * The flags mprotect gives vma: the new access bits, the rest kept, and
 * VM_ACCOUNT following Linux's mprotect_fixup(): private memory turning
 * writable is charged; memory turning read-only keeps its charge unless
 * it is anonymous and was never faulted in (no anon_vma yet).
 */
static vm_flags_t mprotect_newflags(const struct vm_area_struct *vma, unsigned long prot)
{
	vm_flags_t old = vma->vm_flags;
	vm_flags_t flags = calc_vm_prot_bits(prot) | (old & ~VM_ACCESS_FLAGS);

	if (flags & VM_WRITE) {
		if (!(old & (VM_ACCOUNT | VM_WRITE | VM_SHARED | VM_NORESERVE)))
			flags |= VM_ACCOUNT;
	} else if ((old & VM_ACCOUNT) && vma_is_anonymous(vma) && !vma->anon_vma) {
		flags &= ~VM_ACCOUNT;
	}
	return flags;
}

static bool mprotect_charges(const struct vm_area_struct *vma, vm_flags_t newflags)
{
	return (newflags & VM_ACCOUNT) && !(vma->vm_flags & VM_ACCOUNT);
}

struct mprotect_plan {
	unsigned long start, end;
	struct vm_area_struct *first, *last;
	int needs;				/* VMA structures for splits */
};

/*
 * Every check before any change: no holes (ENOMEM), every VMA allows the
 * new access (EACCES), every newly charged piece passes overcommit and
 * the splits keep map_count within the limit (ENOMEM).
 */
static int mprotect_check(struct mm_struct *mm, struct mprotect_plan *pl, unsigned long prot)
{
	unsigned long start = pl->start, end = pl->end, tmp;
	struct vm_area_struct *vma = pl->first, *prev;
	vm_flags_t newflags;

	for (;;) {
		newflags = mprotect_newflags(vma, prot);
		/* newflags >> 4 puts VM_MAYx where VM_x is. */
		if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS)
			return -EACCES;
		if (mprotect_charges(vma, newflags) &&
		    !vm_overcommit_ok(vma_overlap_pages(vma, start, end)))
			return -ENOMEM;
		tmp = vma->vm_end;
		pl->last = vma;
		if (tmp >= end)
			break;
		vma = vma_next(vma);
		if (!vma || vma->vm_start != tmp)
			return -ENOMEM;
	}
	vma = pl->first;
	prev = start > vma->vm_start ? vma : vma_prev(vma);
	newflags = mprotect_newflags(vma, prot);
	if (newflags != vma->vm_flags)
		pl->needs = vma_modify_needs(prev, vma, start, min(end, vma->vm_end), newflags);
	/* Each split checks the limit as Linux's split_vma() does, counting the ones before. */
	if (pl->needs && mm->map_count + pl->needs - 1 >= sysctl_max_map_count)
		return -ENOMEM;
	vma = pl->last;
	if (vma != pl->first && end < vma->vm_end && mprotect_newflags(vma, prot) != vma->vm_flags) {
		if (mm->map_count + pl->needs >= sysctl_max_map_count)
			return -ENOMEM;
		pl->needs++;
	}
	return 0;
}

/* Applies the plan; cannot fail.  Linux's loop over mprotect_fixup(). */
static void mprotect_apply(struct mm_struct *mm, const struct mprotect_plan *pl,
			   unsigned long prot, struct vma_reserve *r)
{
	struct vm_area_struct *vma = pl->first, *prev, *res;
	unsigned long nstart = pl->start, tmp, pages;
	vm_flags_t oldflags, newflags;

	prev = nstart > vma->vm_start ? vma : vma_prev(vma);
	for (;;) {
		oldflags = vma->vm_flags;
		newflags = mprotect_newflags(vma, prot);
		tmp = min(pl->end, vma->vm_end);
		pages = (tmp - nstart) >> PAGE_SHIFT;
		res = vma;
		if (newflags != oldflags) {
			if (mprotect_charges(vma, newflags))
				vm_committed_pages += pages;
			res = vma_modify_flags(mm, prev, vma, nstart, tmp, newflags, r);
			change_protection(res, nstart, tmp);
			if ((oldflags & VM_ACCOUNT) && !(newflags & VM_ACCOUNT))
				vm_unacct_memory(pages);
			/* A locked private mapping turning writable is faulted in for writing now. */
			if ((oldflags & (VM_WRITE | VM_SHARED | VM_LOCKED)) == VM_LOCKED &&
			    (newflags & VM_WRITE))
				populate_range(res, nstart, tmp);
			vm_stat_account(mm, oldflags, -(long)pages);
			vm_stat_account(mm, newflags, pages);
		}
		/* A merge may have taken in the next VMA: go on from the end of the result. */
		prev = res;
		nstart = res->vm_end;
		if (nstart >= pl->end)
			break;
		vma = vma_next(res);
	}
}

int do_mprotect(struct mm_struct *mm, unsigned long start, unsigned long len,
		unsigned long prot)
{
	unsigned long grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP), end;
	struct mprotect_plan pl = { 0 };
	struct vma_reserve r = { 0 };
	struct vm_area_struct *vma;
	int err;

	prot &= ~grows;
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (offset_in_page(start))
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start >= end)
		return -ENOMEM;
	if (grows & PROT_GROWSDOWN) {
		/* The whole stack below end: from the growsdown VMA's start. */
		if (!(vma->vm_flags & VM_GROWSDOWN))
			return -EINVAL;
		start = vma->vm_start;
	} else {
		if (vma->vm_start > start)
			return -ENOMEM;
		if (grows & PROT_GROWSUP)
			return -EINVAL;	/* no VM_GROWSUP on x86 */
	}
	pl.start = start;
	pl.end = end;
	pl.first = vma;
	err = mprotect_check(mm, &pl, prot);
	if (err)
		return err;
	if (vma_reserve_fill(mm, &r, pl.needs))
		return -ENOMEM;
	mprotect_apply(mm, &pl, prot, &r);
	vma_reserve_release(&r);
	vma_debug_check(mm);
	return 0;
}

/* ---- brk ---------------------------------------------------------------------------- */

/* Linux's check_brk_limits(): what MAP_FIXED at addr would say, and RLIMIT_MEMLOCK. */
static int check_brk_limits(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	unsigned long mapped = get_unmapped_area(mm, addr, len, MAP_FIXED);

	if (IS_ERR_VALUE(mapped))
		return (int)mapped;
	return mlock_future_ok(mm, mm->def_flags, len) ? 0 : -EAGAIN;
}

/*
 * Linux's do_brk_flags(): the empty range [addr, addr + len) becomes
 * heap, extending brkvma (the VMA just below, if it is heap) when it can.
 * The heap never merges with a VMA above it.
 */
static int do_brk_flags(struct mm_struct *mm, struct vm_area_struct *brkvma, unsigned long addr,
			unsigned long len)
{
	struct vma_proto p = {
		.start = addr, .end = addr + len, .pgoff = addr >> PAGE_SHIFT,
		.flags = VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT | mm->def_flags,
	};
	unsigned long pages = len >> PAGE_SHIFT;
	struct vma_reserve r = { 0 };
	bool expand = brkvma && brkvma->vm_end == addr && vma_can_merge_after(brkvma, &p);

	if (mm->map_count > sysctl_max_map_count || !vm_overcommit_ok(pages))
		return -ENOMEM;
	if (!expand && vma_reserve_fill(mm, &r, 1))
		return -ENOMEM;
	vm_committed_pages += pages;
	vma_merge_new_range(mm, expand ? brkvma : NULL, NULL, &p, &r);
	vma_reserve_release(&r);
	vm_stat_account(mm, p.flags, pages);
	if (p.flags & VM_LOCKED)
		mm->locked_vm += pages;
	return 0;
}

unsigned long do_brk(struct mm_struct *mm, unsigned long brk)
{
	unsigned long origbrk = mm->brk, newbrk, oldbrk;
	struct vm_area_struct *next, *brkvma;

	if (brk < mm->start_brk)
		return origbrk;
	newbrk = PAGE_ALIGN(brk);
	oldbrk = PAGE_ALIGN(mm->brk);
	if (oldbrk == newbrk) {
		mm->brk = brk;
		return brk;
	}
	if (brk <= mm->brk) {
		/*
		 * Shrinking unmaps [newbrk, oldbrk), across every VMA there
		 * (mprotect may have split the heap); refused if nothing is
		 * mapped there any more.
		 */
		if (!find_vma_intersection(mm, newbrk, oldbrk) || munmap_range(mm, newbrk, oldbrk))
			return origbrk;
		mm->brk = brk;
		return brk;
	}
	if (check_brk_limits(mm, oldbrk, newbrk - oldbrk))
		return origbrk;
	/* Growing leaves a page, and a stack's guard gap, free below the next VMA. */
	next = find_vma_prev(mm, oldbrk, &brkvma);
	if (next && newbrk + PAGE_SIZE > vm_start_gap(next))
		return origbrk;
	/* Only a VMA reaching into the heap area is the heap (Linux: vma_prev_limit). */
	if (brkvma && brkvma->vm_end <= mm->start_brk)
		brkvma = NULL;
	if (do_brk_flags(mm, brkvma, oldbrk, newbrk - oldbrk))
		return origbrk;
	mm->brk = brk;
	if (mm->def_flags & VM_LOCKED)
		mm_populate(mm, oldbrk, newbrk - oldbrk);
	vma_debug_check(mm);
	return brk;
}

/* ---- stack growth ---------------------------------------------------------------- */

/* Linux's expand_downwards() with acct_stack_growth(). */
static int expand_downwards(struct mm_struct *mm, struct vm_area_struct *vma,
			    unsigned long address)
{
	struct vm_area_struct *prev = vma_prev(vma);
	unsigned long grow;

	address &= PAGE_MASK;
	if (address < mmap_min_addr)
		return -EPERM;
	/* The guard gap: an accessible VMA below must stay stack_guard_gap away. */
	if (prev && !(prev->vm_flags & VM_GROWSDOWN) && vma_is_accessible(prev) &&
	    address - prev->vm_end < stack_guard_gap)
		return -ENOMEM;
	grow = (vma->vm_start - address) >> PAGE_SHIFT;
	if (grow > vma->vm_pgoff)
		return -ENOMEM;
	if (vma->vm_end - address > mm->rlim_stack ||
	    !mlock_future_ok(mm, vma->vm_flags, grow << PAGE_SHIFT) || !vm_overcommit_ok(grow))
		return -ENOMEM;
	anon_vma_prepare(vma);
	if (vma->vm_flags & VM_ACCOUNT)
		vm_committed_pages += grow;
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm += grow;
	vm_stat_account(mm, vma->vm_flags, grow);
	vma_set_range(vma, address, vma->vm_end, vma->vm_pgoff - grow);
	return 0;
}

struct vm_area_struct *expand_stack(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (vma && vma->vm_start <= addr)
		return vma;
	if (!vma || !(vma->vm_flags & VM_GROWSDOWN) || expand_downwards(mm, vma, addr))
		return NULL;
	vma_debug_check(mm);
	return vma;
}
