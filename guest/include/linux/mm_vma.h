/* SPDX-License-Identifier: MIT */
/*
 * Address spaces: VMAs, their tree, and the system calls that change them
 * (mmap, munmap, mprotect, brk), with Linux's semantics and errno values.
 * The structures are in linux/mm_types.h; what the page tables must do
 * when a mapping goes or changes is in linux/pgtable_ops.h.
 *
 *   guest/mm/vma_tree.c   the tree: find_vma(), gaps for get_unmapped_area
 *   guest/mm/vma.c        VMA structures, merge and split, the munmap and
 *                         mprotect engines, anon_vma_prepare()
 *   guest/mm/mmap.c       do_mmap(), do_munmap(), do_mprotect(), do_brk(),
 *                         get_unmapped_area(), expand_stack()
 *   guest/mm/mremap.c     do_mremap()
 *   guest/mm/madvise.c    do_madvise(), and the flag walk mlock shares
 *   guest/mm/mlock.c      do_mlock(), do_munlock(), do_mlockall(), do_munlockall()
 *   guest/mm/fork.c       mm_alloc(), mmput(), dup_mmap(), exit_mmap()
 *   guest/mm/task_mmu.c   /proc/PID/maps
 *
 * Rules every operation keeps (validate_mm() checks them):
 *   - VMAs never overlap, are page aligned and non-empty, and the tree and
 *     mmap_list hold exactly the same ones, in address order;
 *   - map_count is the number of VMAs, total_vm the sum of their pages
 *     (and locked/data/exec/stack_vm the sums Linux's vm_stat_account()
 *     keeps);
 *   - a failed operation, whatever the cause (a failed allocation, a
 *     limit, a permission, a hole), leaves the tree exactly as it was:
 *     everything is checked and every structure allocated before the
 *     first change;
 *   - two neighbours that could be one VMA are one after every operation
 *     that made them neighbours, as far as Linux's merge rules go.
 *
 * Where this departs from Linux, on purpose:
 *   - mprotect() checks the whole range (holes, VM_MAY* permissions)
 *     before changing anything; Linux changes VMA by VMA and stops at
 *     the first error, leaving the earlier ones changed;
 *   - files (linux/fs.h) live in memory only; MAP_SHARED|MAP_ANONYMOUS
 *     maps a shmem file of its own, as in Linux;
 *   - RLIMIT_AS and RLIMIT_DATA are unlimited and not checked;
 *     RLIMIT_STACK and RLIMIT_MEMLOCK are (mm->rlim_stack, rlim_memlock);
 *   - no THP alignment of large anonymous mappings (as with
 *     CONFIG_TRANSPARENT_HUGEPAGE=n), no address randomization.
 *
 * There is one CPU and the callers serialize on the mm (Linux's
 * mmap_lock), so nothing here takes a lock.
 */
#ifndef _LINUX_MM_VMA_H
#define _LINUX_MM_VMA_H

#include <asm/page.h>
#include <linux/errno.h>
#include <linux/fault-inject.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm_types.h>
#include "shared/layout.h"
#include "shared/pte.h"

/* ---- VMA flags: Linux's bit values, shared with the host ---------------- */
#include "shared/vm_flags.h"

#define VM_ACCESS_FLAGS	(VM_READ | VM_WRITE | VM_EXEC)
#define VM_STACK	VM_GROWSDOWN
/* Never merged, never expanded: somebody else manages what is mapped there. */
#define VM_SPECIAL	(VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)
/* x86-64 without READ_IMPLIES_EXEC: brk and stack are rw-, may become anything. */
#define VM_DATA_DEFAULT_FLAGS	(VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define VM_STACK_FLAGS		(VM_STACK | VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT)

/* Linux's PROT_NONE marker: a not-present PTE the kernel still owns (bit 8, Global). */
#define _PAGE_PROTNONE	_PAGE_GLOBAL

/* ---- tunables, with Linux's defaults --------------------------------------- */
#define DEFAULT_MAX_MAP_COUNT	65530
extern int sysctl_max_map_count;		/* vm.max_map_count */
extern unsigned long mmap_min_addr;		/* vm.mmap_min_addr: 64 KiB */
extern unsigned long stack_guard_gap;		/* 256 pages below a growsdown VMA */
/* Pages charged for VM_ACCOUNT mappings (Linux: vm_committed_as, /proc/meminfo Committed_AS). */
extern long vm_committed_pages;

#define TASK_SIZE		TASK_SIZE_MAX
#define TASK_UNMAPPED_BASE	PAGE_ALIGN(TASK_SIZE / 3)	/* bottom-up mmap base */
#define _STK_LIM		(8UL << 20)			/* RLIMIT_STACK default */
#define MLOCK_LIMIT		(8UL << 20)			/* RLIMIT_MEMLOCK default */

#ifndef PAGE_ALIGN
#define PAGE_ALIGN(x)		ALIGN((unsigned long)(x), PAGE_SIZE)
#endif
#define offset_in_page(p)	((unsigned long)(p) & ~PAGE_MASK)
#define IS_ERR_VALUE(x)		((unsigned long)(x) >= (unsigned long)-4095)

/* ---- VMA helpers -------------------------------------------------------------- */
static inline unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

/* A growsdown VMA keeps stack_guard_gap free below it (Linux: vm_start_gap). */
static inline unsigned long vm_start_gap(const struct vm_area_struct *vma)
{
	unsigned long start = vma->vm_start;

	if (vma->vm_flags & VM_GROWSDOWN) {
		start -= stack_guard_gap;
		if (start > vma->vm_start)
			start = 0;
	}
	return start;
}

static inline bool vma_is_accessible(const struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_ACCESS_FLAGS;
}

static inline bool vma_is_anonymous(const struct vm_area_struct *vma)
{
	return !vma->vm_file;
}

/* The previous and next VMA in address order, or NULL. */
static inline struct vm_area_struct *vma_prev(const struct vm_area_struct *vma)
{
	if (vma->vm_list.prev == &vma->vm_mm->mmap_list)
		return NULL;
	return list_entry(vma->vm_list.prev, struct vm_area_struct, vm_list);
}

static inline struct vm_area_struct *vma_next(const struct vm_area_struct *vma)
{
	if (vma->vm_list.next == &vma->vm_mm->mmap_list)
		return NULL;
	return list_entry(vma->vm_list.next, struct vm_area_struct, vm_list);
}

/* Every VMA of mm, in address order; the body must not change the tree. */
#define for_each_vma(mm, vma) list_for_each_entry(vma, &(mm)->mmap_list, vm_list)

/* ---- lookups (guest/mm/vma_tree.c) ------------------------------------------ */
/* The first VMA with addr < vm_end (it may start above addr), or NULL. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
/* find_vma(), and in *pprev the VMA before it (the last one if it is NULL). */
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev);
/* The first VMA that intersects [start, end), or NULL. */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end);
/* The VMA that contains addr, or NULL. */
struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr);

/*
 * Checks every rule of the tree and the counters (the header comment);
 * prints what is wrong and returns false.  With vm_debug_validate set,
 * every operation ends with it and a failure is a BUG().
 */
bool validate_mm(struct mm_struct *mm);
extern bool vm_debug_validate;

/* ---- VMA structures (guest/mm/vma.c) ---------------------------------------- */
/*
 * Allocation can fail: an empty page allocator, or the fault-injection
 * site fail_vm_area_alloc ("vm_area_struct").  vm_area_alloc() returns a
 * zeroed VMA of mm, not in the tree.
 */
extern struct fault_attr fail_vm_area_alloc;
void fail_vm_area_alloc_configure(const struct fault_config *cfg);
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);
/* Turns flags on, or off, in vma, its page protection following (a driver's mmap, mremap). */
void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags);
void vm_flags_clear(struct vm_area_struct *vma, vm_flags_t flags);
void vm_area_free(struct vm_area_struct *vma);

/* The PTE protection for vm_flags: Linux's x86-64 protection_map (NX unless VM_EXEC). */
pgprot_t vm_get_page_prot(vm_flags_t vm_flags);

/*
 * Gives vma its anonymous-memory identity before the first anonymous page
 * is mapped into it (the fault path calls this), reusing a compatible
 * neighbour's so that they can still merge.  Never fails here.  Inline
 * for the common case, a VMA that has one already.
 */
int __anon_vma_prepare(struct vm_area_struct *vma);

static inline int anon_vma_prepare(struct vm_area_struct *vma)
{
	return vma->anon_vma ? 0 : __anon_vma_prepare(vma);
}

/*
 * Adds a VMA the caller has filled in (vm_start, vm_end, vm_flags,
 * optionally vm_name; anonymous, pgoff is set from vm_start) without
 * merging: Linux's insert_vm_struct() and _install_special_mapping().
 * -ENOMEM if the range is not free or VM_ACCOUNT cannot be charged.
 */
int insert_vm_struct(struct mm_struct *mm, struct vm_area_struct *vma);

/* ---- system calls (guest/mm/mmap.c) ------------------------------------------ */
/*
 * mmap(2) for mm: returns the address, or a negative errno (test with
 * IS_ERR_VALUE): EINVAL (len 0, offset or MAP_FIXED address unaligned,
 * no or both MAP_PRIVATE/MAP_SHARED, MAP_SHARED with MAP_GROWSDOWN),
 * EBADF (no MAP_ANONYMOUS: there are no files), ENOMEM (length, address
 * space, max_map_count, overcommit, allocation), EEXIST
 * (MAP_FIXED_NOREPLACE over a mapping), EPERM (MAP_FIXED below
 * mmap_min_addr or MAP_LOCKED with RLIMIT_MEMLOCK 0), EAGAIN (MAP_LOCKED
 * past RLIMIT_MEMLOCK).  Other flags are ignored, as Linux ignores
 * unknown ones.  MAP_POPULATE and MAP_LOCKED fault the range
 * in through populate_range(); its failure does not fail the mmap.
 */
struct file;
/* mmap of file (NULL: anonymous memory) from byte off, page aligned. */
unsigned long do_mmap_file(struct mm_struct *mm, struct file *file, unsigned long addr,
			   unsigned long len, unsigned long prot, unsigned long flags,
			   unsigned long off);
unsigned long do_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags, unsigned long fd,
		      unsigned long off);
/* munmap(2): 0, or EINVAL (unaligned start, length 0 or too big), ENOMEM (max_map_count). */
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len);
/*
 * mprotect(2): 0, or EINVAL (unaligned start, unknown prot bits,
 * PROT_GROWSDOWN on a VMA that does not grow down), ENOMEM (a hole in the
 * range, max_map_count, overcommit, allocation), EACCES (a permission the
 * VMA's VM_MAY* bits refuse).
 */
int do_mprotect(struct mm_struct *mm, unsigned long start, unsigned long len,
		unsigned long prot);
/*
 * mremap(2) (guest/mm/mremap.c): the new address, or a negative errno:
 * EINVAL (unknown flags, MREMAP_FIXED without MREMAP_MAYMOVE, addr or
 * new_addr unaligned, new_len 0, overlapping ranges, old_len 0,
 * MREMAP_DONTUNMAP without MREMAP_MAYMOVE, with lengths that differ or on
 * a VM_DONTEXPAND or VM_PFNMAP mapping), EFAULT (nothing mapped at addr, the old range
 * crosses the end of its VMA, growing a VM_DONTEXPAND or VM_PFNMAP
 * mapping), ENOMEM (no room to grow in place without MREMAP_MAYMOVE, no
 * room anywhere, max_map_count, overcommit, allocation), EAGAIN
 * (RLIMIT_MEMLOCK), EPERM (MREMAP_FIXED below mmap_min_addr).
 */
unsigned long do_mremap(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
			unsigned long new_len, unsigned long flags, unsigned long new_addr);
/*
 * madvise(2) (guest/mm/madvise.c): 0, or EINVAL (unknown advice, start
 * unaligned, a length that wraps, MADV_DONTNEED on a VM_LOCKED or
 * VM_PFNMAP mapping, MADV_DOFORK on VM_IO), ENOMEM (a hole in the range:
 * the mapped parts took the advice; max_map_count, allocation).
 */
int do_madvise(struct mm_struct *mm, unsigned long start, unsigned long len, int behavior);
/*
 * mlock(2), munlock(2), mlockall(2), munlockall(2) (guest/mm/mlock.c):
 * 0, or ENOMEM (a hole, RLIMIT_MEMLOCK, allocation), EPERM (RLIMIT_MEMLOCK
 * is 0), EINVAL (mlockall flags).
 */
int do_mlock(struct mm_struct *mm, unsigned long start, unsigned long len);
int do_munlock(struct mm_struct *mm, unsigned long start, unsigned long len);
int do_mlockall(struct mm_struct *mm, int flags);
int do_munlockall(struct mm_struct *mm);
/* brk(2): the new break, or the old one if the request was refused. */
unsigned long do_brk(struct mm_struct *mm, unsigned long brk);
/* A free range for len bytes (hint addr), or a negative errno; MAP_FIXED checks addr only. */
unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long addr, unsigned long len,
				unsigned long flags);
/*
 * The fault path's stack growth: the VMA that contains addr, or the
 * growsdown VMA above it extended down to addr (RLIMIT_STACK, guard gap
 * to the VMA below), or NULL.
 */
struct vm_area_struct *expand_stack(struct mm_struct *mm, unsigned long addr);
/* Faults in the accessible VMAs in [start, start + len): MAP_POPULATE, MAP_LOCKED. */
void mm_populate(struct mm_struct *mm, unsigned long start, unsigned long len);

/* ---- address spaces (guest/mm/fork.c) -------------------------------------- */
/*
 * A new, empty address space: mm_users = mm_count = 1, Linux's default
 * x86-64 layout without randomization (task_size TASK_SIZE, mmap_base 128
 * MiB below it, legacy base TASK_SIZE / 3), a page-table root from
 * mm_alloc_pgd().  NULL if memory runs out.
 */
struct mm_struct *mm_alloc(void);

static inline void mmget(struct mm_struct *mm)
{
	mm->mm_users++;
}

static inline void mmgrab(struct mm_struct *mm)
{
	mm->mm_count++;
}

/* Drops a user; the last one unmaps everything (exit_mmap) and drops the users' mm_count. */
void mmput(struct mm_struct *mm);
/* Drops a reference; the last one frees the page-table root and the struct. */
void mmdrop(struct mm_struct *mm);
/* Unmaps and frees every VMA, zapping the page tables. */
void exit_mmap(struct mm_struct *mm);
/*
 * fork: a copy of oldmm's VMAs and layout in the new, empty mm, page
 * tables copied by copy_page_range().  VM_DONTCOPY VMAs stay behind,
 * VM_LOCKED is not inherited, and each child VMA with anonymous memory
 * gets its own anon_vma marked as forked.  0, or -ENOMEM with mm emptied
 * again (the caller mmput()s it).
 */
int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm);
/* mm_alloc() + dup_mmap(), or NULL. */
struct mm_struct *dup_mm(struct mm_struct *oldmm);

/* ---- RSS counters (the page-table code updates them) ------------------------ */
static inline long get_mm_counter(const struct mm_struct *mm, int member)
{
	return mm->rss_stat[member];
}

static inline void add_mm_counter(struct mm_struct *mm, int member, long value)
{
	mm->rss_stat[member] += value;
}

static inline unsigned long get_mm_rss(const struct mm_struct *mm)
{
	return mm->rss_stat[MM_FILEPAGES] + mm->rss_stat[MM_ANONPAGES] +
	       mm->rss_stat[MM_SHMEMPAGES];
}

/* Linux's update_hiwater_rss(): before the RSS falls, remember its peak. */
static inline void update_hiwater_rss(struct mm_struct *mm)
{
	if (mm->hiwater_rss < get_mm_rss(mm))
		mm->hiwater_rss = get_mm_rss(mm);
}

/* VmHWM: the peak, or the RSS now if higher (Linux's get_mm_hiwater_rss()). */
static inline unsigned long get_mm_hiwater_rss(const struct mm_struct *mm)
{
	return max(mm->hiwater_rss, get_mm_rss(mm));
}

/* ---- /proc/PID/maps and smaps (guest/mm/task_mmu.c) ------------------------------ */
/*
 * Linux's exact text into buf: the length written, or -1 if it did not
 * fit (buf then holds a NUL-terminated prefix).
 */
int proc_maps_show(struct mm_struct *mm, char *buf, size_t size);
int proc_smaps_show(struct mm_struct *mm, char *buf, size_t size);

#endif
