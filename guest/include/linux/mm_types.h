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
#include <linux/types.h>

struct address_space;

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
	/*
	 * To 64 bytes, as in Linux: a power of two makes page_to_pfn() a
	 * shift.  Not __aligned(64): list_for_each_entry() forms a struct
	 * page pointer from the list head, which would then be misaligned.
	 * Later fields (index, slab state) take their room from here.
	 */
	unsigned long __pad[2];
};

_Static_assert(sizeof(struct page) == 64, "struct page must stay 64 bytes");

#endif
