/* SPDX-License-Identifier: MIT */
/*
 * Page flags: bit numbers in struct page's flags word, and the
 * PageFoo/SetPageFoo/ClearPageFoo helpers for each.  Only the head page of
 * a free block carries PG_buddy; every other free page has flags 0.
 */
#ifndef _LINUX_PAGE_FLAGS_H
#define _LINUX_PAGE_FLAGS_H

#include <linux/mm_types.h>

enum pageflags {
	PG_locked,
	PG_referenced,
	PG_dirty,
	PG_lru,
	PG_active,
	PG_slab,
	PG_reserved,	/* never given to the buddy allocator (memblock reserved) */
	PG_buddy,	/* head of a free block; private holds its order */
	PG_swapbacked,	/* page cache of a shmem object: counted as Shmem, not file */
	NR_PAGEFLAGS
};

/* A page being freed must carry none of these (bad page otherwise). */
#define PAGE_FLAGS_CHECK_AT_FREE					\
	(1UL << PG_locked | 1UL << PG_lru | 1UL << PG_active |		\
	 1UL << PG_slab | 1UL << PG_reserved | 1UL << PG_buddy)

/* A page being allocated must carry no flag at all. */
#define PAGE_FLAGS_CHECK_AT_PREP	((1UL << NR_PAGEFLAGS) - 1)

#define PAGEFLAG(uname, bit)						\
static inline bool Page##uname(const struct page *page)			\
{									\
	return page->flags & (1UL << PG_##bit);				\
}									\
static inline void SetPage##uname(struct page *page)			\
{									\
	page->flags |= 1UL << PG_##bit;					\
}									\
static inline void ClearPage##uname(struct page *page)			\
{									\
	page->flags &= ~(1UL << PG_##bit);				\
}

PAGEFLAG(Locked, locked)
PAGEFLAG(Referenced, referenced)
PAGEFLAG(Dirty, dirty)
PAGEFLAG(LRU, lru)
PAGEFLAG(Active, active)
PAGEFLAG(Slab, slab)
PAGEFLAG(Reserved, reserved)
PAGEFLAG(Buddy, buddy)
PAGEFLAG(SwapBacked, swapbacked)

#undef PAGEFLAG

#endif
