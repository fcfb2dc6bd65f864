/* SPDX-License-Identifier: MIT */
/*
 * struct page: one per physical frame, in the flat mem_map array.
 *
 * The host hands the guest zeroed RAM and mem_map is carved out of it, so
 * every struct page starts all-zero and boot writes only the ones it must
 * (free block heads, reserved frames).  Hence the one departure from
 * Linux's encoding: an all-zero struct page has to be a valid unused page,
 * so _mapcount is stored biased by one (0 here is Linux's -1, "no
 * mappings").  The zone is not encoded in flags either: page_zonenum()
 * derives it from the pfn (two comparisons with the zone boundaries),
 * which needs no per-frame store at boot.
 */
#ifndef _LINUX_MM_TYPES_H
#define _LINUX_MM_TYPES_H

#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/types.h>

struct address_space;
struct file;

struct page {
	unsigned long flags;		/* PG_* bits, linux/page-flags.h */
	/*
	 * Free block head: on its zone's free_area[order] list.  Free page on
	 * a per-CPU list: on pcp.lists[order].  Allocated: the owner's.
	 */
	struct list_head lru;
	struct address_space *mapping;	/* must be NULL when freed */
	unsigned long private;		/* free block head: its order */
	int _mapcount;			/* mappings; Linux's _mapcount + 1 */
	int _refcount;			/* 0: free (or a tail page) */
	unsigned long index;		/* in the page cache: its offset in mapping, in pages */
	/*
	 * To 64 bytes, as in Linux: a power of two makes page_to_pfn() a
	 * shift.  Not __aligned(64): list_for_each_entry() forms a struct
	 * page pointer from the list head, which would then be misaligned.
	 * Later fields take their room from here.
	 */
	unsigned long __pad[1];
};

_Static_assert(sizeof(struct page) == 64, "struct page must stay 64 bytes");

/*
 * ==== Address spaces: struct vm_area_struct and struct mm_struct ==========
 * (guest/mm/vma.c, vma_tree.c, mmap.c, fork.c; the API is linux/mm_vma.h).
 * Everything from here to the closing marker belongs to the address-space
 * code; the struct page part above is the physical memory manager's.
 */

typedef unsigned long vm_flags_t;

/* The protection bits of a PTE (shared/pte.h), as Linux's pgprot_t. */
typedef struct {
	u64 pgprot;
} pgprot_t;

#define pgprot_val(x)	((x).pgprot)
#define __pgprot(x)	((pgprot_t){ (x) })

struct mm_struct;

struct vm_area_struct {
	/* What a lookup reads comes first: one cache line. */
	unsigned long vm_start;		/* first address */
	unsigned long vm_end;		/* first address after; both page aligned */
	/*
	 * In the mm's red-black tree by address (guest/mm/vma_tree.c),
	 * augmented with the largest free gap below any VMA of this subtree,
	 * so that finding room for a mapping is a descent, not a walk (as in
	 * Linux before 6.1; the maple tree keeps gaps in its nodes).
	 */
	struct rb_node vm_rb;
	unsigned long rb_subtree_gap;
	struct list_head vm_list;	/* on vm_mm->mmap_list, in address order */
	struct mm_struct *vm_mm;
	vm_flags_t vm_flags;		/* VM_* (linux/mm_vma.h) */
	pgprot_t vm_page_prot;		/* vm_get_page_prot(vm_flags) */
	/*
	 * In pages.  Private anonymous memory: vm_start >> PAGE_SHIFT when
	 * the mapping was made, carried exactly through every split, so
	 * that two VMAs merge only if their pgoffs continue each other.
	 * Shared anonymous memory: the offset into its object.
	 */
	unsigned long vm_pgoff;
	/*
	 * Identity of the anonymous memory (Linux's struct anon_vma): 0 until
	 * the first write fault calls anon_vma_prepare(); shared by the
	 * pieces of a split and, where compatible, with neighbours, so that
	 * they can merge again later.
	 */
	unsigned long anon_vma;
	/*
	 * Set at fork on a child's VMA that inherited its parent's anonymous
	 * memory (Linux: an anon_vma_chain that is not singular,
	 * vma_is_fork_child()).  Such a VMA never merges on the strength of
	 * its anon_vma alone.
	 */
	bool anon_vma_forked;
	/*
	 * The file mapped (NULL: anonymous memory), holding a reference;
	 * MAP_SHARED|MAP_ANONYMOUS maps a shmem file of its own
	 * ("/dev/zero (deleted)").  vm_pgoff is then the offset in it.
	 */
	struct file *vm_file;
	/* A special mapping's name in /proc/PID/maps (Linux: vm_ops->name), or NULL. */
	const char *vm_name;
};

/* Linux's order, for /proc/PID/status and smaps. */
enum {
	MM_FILEPAGES,
	MM_ANONPAGES,
	MM_SWAPENTS,
	MM_SHMEMPAGES,
	NR_MM_COUNTERS
};

struct mm_struct {
	struct rb_root mm_rb;		/* the VMA tree */
	struct list_head mmap_list;	/* every VMA, in address order */
	int map_count;			/* VMAs in the tree */
	/*
	 * mm_users counts the users of the address space (tasks, and
	 * whoever holds it through mmget()); when it drops to 0 the
	 * mappings go (exit_mmap).  mm_count counts references to the
	 * struct itself, all users together holding one; when it drops to
	 * 0 the page-table root and the struct are freed.
	 */
	int mm_users;
	int mm_count;
	phys_addr_t pgd;		/* top-level page table (the page-table code's) */

	unsigned long task_size;	/* user space ends here */
	unsigned long mmap_base;	/* top-down mmap area starts below this */
	unsigned long mmap_legacy_base;	/* bottom-up fallback starts here */
	unsigned long start_code, end_code, start_data, end_data;
	unsigned long start_brk, brk, start_stack;

	/* In pages, as Linux's vm_stat_account() keeps them. */
	unsigned long total_vm;		/* every VMA */
	unsigned long locked_vm;	/* VM_LOCKED */
	unsigned long data_vm;		/* private writable, not stack */
	unsigned long exec_vm;		/* executable, not writable, not stack */
	unsigned long stack_vm;		/* VM_GROWSDOWN */
	vm_flags_t def_flags;		/* added to every new VMA (VM_LOCKED: mlockall MCL_FUTURE) */
	/* Resource limits Linux keeps in signal_struct, in bytes. */
	unsigned long rlim_stack;	/* RLIMIT_STACK */
	unsigned long rlim_memlock;	/* RLIMIT_MEMLOCK */

	long rss_stat[NR_MM_COUNTERS];	/* resident pages, by kind; the page-table code's */
	/* The most RSS seen before it last fell (Linux: VmHWM is the max of it and the RSS). */
	unsigned long hiwater_rss;
	/* The name of the process it was made for (Linux: mm->owner), NUL-padded. */
	char owner[16];
};

/* ==== end of the address-space part ====================================== */

#endif
