/* SPDX-License-Identifier: MIT */
/* What the native seam (tests/native/seam.c) records for tests to check. */
#ifndef _NATIVE_SEAM_H
#define _NATIVE_SEAM_H

#define NATIVE_BAD_PAGE_KEEP	16

struct native_bad_page {
	unsigned long pfn;
	const char *reason;
};

/* report_bad_page() calls so far; the last NATIVE_BAD_PAGE_KEEP are kept, oldest first. */
extern unsigned int native_bad_page_count;
extern struct native_bad_page native_bad_pages[NATIVE_BAD_PAGE_KEEP];

/* The most recent report; only valid when native_bad_page_count > 0. */
static inline const struct native_bad_page *native_last_bad_page(void)
{
	return &native_bad_pages[(native_bad_page_count - 1) % NATIVE_BAD_PAGE_KEEP];
}

#include <linux/slab.h>

#define NATIVE_SLAB_REPORT_KEEP	16

/* A report_slab_bug() call, with the cache name copied (the cache may be gone). */
struct native_slab_report {
	struct slab_report r;
	char cache[KMEM_CACHE_NAME_MAX];
};

/* report_slab_bug() calls so far; the last NATIVE_SLAB_REPORT_KEEP are kept. */
extern unsigned int native_slab_report_count;
extern struct native_slab_report native_slab_reports[NATIVE_SLAB_REPORT_KEEP];

/* The nth most recent report (0: the last); only valid when n < the count and the keep. */
static inline const struct native_slab_report *native_slab_report(unsigned int n)
{
	return &native_slab_reports[(native_slab_report_count - 1 - n) % NATIVE_SLAB_REPORT_KEEP];
}

/*
 * The vmalloc seam: vmap_pages_range()/vunmap_range() keep a map from
 * each page of the vmalloc range to its struct page, three levels deep
 * like a page table (15 + 9 + 9 bits of page number).
 */
struct page;

/* What is mapped at addr (any byte of the page), or NULL. */
struct page *native_vmap_lookup(unsigned long addr);
/* Pages mapped now. */
extern unsigned long native_vmap_nr_mapped;
/* Non-zero: the nth vmap_pages_range() call from now fails halfway, with -ENOMEM. */
extern unsigned int native_vmap_fail_nth;

#endif
