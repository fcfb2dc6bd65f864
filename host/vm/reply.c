// SPDX-License-Identifier: MIT
/*
 * The checked layer between the guest's replies and their users (the
 * contract is in reply.h).  Counts are compared before they are
 * multiplied, and every product and sum that remains is overflow-checked,
 * so that no count the guest writes can make the host read past the reply
 * buffer or loop longer than the host's own limits allow.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "reply.h"
#include "shared/layout.h"

#define MAX_KMAPS	(VMM_MAILBOX_DATA_SIZE / sizeof(struct vmm_kmap))

static const char *const request_names[VMM_REQ_NR] = {
	[VMM_REQ_ECHO] = "ECHO", [VMM_REQ_IOMEM] = "IOMEM", [VMM_REQ_CMDLINE] = "CMDLINE",
	[VMM_REQ_KERNEL_MAPS] = "KERNEL_MAPS", [VMM_REQ_PROVOKE] = "PROVOKE",
	[VMM_REQ_ALLOC_PAGES] = "ALLOC_PAGES", [VMM_REQ_FREE_PAGES] = "FREE_PAGES",
	[VMM_REQ_BUDDYINFO] = "BUDDYINFO", [VMM_REQ_ZONEINFO] = "ZONEINFO",
	[VMM_REQ_ZONES] = "ZONES", [VMM_REQ_FREE_BLOCKS] = "FREE_BLOCKS",
	[VMM_REQ_DRAIN_PAGES] = "DRAIN_PAGES", [VMM_REQ_PLANT] = "PLANT",
	[VMM_REQ_SPAWN] = "SPAWN", [VMM_REQ_RUN] = "RUN", [VMM_REQ_FORK] = "FORK",
	[VMM_REQ_EXIT] = "EXIT", [VMM_REQ_MAPS] = "MAPS", [VMM_REQ_MM] = "MM",
	[VMM_REQ_VMAS] = "VMAS", [VMM_REQ_TASKS] = "TASKS", [VMM_REQ_MEM_MAP] = "MEM_MAP",
	[VMM_REQ_KMALLOC] = "KMALLOC", [VMM_REQ_KFREE] = "KFREE",
	[VMM_REQ_KREALLOC] = "KREALLOC", [VMM_REQ_CACHE_CREATE] = "CACHE_CREATE",
	[VMM_REQ_CACHE_ALLOC] = "CACHE_ALLOC", [VMM_REQ_CACHE_FREE] = "CACHE_FREE",
	[VMM_REQ_CACHE_DESTROY] = "CACHE_DESTROY", [VMM_REQ_CACHE_SHRINK] = "CACHE_SHRINK",
	[VMM_REQ_SLABINFO] = "SLABINFO", [VMM_REQ_VMALLOC] = "VMALLOC",
	[VMM_REQ_VFREE] = "VFREE", [VMM_REQ_VMALLOCINFO] = "VMALLOCINFO",
	[VMM_REQ_POKE] = "POKE", [VMM_REQ_VMAP_AREAS] = "VMAP_AREAS",
	[VMM_REQ_SLABS] = "SLABS", [VMM_REQ_SMAPS] = "SMAPS",
	[VMM_REQ_FILE_CREATE] = "FILE_CREATE", [VMM_REQ_MEMINFO] = "MEMINFO",
	[VMM_REQ_PAGE_CACHE] = "PAGE_CACHE",
	[VMM_REQ_KTHREAD] = "KTHREAD", [VMM_REQ_KTHREAD_STOP] = "KTHREAD_STOP",
	[VMM_REQ_FIND_VMA] = "FIND_VMA", [VMM_REQ_IOREMAP] = "IOREMAP",
	[VMM_REQ_IOUNMAP] = "IOUNMAP", [VMM_REQ_REQUEST_REGION] = "REQUEST_REGION",
	[VMM_REQ_RELEASE_REGION] = "RELEASE_REGION",
	[VMM_REQ_FAULT_ATTR] = "FAULT_ATTR", [VMM_REQ_FAULT_STATS] = "FAULT_STATS",
	[VMM_REQ_TASK_FAIL] = "TASK_FAIL",
};

const char *reply_request_name(uint32_t code)
{
	return code < VMM_REQ_NR && request_names[code] ? request_names[code] : "?";
}

static int __attribute__((format(printf, 3, 4)))
lie(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

/* A table of count entries of elem bytes that must fill the reply exactly. */
static int exact_table(const struct guest_reply *r, uint64_t count, size_t elem, uint64_t max,
		       char *why, size_t whylen)
{
	if (count > max)
		return lie(why, whylen, "it claims %llu entries; at most %llu fit the mailbox",
			   (unsigned long long)count, (unsigned long long)max);
	if (count * elem != r->len)	/* count <= max: no overflow */
		return lie(why, whylen, "it claims %llu entries of %zu bytes in %u bytes",
			   (unsigned long long)count, elem, r->len);
	return 0;
}

/* A table whose length alone gives the count. */
static int whole_entries(const struct guest_reply *r, size_t elem, size_t *n, char *why,
			 size_t whylen)
{
	if (r->len % elem)
		return lie(why, whylen, "%u bytes are not a whole number of %zu-byte entries",
			   r->len, elem);
	*n = r->len / elem;
	return 0;
}

/* size bytes at va, rounded up to whole pages, without wrapping past 2^64. */
static bool extent_fits(uint64_t va, uint64_t size)
{
	uint64_t last;

	return size && size <= UINT64_MAX - (PAGE_SIZE - 1) &&
	       !__builtin_add_overflow(va, ((size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)) - 1, &last);
}

int reply_kernel_maps(const struct guest_reply *r, const struct vmm_kmap **maps, size_t *n,
		      char *why, size_t whylen)
{
	const struct vmm_kmap *k = (const void *)r->data;

	if (exact_table(r, r->val[0], sizeof(*k), MAX_KMAPS, why, whylen))
		return -1;
	for (uint64_t i = 0; i < r->val[0]; i++)
		if (!extent_fits(k[i].va, k[i].size))
			return lie(why, whylen, "range %llu, %#llx bytes at %#llx, is empty or wraps",
				   (unsigned long long)i, (unsigned long long)k[i].size,
				   (unsigned long long)k[i].va);
	*maps = k;
	*n = r->val[0];
	return 0;
}

/* The areas' pages must add up to the pfns sent, without overflow. */
static int vmap_pages(const struct vmm_vmap_area *a, size_t n, uint64_t npfns, char *why,
		      size_t whylen)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < n; i++) {
		if (__builtin_add_overflow(sum, a[i].nr_pages, &sum) || sum > npfns)
			return lie(why, whylen, "its areas claim more pages than the %llu pfns it sent",
				   (unsigned long long)npfns);
		if (!extent_fits(a[i].start, a[i].size))
			return lie(why, whylen, "area %zu, %#llx bytes at %#llx, is empty or wraps", i,
				   (unsigned long long)a[i].size, (unsigned long long)a[i].start);
		if (a[i].nr_pages > a[i].size / PAGE_SIZE)
			return lie(why, whylen, "area %zu claims %llu pages in %#llx bytes", i,
				   (unsigned long long)a[i].nr_pages,
				   (unsigned long long)a[i].size);
	}
	if (sum != npfns)
		return lie(why, whylen, "it sent %llu pfns for %llu pages of areas",
			   (unsigned long long)npfns, (unsigned long long)sum);
	return 0;
}

int reply_vmap_areas(const struct guest_reply *r, uint64_t ram_size,
		     const struct vmm_vmap_area **areas, size_t *n, const uint64_t **pfns,
		     size_t *npfns, char *why, size_t whylen)
{
	uint64_t na = r->val[0], np = r->val[1];
	const uint64_t max = r->len;	/* bytes: a bound on either count */
	const uint64_t *p;

	if (na > max || np > max || na * sizeof(**areas) + np * sizeof(*p) != r->len)
		return lie(why, whylen, "it claims %llu areas and %llu pfns in %u bytes",
			   (unsigned long long)na, (unsigned long long)np, r->len);
	*areas = (const void *)r->data;
	p = (const void *)(*areas + na);
	if (vmap_pages(*areas, na, np, why, whylen))
		return -1;
	for (uint64_t i = 0; i < np; i++)
		if (p[i] >= ram_size / PAGE_SIZE)
			return lie(why, whylen, "pfn %#llx of its areas lies outside RAM",
				   (unsigned long long)p[i]);
	*n = na;
	*pfns = p;
	*npfns = np;
	return 0;
}

/* One page of a paginated export of elem-byte entries; at most max_total in all. */
static int next_page(const struct guest_reply *r, size_t elem, uint64_t max_total,
		     struct reply_pages *pg, size_t *n, char *why, size_t whylen)
{
	uint64_t per_page = VMM_MAILBOX_DATA_SIZE / elem, due;

	if (!pg->started && r->val[0] > max_total)
		return lie(why, whylen, "it claims %llu entries; RAM has room for %llu",
			   (unsigned long long)r->val[0], (unsigned long long)max_total);
	if (pg->started && r->val[0] != pg->total)
		return lie(why, whylen, "its total changed from %llu to %llu between pages",
			   (unsigned long long)pg->total, (unsigned long long)r->val[0]);
	if (whole_entries(r, elem, n, why, whylen))
		return -1;
	pg->total = r->val[0];
	pg->started = true;
	due = pg->total - pg->got < per_page ? pg->total - pg->got : per_page;
	if (*n != due)
		return lie(why, whylen, "it sent %zu entries after %llu of %llu, not %llu", *n,
			   (unsigned long long)pg->got, (unsigned long long)pg->total,
			   (unsigned long long)due);
	pg->got += *n;
	return 0;
}

/* 2^order frames at pfn, wholly inside RAM, and with the entries before, no more than it has. */
static int frames_in_ram(struct reply_pages *pg, uint64_t pfn, uint32_t order, uint64_t ram_size,
			 const char *what, char *why, size_t whylen)
{
	uint64_t pages = ram_size / PAGE_SIZE;

	if (order > REPLY_MAX_ORDER || pfn >= pages || (1ULL << order) > pages - pfn)
		return lie(why, whylen, "%s pfn %#llx order %u is not inside RAM", what,
			   (unsigned long long)pfn, order);
	pg->frames += 1ULL << order;	/* at most pages more than before: no overflow */
	if (pg->frames > pages)
		return lie(why, whylen, "its %ss cover more frames than the %llu RAM has", what,
			   (unsigned long long)pages);
	return 0;
}

int reply_free_blocks(const struct guest_reply *r, uint64_t ram_size, struct reply_pages *pg,
		      const struct vmm_page_block **blocks, size_t *n, char *why, size_t whylen)
{
	const struct vmm_page_block *b = (const void *)r->data;

	if (next_page(r, sizeof(*b), ram_size / PAGE_SIZE, pg, n, why, whylen))
		return -1;
	for (size_t i = 0; i < *n; i++)
		if (frames_in_ram(pg, b[i].pfn, b[i].order, ram_size, "free block", why, whylen))
			return -1;
	*blocks = b;
	return 0;
}

int reply_slabs(const struct guest_reply *r, uint64_t ram_size, struct reply_pages *pg,
		const struct vmm_slab **slabs, size_t *n, char *why, size_t whylen)
{
	const struct vmm_slab *s = (const void *)r->data;

	if (next_page(r, sizeof(*s), ram_size / PAGE_SIZE, pg, n, why, whylen))
		return -1;
	for (size_t i = 0; i < *n; i++)
		if (frames_in_ram(pg, s[i].pfn, s[i].order, ram_size, "slab", why, whylen))
			return -1;
	*slabs = s;
	return 0;
}

int reply_page_blocks(const struct guest_reply *r, const struct vmm_page_block **blocks,
		      size_t *n, char *why, size_t whylen)
{
	if (exact_table(r, r->val[0], sizeof(**blocks), VMM_MAX_BLOCKS, why, whylen))
		return -1;
	*blocks = (const void *)r->data;
	*n = r->val[0];
	return 0;
}

int reply_vmas(const struct guest_reply *r, const struct vmm_vma **vmas, size_t *n,
	       char *why, size_t whylen)
{
	const struct vmm_vma *v = (const void *)r->data;

	if (whole_entries(r, sizeof(*v), n, why, whylen))
		return -1;
	for (size_t i = 0; i < *n; i++) {
		if (v[i].start >= v[i].end)
			return lie(why, whylen, "VMA %zu is empty or reversed (%#llx-%#llx)", i,
				   (unsigned long long)v[i].start, (unsigned long long)v[i].end);
		if (i && v[i].start < v[i - 1].end)
			return lie(why, whylen, "VMA %zu (%#llx) is not after the one before it", i,
				   (unsigned long long)v[i].start);
	}
	*vmas = v;
	return 0;
}

int reply_tasks(const struct guest_reply *r, const struct vmm_task **tasks, size_t *n,
		char *why, size_t whylen)
{
	if (whole_entries(r, sizeof(**tasks), n, why, whylen))
		return -1;
	*tasks = (const void *)r->data;
	return 0;
}

/* A reply that is exactly one structure of size bytes, copied out. */
static int one_struct(const struct guest_reply *r, void *out, size_t size, char *why,
		      size_t whylen)
{
	if (r->len != size)
		return lie(why, whylen, "%u bytes where a %zu-byte structure belongs", r->len, size);
	memcpy(out, r->data, size);
	return 0;
}

int reply_mm(const struct guest_reply *r, struct vmm_mm_info *mi, char *why, size_t whylen)
{
	return one_struct(r, mi, sizeof(*mi), why, whylen);
}

int reply_find_vma(const struct guest_reply *r, uint64_t addr, uint64_t *start, uint64_t *end,
		   char *why, size_t whylen)
{
	uint64_t s = r->val[0], e = r->val[1];

	if (s >= e || e > TASK_SIZE_MAX || (s | e) % PAGE_SIZE || e <= addr)
		return lie(why, whylen, "the VMA %#llx-%#llx is not one find_vma(%#llx) can give",
			   (unsigned long long)s, (unsigned long long)e, (unsigned long long)addr);
	*start = s;
	*end = e;
	return 0;
}

int reply_fault(const struct guest_reply *r, struct vmm_fault *f, char *why, size_t whylen)
{
	return one_struct(r, f, sizeof(*f), why, whylen);
}

int reply_fault_stats(const struct guest_reply *r, struct vmm_fault_stats *st, char *why,
		      size_t whylen)
{
	if (one_struct(r, st, sizeof(*st), why, whylen))
		return -1;
	if (st->nr_frames > VMM_BACKTRACE_DEPTH)
		return lie(why, whylen, "%u frames where %d fit", st->nr_frames, VMM_BACKTRACE_DEPTH);
	return 0;
}

int reply_fault_buf(const struct guest_reply *r, struct vmm_fault *f, void *buf, size_t len,
		    char *why, size_t whylen)
{
	if (len > VMM_RUN_BUF_MAX || r->len != sizeof(*f) + len)
		return lie(why, whylen, "%u bytes where a %zu-byte structure and %zu bytes of the "
			   "call's buffer belong", r->len, sizeof(*f), len);
	memcpy(f, r->data, sizeof(*f));
	memcpy(buf, r->data + sizeof(*f), len);
	return 0;
}

/* A raw range val[pfn_at], val[pages_at] a driver maps: empty, or wholly in RAM, at most 4096 pages. */
static int pfnmap_range(const struct guest_reply *r, uint64_t pages, unsigned pfn_at,
			unsigned pages_at, struct reply_range *out, char *why, size_t whylen)
{
	uint64_t pfn = r->val[pfn_at], n = r->val[pages_at];

	if (n > 4096 || pfn >= pages || n > pages - pfn)
		return lie(why, whylen, "a driver's frames %#llx+%llu are not inside RAM",
			   (unsigned long long)pfn, (unsigned long long)n);
	*out = (struct reply_range){ pfn, n };
	return 0;
}

int reply_page_cache(const struct guest_reply *r, uint64_t ram_size,
		     const struct vmm_cache_page **pages, size_t *n, struct reply_range raw[2],
		     uint64_t *index_pages, char *why, size_t whylen)
{
	uint64_t frames = ram_size / PAGE_SIZE;
	const struct vmm_cache_page *v = (const void *)r->data;

	if (exact_table(r, r->val[0], sizeof(*v), VMM_MAX_CACHE_PAGES, why, whylen))
		return -1;
	if (r->val[VMM_PAGE_CACHE_INDEX_PAGES] > frames)
		return lie(why, whylen, "the page cache's index takes %llu pages, more than RAM has",
			   (unsigned long long)r->val[VMM_PAGE_CACHE_INDEX_PAGES]);
	for (size_t i = 0; i < r->val[0]; i++)
		if (v[i].pfn >= frames)
			return lie(why, whylen, "page-cache page %zu is at pfn %#llx, outside RAM", i,
				   (unsigned long long)v[i].pfn);
	if (pfnmap_range(r, frames, VMM_PFNMAP_GFP_PFN, VMM_PFNMAP_GFP_PAGES, &raw[0], why,
			 whylen) ||
	    pfnmap_range(r, frames, VMM_PFNMAP_KMALLOC_PFN, VMM_PFNMAP_KMALLOC_PAGES, &raw[1], why,
			 whylen))
		return -1;
	*pages = v;
	*n = r->val[0];
	*index_pages = r->val[VMM_PAGE_CACHE_INDEX_PAGES];
	return 0;
}

int reply_zones(const struct guest_reply *r, const struct vmm_zone_info **zones,
		char *why, size_t whylen)
{
	if (r->len != VMM_NR_ZONES * sizeof(**zones))
		return lie(why, whylen, "%u bytes where %d zones belong", r->len, VMM_NR_ZONES);
	*zones = (const void *)r->data;
	return 0;
}

int reply_mem_map(const struct guest_reply *r, uint64_t ram_size, struct reply_mem_map *mm,
		  char *why, size_t whylen)
{
	uint64_t pages = ram_size / PAGE_SIZE;

	if (r->val[1] > pages * VMM_STRUCT_PAGE_SIZE || r->val[0] > ram_size ||
	    r->val[1] > ram_size - r->val[0])
		return lie(why, whylen, "mem_map at %#llx, %#llx bytes, is not inside RAM or "
			   "larger than a struct page per frame", (unsigned long long)r->val[0],
			   (unsigned long long)r->val[1]);
	if (r->val[2] >= pages)
		return lie(why, whylen, "the zero page's pfn %#llx lies outside RAM",
			   (unsigned long long)r->val[2]);
	*mm = (struct reply_mem_map){ r->val[VMM_MEM_MAP_PHYS], r->val[VMM_MEM_MAP_BYTES],
				      r->val[VMM_MEM_MAP_ZERO_PFN] };
	return 0;
}

int reply_text(const struct guest_reply *r, const char **text, size_t *len, char *why,
	       size_t whylen)
{
	const char *nul = memchr(r->data, 0, r->len);

	if (nul)
		return lie(why, whylen, "its text holds a NUL byte at offset %zu",
			   (size_t)(nul - (const char *)r->data));
	*text = (const char *)r->data;
	*len = r->len;
	return 0;
}
