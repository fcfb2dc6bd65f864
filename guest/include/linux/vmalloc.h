/* SPDX-License-Identifier: MIT */
/*
 * vmalloc (guest/mm/vmalloc.c): virtually contiguous kernel memory in
 * [VMALLOC_START, VMALLOC_END), made of order-0 pages from anywhere,
 * each area followed by one unmapped guard page.
 *
 * Boot order: after kmem_cache_init(), vmalloc_init().  The page tables
 * are the environment's, through two seam functions (below): the guest
 * implements them with its page tables, the native build
 * (tests/native/seam.c) with a map from virtual page to struct page.
 */
#ifndef _LINUX_VMALLOC_H
#define _LINUX_VMALLOC_H

#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/types.h>

struct page;

/* vm_struct.flags, Linux's values. */
#define VM_IOREMAP	0x00000001UL	/* ioremap(): frames that are not the allocator's */
#define VM_ALLOC	0x00000002UL	/* vmalloc(): the pages are the area's */
#define VM_MAP		0x00000004UL	/* vmap(): the caller's pages */

/*
 * A busy area.  size includes the guard page; pages/nr_pages are the
 * frames mapped at addr (vmap() keeps its own copy of the caller's array).
 */
struct vm_struct {
	void *addr;
	unsigned long size;
	unsigned long flags;
	struct page **pages;
	unsigned int nr_pages;
	const void *caller;
	phys_addr_t phys_addr;		/* ioremap(): the first frame's address */
};

void vmalloc_init(void);

void *vmalloc(unsigned long size);
void *vzalloc(unsigned long size);
/*
 * size bytes aligned to align (a power of two; below a page means a
 * page), pages allocated with gfp; node is accepted for Linux's signature
 * (one node).  NULL when any of that cannot be had, an absurd align
 * included.
 */
void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp, int node,
		     const void *caller);
void vfree(const void *addr);

/*
 * Maps count pages (the caller keeps ownership) at a new area; prot is
 * accepted for Linux's signature: the seam maps PAGE_KERNEL.
 */
void *vmap(struct page **pages, unsigned int count, unsigned long flags, unsigned long prot);
void vunmap(const void *addr);

/*
 * Linux's ioremap() for the one kind of I/O memory this machine has:
 * frames of RAM the page allocator never had (PG_reserved: the firmware
 * area, the host's reservations).  [phys, phys + size) is mapped whole
 * pages at a new area ("phys=... ioremap" in vmallocinfo); the address of
 * phys in it, or NULL for RAM the allocator owns (Linux refuses to
 * ioremap RAM), memory beyond RAM (there are no devices) or no room.
 */
void *ioremap(phys_addr_t phys, unsigned long size);
void iounmap(const void *addr);

bool is_vmalloc_addr(const void *addr);
/* The frame mapped at addr, from the area's records; NULL outside any area or in a guard page. */
struct page *vmalloc_to_page(const void *addr);
/* The busy area containing addr (its guard page included), or NULL. */
struct vm_struct *find_vm_area(const void *addr);

/*
 * The seam: map [addr, end) to pages[0..], one page each, or unmap it.
 * vmap_pages_range returns 0 or a negative errno; on failure part of the
 * range may be mapped, and vmalloc unmaps all of it, so vunmap_range must
 * take pages that are not mapped in its stride.
 */
int vmap_pages_range(unsigned long addr, unsigned long end, struct page **pages);
void vunmap_range(unsigned long addr, unsigned long end);

/* For the host's verifier: every busy area in address order. */
typedef void (*vmap_area_fn)(void *arg, unsigned long start, unsigned long size,
			     unsigned int nr_pages, struct page *const *pages);
void walk_vmap_areas(vmap_area_fn fn, void *arg);

/*
 * /proc/vmallocinfo: "0xstart-0xend size caller pages=N vmalloc" per area,
 * in address order.  Returns the length written, or -1 if it did not fit.
 */
int vmallocinfo_show(char *buf, size_t size);

struct vmalloc_stats {
	unsigned long nr_areas;		/* busy areas */
	unsigned long nr_pages;		/* pages mapped by them */
	unsigned long nr_free_areas;	/* free stretches of the range */
	unsigned long alloc_fail;	/* NULL returns, all causes */
	unsigned long alloc_injected;	/* of which fail_vmalloc */
	unsigned long bad_frees;	/* vfree/vunmap of something that is no area */
};
extern struct vmalloc_stats vmalloc_stats;

/* The vmalloc fault-injection site (size: bytes asked for, order: of that size). */
extern struct fault_attr fail_vmalloc;
void fail_vmalloc_configure(const struct fault_config *cfg);

#endif
