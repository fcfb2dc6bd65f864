/* SPDX-License-Identifier: MIT */
/*
 * The guest's replies, checked before anything reads them.
 *
 * Every reply whose data has a structure (a table, a count, an address)
 * passes through one accessor here, and no command or `check` rule does
 * arithmetic on the guest's numbers itself.  An accessor computes every
 * size with overflow checks and bounds every count by what the host knows
 * before it asks: the size of guest RAM (no more frames, free blocks or
 * slabs than it has pages), the mailbox (VMM_MAILBOX_DATA_SIZE) and the
 * tables' own limits.  It returns 0 with typed views into the reply, or -1
 * with a sentence saying what was wrong; the caller treats that as a
 * protocol error (guest_lied() in run.h): the guest lied, the run ends.
 *
 * A reply whose status is not 0 is a refusal (a process that is gone, an
 * export too large for the mailbox), not a lie: callers look at the status
 * first, and the accessors at replies with status 0 only.  Views stay valid
 * until the next guest call.
 */
#ifndef HOST_REPLY_H
#define HOST_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guest.h"
#include "shared/channel.h"

#define REPLY_MAX_ORDER		10	/* MAX_PAGE_ORDER: larger blocks and slabs are lies */

/*
 * A paginated export (free blocks, slabs): the first page fixes the total,
 * every later page repeats it, and every page is as full as the mailbox
 * allows, so that the fetch ends in total / per-page + 1 round trips.  The
 * entries are disjoint in a correct kernel, so together they cover no more
 * frames than RAM has.
 */
struct reply_pages {
	uint64_t total;
	uint64_t got;			/* entries taken so far: the next request's skip */
	uint64_t frames;		/* frames the entries cover so far */
	bool started;
};

const char *reply_request_name(uint32_t code);

/* VMM_REQ_KERNEL_MAPS: val[0] ranges, each a vmm_kmap. */
int reply_kernel_maps(const struct guest_reply *r, const struct vmm_kmap **maps, size_t *n,
		      char *why, size_t whylen);

/* VMM_REQ_VMAP_AREAS: val[0] areas, then val[1] pfns, exactly the areas' pages in all. */
int reply_vmap_areas(const struct guest_reply *r, uint64_t ram_size,
		     const struct vmm_vmap_area **areas, size_t *n, const uint64_t **pfns,
		     size_t *npfns, char *why, size_t whylen);

/* VMM_REQ_FREE_BLOCKS, one page: blocks of order <= 10 wholly in RAM. */
int reply_free_blocks(const struct guest_reply *r, uint64_t ram_size, struct reply_pages *pg,
		      const struct vmm_page_block **blocks, size_t *n, char *why, size_t whylen);

/* VMM_REQ_SLABS, one page: slabs of order <= 10 wholly in RAM. */
int reply_slabs(const struct guest_reply *r, uint64_t ram_size, struct reply_pages *pg,
		const struct vmm_slab **slabs, size_t *n, char *why, size_t whylen);

/* VMM_REQ_ALLOC_PAGES: val[0] blocks, in the data area. */
int reply_page_blocks(const struct guest_reply *r, const struct vmm_page_block **blocks,
		      size_t *n, char *why, size_t whylen);

/* VMM_REQ_VMAS: sorted, non-empty, non-overlapping VMAs. */
int reply_vmas(const struct guest_reply *r, const struct vmm_vma **vmas, size_t *n,
	       char *why, size_t whylen);

/* VMM_REQ_TASKS. */
int reply_tasks(const struct guest_reply *r, const struct vmm_task **tasks, size_t *n,
		char *why, size_t whylen);

/* VMM_REQ_MM: exactly one vmm_mm_info. */
int reply_mm(const struct guest_reply *r, struct vmm_mm_info *mi, char *why, size_t whylen);

/* VMM_REQ_FAULT_STATS: exactly one vmm_fault_stats, at most VMM_BACKTRACE_DEPTH frames. */
int reply_fault_stats(const struct guest_reply *r, struct vmm_fault_stats *st, char *why,
		      size_t whylen);

/* VMM_REQ_ZONES: exactly VMM_NR_ZONES counters. */
int reply_zones(const struct guest_reply *r, const struct vmm_zone_info **zones,
		char *why, size_t whylen);

/* VMM_REQ_RUN: how the user-mode run ended. */
int reply_fault(const struct guest_reply *r, struct vmm_fault *f, char *why, size_t whylen);
/* VMM_REQ_RUN with a buffer of len bytes: the fault, then exactly the buffer, copied out. */
int reply_fault_buf(const struct guest_reply *r, struct vmm_fault *f, void *buf, size_t len,
		    char *why, size_t whylen);

/* Frames from pfn on, npages of them. */
struct reply_range {
	uint64_t pfn, npages;
};

/*
 * VMM_REQ_PAGE_CACHE: val[0] pages, each in RAM; raw[0] and raw[1] the
 * driver's frames (VMM_PFNMAP_*), each empty or wholly in RAM; the pages
 * the index nodes of those files take, no more than RAM has.
 */
int reply_page_cache(const struct guest_reply *r, uint64_t ram_size,
		     const struct vmm_cache_page **pages, size_t *n, struct reply_range raw[2],
		     uint64_t *index_pages, char *why, size_t whylen);

/*
 * VMM_REQ_FIND_VMA for addr: the VMA [*start, *end), which must be page
 * aligned, non-empty, in user space and end above addr (find_vma()'s
 * promise).
 */
int reply_find_vma(const struct guest_reply *r, uint64_t addr, uint64_t *start, uint64_t *end,
		   char *why, size_t whylen);

/* Where mem_map lies: wholly in RAM, a struct page per frame at most. */
struct reply_mem_map {
	uint64_t gpa, size, zero_pfn;
};

/* VMM_REQ_MEM_MAP. */
int reply_mem_map(const struct guest_reply *r, uint64_t ram_size, struct reply_mem_map *mm,
		  char *why, size_t whylen);

/* A text reply (/proc formats, a cache's name): no NUL byte in it. */
int reply_text(const struct guest_reply *r, const char **text, size_t *len, char *why,
	       size_t whylen);

#endif
