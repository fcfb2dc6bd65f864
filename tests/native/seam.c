// SPDX-License-Identifier: MIT
/*
 * The kernel services the mm code calls, for the native build: printk goes
 * to stderr (its format carries the newline, as in Linux), panic aborts (Check reports the abort as an error in the test
 * that caused it).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <native/seam.h>

unsigned char *native_phys_base;

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(stderr, fmt, ap);
	va_end(ap);
	return n;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("native panic: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

unsigned int native_bad_page_count;
struct native_bad_page native_bad_pages[NATIVE_BAD_PAGE_KEEP];

/* The guest forwards bad pages to the host; natively, tests read them here. */
void report_bad_page(unsigned long pfn, const char *reason)
{
	struct native_bad_page *r = &native_bad_pages[native_bad_page_count % NATIVE_BAD_PAGE_KEEP];

	r->pfn = pfn;
	r->reason = reason;
	native_bad_page_count++;
}

unsigned int native_slab_report_count;
struct native_slab_report native_slab_reports[NATIVE_SLAB_REPORT_KEEP];

/* The guest forwards slab bugs to the host; natively, tests read them here. */
void report_slab_bug(const struct slab_report *r)
{
	struct native_slab_report *n =
		&native_slab_reports[native_slab_report_count % NATIVE_SLAB_REPORT_KEEP];

	n->r = *r;
	if (r->cache) {
		snprintf(n->cache, sizeof(n->cache), "%s", r->cache);
		n->r.cache = n->cache;
	}
	native_slab_report_count++;
}

#define VMAP_LEAF_BITS	9
#define VMAP_MID_BITS	9
#define VMAP_TOP_BITS	15	/* 33 bits of page number: the vmalloc range */

static struct page ***native_vmap_dir[1UL << VMAP_TOP_BITS];
unsigned long native_vmap_nr_mapped;
unsigned int native_vmap_fail_nth;

/* The slot for addr's page; with create, missing tables are made (and kept). */
static struct page **vmap_slot(unsigned long addr, bool create)
{
	unsigned long idx = (addr - VMALLOC_START) >> PAGE_SHIFT;
	struct page ***mid, **leaf;

	if (addr < VMALLOC_START || addr > VMALLOC_END)
		return NULL;
	mid = native_vmap_dir[idx >> (VMAP_LEAF_BITS + VMAP_MID_BITS)];
	if (!mid) {
		if (!create)
			return NULL;
		mid = calloc(1UL << VMAP_MID_BITS, sizeof(*mid));
		native_vmap_dir[idx >> (VMAP_LEAF_BITS + VMAP_MID_BITS)] = mid;
	}
	leaf = mid[(idx >> VMAP_LEAF_BITS) & ((1UL << VMAP_MID_BITS) - 1)];
	if (!leaf) {
		if (!create)
			return NULL;
		leaf = calloc(1UL << VMAP_LEAF_BITS, sizeof(*leaf));
		mid[(idx >> VMAP_LEAF_BITS) & ((1UL << VMAP_MID_BITS) - 1)] = leaf;
	}
	return &leaf[idx & ((1UL << VMAP_LEAF_BITS) - 1)];
}

/* Mapping over a mapped page is refused, as Linux's vmap_pte_range() does. */
int vmap_pages_range(unsigned long addr, unsigned long end, struct page **pages)
{
	bool fail = native_vmap_fail_nth && !--native_vmap_fail_nth;
	unsigned long half = addr + ((end - addr) / 2 & PAGE_MASK);
	struct page **slot;

	for (; addr < end; addr += PAGE_SIZE) {
		if (fail && addr == half)
			return -ENOMEM;
		slot = vmap_slot(addr, true);
		if (!slot)
			return -EINVAL;
		if (*slot)
			return -EBUSY;
		*slot = *pages++;
		native_vmap_nr_mapped++;
	}
	return 0;
}

void vunmap_range(unsigned long addr, unsigned long end)
{
	struct page **slot;

	for (; addr < end; addr += PAGE_SIZE) {
		slot = vmap_slot(addr, false);
		if (slot && *slot) {
			*slot = NULL;
			native_vmap_nr_mapped--;
		}
	}
}

struct page *native_vmap_lookup(unsigned long addr)
{
	struct page **slot = vmap_slot(addr, false);

	return slot ? *slot : NULL;
}

/* Natively user memory is this process's memory: the copies are plain ones. */
int copy_to_user(void *to, const void *from, size_t n)
{
	memcpy(to, from, n);
	return 0;
}

int copy_from_user(void *to, const void *from, size_t n)
{
	memcpy(to, from, n);
	return 0;
}

long strncpy_from_user(char *dst, const char *src, long count)
{
	size_t len = strnlen(src, (size_t)count);

	if ((long)len == count)
		return -ENAMETOOLONG;
	memcpy(dst, src, len + 1);
	return (long)len;
}
