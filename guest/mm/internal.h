/* SPDX-License-Identifier: MIT */
/* What the files of guest/mm share and nobody else needs (Linux's mm/internal.h). */
#ifndef _MM_INTERNAL_H
#define _MM_INTERNAL_H

#include <linux/mm.h>

/*
 * alloc_flags: the low bits index zone->_watermark[]; the others grant
 * access to part of the min reserve, as in Linux: __GFP_HIGH gets half of
 * it, and a request that also cannot sleep (GFP_ATOMIC) a quarter more.
 */
#define ALLOC_WMARK_MIN		WMARK_MIN
#define ALLOC_WMARK_LOW		WMARK_LOW
#define ALLOC_WMARK_HIGH	WMARK_HIGH
#define ALLOC_WMARK_MASK	0x3u
#define ALLOC_MIN_RESERVE	0x4u
#define ALLOC_NON_BLOCK		0x8u
#define ALLOC_RESERVES		(ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK)

/* Puts a checked, clean block on the buddy lists, merging it as far as it goes. */
void free_one_page(struct zone *zone, struct page *page, unsigned long pfn, unsigned int order);
void free_block_run(struct zone *zone, struct page *page, unsigned long nr, unsigned int order);

#endif
