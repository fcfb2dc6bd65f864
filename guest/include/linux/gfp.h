/* SPDX-License-Identifier: MIT */
/* Get-free-pages flags (their values: shared/gfp.h) and the page allocator's entry points. */
#ifndef _LINUX_GFP_H
#define _LINUX_GFP_H

#include <linux/mmzone.h>
#include <linux/types.h>
#include "shared/gfp.h"

struct page;

/* The highest zone a request may use; __GFP_DMA wins over __GFP_DMA32. */
static inline enum zone_type gfp_zone(gfp_t gfp)
{
	if (gfp & __GFP_DMA)
		return ZONE_DMA;
	if (gfp & __GFP_DMA32)
		return ZONE_DMA32;
	return ZONE_NORMAL;
}

struct page *alloc_pages(gfp_t gfp, unsigned int order);
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
unsigned long get_zeroed_page(gfp_t gfp);
void __free_pages(struct page *page, unsigned int order);
void free_pages(unsigned long addr, unsigned int order);

#define alloc_page(gfp)		alloc_pages(gfp, 0)
#define __get_free_page(gfp)	__get_free_pages(gfp, 0)
#define __free_page(page)	__free_pages(page, 0)
#define free_page(addr)		free_pages(addr, 0)

#endif
