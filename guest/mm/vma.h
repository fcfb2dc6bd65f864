/* SPDX-License-Identifier: MIT */
/*
 * What the address-space files of guest/mm share (Linux's mm/vma.h):
 * the tree primitives, the VMA reserve, merging, and the munmap and
 * mprotect engines that mmap.c drives.
 */
#ifndef _MM_VMA_H
#define _MM_VMA_H

#include <linux/mm_vma.h>
#include <linux/obj_pool.h>

/* ---- the tree (vma_tree.c); each keeps order, balance and gaps ---------- */
/* Adds vma (range and vm_mm set, not overlapping any other) to tree and list. */
void vma_tree_insert(struct mm_struct *mm, struct vm_area_struct *vma);
void vma_tree_erase(struct mm_struct *mm, struct vm_area_struct *vma);
/* vma's vm_start, vm_end or VM_GROWSDOWN changed without reordering. */
void vma_tree_update(struct vm_area_struct *vma);
/*
 * The highest (lowest) address a with [a, a + len) in [low, high) and in
 * no VMA nor guard gap, or -ENOMEM.  low + len and high are at most
 * TASK_SIZE, len > 0.
 */
unsigned long vma_gap_highest(struct mm_struct *mm, unsigned long low, unsigned long high,
			      unsigned long len);
unsigned long vma_gap_lowest(struct mm_struct *mm, unsigned long low, unsigned long high,
			     unsigned long len);

/* ---- accounting (mmap.c) ----------------------------------------------------- */
static inline bool is_exec_mapping(vm_flags_t flags)
{
	return (flags & (VM_EXEC | VM_WRITE | VM_STACK)) == VM_EXEC;
}

static inline bool is_stack_mapping(vm_flags_t flags)
{
	return (flags & VM_STACK) == VM_STACK;
}

static inline bool is_data_mapping(vm_flags_t flags)
{
	return (flags & (VM_WRITE | VM_SHARED | VM_STACK)) == VM_WRITE;
}

/* Linux's vm_stat_account(): total_vm and the exec/stack/data split. */
void vm_stat_account(struct mm_struct *mm, vm_flags_t flags, long npages);
/* The overcommit heuristic (Linux's OVERCOMMIT_GUESS); charges on success. */
bool vm_enough_memory(long pages);
/* The same test without charging. */
bool vm_overcommit_ok(long pages);
/* Linux's mlock_future_ok(): VM_LOCKED memory stays within RLIMIT_MEMLOCK. */
bool mlock_future_ok(const struct mm_struct *mm, vm_flags_t flags, unsigned long bytes);
static inline void vm_unacct_memory(long pages)
{
	vm_committed_pages -= pages;
}

/* Linux's accountable_mapping(): private writable memory is charged. */
static inline bool accountable_mapping(vm_flags_t flags)
{
	return (flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE;
}

/* pgoff of the page at addr in vma (addr may be vm_end: one past). */
static inline unsigned long vma_pgoff_at(const struct vm_area_struct *vma, unsigned long addr)
{
	return vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
}

/* ---- object pools (linux/obj_pool.h, vma.c) --------------------------------- */
extern struct vm_obj_pool vm_area_pool;

/* How many pages of [start, end) lie in vma (they must overlap). */
static inline unsigned long vma_overlap_pages(const struct vm_area_struct *vma,
					      unsigned long start, unsigned long end)
{
	return (min(end, vma->vm_end) - max(start, vma->vm_start)) >> PAGE_SHIFT;
}

/* ---- a reserve of VMA structures, filled before any change ----------------- */
#define VMA_RESERVE_MAX	2

struct vma_reserve {
	struct vm_area_struct *vma[VMA_RESERVE_MAX];
	int nr;
};

/* Allocates nr VMAs for mm: 0, or -ENOMEM with nothing kept. */
int vma_reserve_fill(struct mm_struct *mm, struct vma_reserve *r, int nr);
/* Frees what the operation did not use. */
void vma_reserve_release(struct vma_reserve *r);

/* ---- merging -------------------------------------------------------------------- */
/* What a range would be as a VMA: what merging compares. */
struct vma_proto {
	unsigned long start, end, pgoff;
	vm_flags_t flags;
	unsigned long anon_vma;
	bool anon_vma_forked;
	struct file *vm_file;
	const char *vm_name;
};

/*
 * Could p join prev, which ends at p->start or is to be cut there (its
 * pgoff at p->start must continue), or next, which starts at p->end or
 * is to be cut there?  Linux's can_vma_merge_after() / _before().
 */
bool vma_can_merge_after(const struct vm_area_struct *prev, const struct vma_proto *p);
bool vma_can_merge_before(const struct vm_area_struct *next, const struct vma_proto *p);
/* Both at once also needs prev and next to agree on their anonymous memory. */
bool vma_anon_compatible(const struct vm_area_struct *prev, const struct vm_area_struct *next);

/*
 * Links a new range p, empty in the tree, between prev and next (either
 * may be NULL): extends prev and/or next when the rules allow, else takes
 * a VMA from r.  Returns the VMA that now holds the range.
 */
struct vm_area_struct *vma_merge_new_range(struct mm_struct *mm, struct vm_area_struct *prev,
					   struct vm_area_struct *next,
					   const struct vma_proto *p, struct vma_reserve *r);

/* ---- munmap engine ------------------------------------------------------------- */
/*
 * Removing [start, end), measured before any change: the VMAs that go or
 * shrink, how many pages of which kind, and whether a VMA is cut in two.
 */
struct vma_munmap {
	unsigned long start, end;
	struct vm_area_struct *first, *last;	/* first and last VMA touched; NULL if none */
	bool splits;				/* start and end both inside one VMA */
	unsigned long nr_pages, nr_accounted;
};

void vma_munmap_gather(struct mm_struct *mm, struct vma_munmap *vms, unsigned long start,
		       unsigned long end);
/* Zaps and removes the range; a VMA from r if vms->splits.  Cannot fail. */
void vma_munmap_commit(struct mm_struct *mm, struct vma_munmap *vms, struct vma_reserve *r,
		       bool unaccount);

/* ---- mprotect engine -------------------------------------------------------- */
/*
 * Gives [start, end) of vma (start < end inside it) newflags, merging
 * with prev (the VMA before it, or vma itself when start is inside vma)
 * and the next VMA where the rules allow, else splitting with VMAs from
 * r.  Returns the VMA that now holds the range.  Linux's vma_modify_flags().
 */
struct vm_area_struct *vma_modify_flags(struct mm_struct *mm, struct vm_area_struct *prev,
					struct vm_area_struct *vma, unsigned long start,
					unsigned long end, vm_flags_t newflags,
					struct vma_reserve *r);
/* How many VMAs vma_modify_flags() would take from the reserve. */
int vma_modify_needs(struct vm_area_struct *prev, const struct vm_area_struct *vma,
		     unsigned long start, unsigned long end, vm_flags_t newflags);

/*
 * Flags for every VMA in [start, end) (page aligned, start < end): each
 * piece gets (flags & ~clear) | set, unless skip(vma) says to leave it,
 * splitting and merging as mprotect does; holes are passed over.  fixup,
 * if given, runs on each changed piece with its old flags (counters,
 * faulting in).  0, or -ENOMEM (VMA structures, max_map_count) with
 * nothing changed.  The loop of Linux's madvise_walk_vmas() and
 * apply_vma_lock_flags() over vma_modify_flags().
 */
struct vma_flags_change {
	vm_flags_t set, clear;
	bool (*skip)(const struct vm_area_struct *vma);
	void (*fixup)(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		      vm_flags_t oldflags);
};
int vma_range_change_flags(struct mm_struct *mm, unsigned long start, unsigned long end,
			   const struct vma_flags_change *c);
/* Is [start, end) mapped without a hole? */
bool vma_range_mapped(struct mm_struct *mm, unsigned long start, unsigned long end);

/* vma_link(): insert and count; vma_unlink_free(): remove, uncount and free. */
void vma_link(struct mm_struct *mm, struct vm_area_struct *vma);
void vma_unlink_free(struct mm_struct *mm, struct vm_area_struct *vma);
/* A new range for a VMA in the tree, which keeps its place in the order. */
void vma_set_range(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		   unsigned long pgoff);

/* A new anonymous-memory identity, never used before. */
unsigned long anon_vma_new_id(void);

/* Runs validate_mm() when vm_debug_validate is set; BUG() on failure. */
void vma_debug_check(struct mm_struct *mm);

#endif
