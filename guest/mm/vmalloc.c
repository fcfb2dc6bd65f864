// SPDX-License-Identifier: MIT
/*
 * vmalloc: the kernel's virtually contiguous allocations, after Linux's
 * mm/vmalloc.c (minus lazy freeing: there is one CPU, and the seam's
 * unmapping flushes as it goes).
 *
 * The range [VMALLOC_START, vmalloc_top) is cut into vmap areas, each
 * either busy or free.  Busy areas sit in a red-black tree by address
 * (finding the area of an address) and an address-ordered list.  Free
 * areas sit in another tree by address, augmented with the largest free
 * size in each subtree, and a list: allocation walks down to the lowest
 * area that fits in O(log n), never along the list.  A busy area's size
 * includes the unmapped guard page that follows it, so the guard is
 * never handed out.
 *
 * Invariants:
 *   - busy and free areas are disjoint, page-aligned and together cover
 *     the range exactly;
 *   - two free areas never touch (a freed area merges with both
 *     neighbours), so nr_free_areas is minimal;
 *   - in the free tree, subtree_max_size is the largest va_end - va_start
 *     in the node's subtree;
 *   - only the pages of a busy area, never its guard, are mapped.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/rbtree_augmented.h>
#include <linux/seq_buf.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

struct vmap_area {
	unsigned long va_start;
	unsigned long va_end;
	struct rb_node rb_node;
	struct list_head list;
	union {
		unsigned long subtree_max_size;	/* free */
		struct vm_struct *vm;		/* busy */
	};
};

/* Linux treats VMALLOC_END as an exclusive bound; so no area reaches its last page. */
#define vmalloc_top	(VMALLOC_END & PAGE_MASK)

/* Allocation metadata never needs the caller's zone or zeroing. */
#define META_GFP(gfp)	((gfp) & ~(gfp_t)(__GFP_DMA | __GFP_DMA32 | __GFP_ZERO))

static struct kmem_cache *vmap_area_cachep;
static struct rb_root vmap_area_root;
static struct list_head vmap_area_list = LIST_HEAD_INIT(vmap_area_list);
static struct rb_root free_vmap_area_root;
static struct list_head free_vmap_area_list = LIST_HEAD_INIT(free_vmap_area_list);

struct vmalloc_stats vmalloc_stats;
struct fault_attr fail_vmalloc = FAULT_ATTR_INITIALIZER("fail_vmalloc");

static inline struct vmap_area *va_of(const struct rb_node *node)
{
	return rb_entry(node, struct vmap_area, rb_node);
}

static inline unsigned long va_size(const struct vmap_area *va)
{
	return va->va_end - va->va_start;
}

/* ---- the augmented free tree ------------------------------------------------------ */

RB_DECLARE_CALLBACKS_MAX(static, free_augment, struct vmap_area, rb_node, unsigned long,
			 subtree_max_size, va_size);

/*
 * Where va goes in a tree by address: the link to fill and its parent.
 * Areas never overlap; one that does is a bug in this file.
 */
static struct rb_node **find_va_link(const struct vmap_area *va, struct rb_root *root,
				     struct rb_node **parent)
{
	struct rb_node **link = &root->rb_node;
	struct vmap_area *tmp;

	*parent = NULL;
	while (*link) {
		*parent = *link;
		tmp = va_of(*link);
		if (va->va_end <= tmp->va_start)
			link = &(*link)->rb_left;
		else if (va->va_start >= tmp->va_end)
			link = &(*link)->rb_right;
		else
			panic("vmalloc: area %lx-%lx overlaps %lx-%lx", va->va_start, va->va_end,
			      tmp->va_start, tmp->va_end);
	}
	return link;
}

/* The list neighbour after the place (parent, link) in address order. */
static struct list_head *next_in_list(struct rb_node *parent, struct rb_node **link,
				      struct list_head *head)
{
	if (!parent)
		return head;
	if (link == &parent->rb_left)
		return &va_of(parent)->list;
	return va_of(parent)->list.next;
}

static void link_va(struct vmap_area *va, struct rb_root *root, struct list_head *head,
		    struct rb_node *parent, struct rb_node **link, bool augment)
{
	struct rb_node *n;

	list_add_tail(&va->list, next_in_list(parent, link, head));
	if (!augment) {
		rb_link_node(&va->rb_node, parent, link);
		rb_insert_color(&va->rb_node, root);
		return;
	}
	/* rb_insert_augmented() wants the path to the new node updated first. */
	va->subtree_max_size = va_size(va);
	for (n = parent; n && va_of(n)->subtree_max_size < va->subtree_max_size; n = rb_parent(n))
		va_of(n)->subtree_max_size = va->subtree_max_size;
	rb_link_node(&va->rb_node, parent, link);
	rb_insert_augmented(&va->rb_node, root, &free_augment);
}

static void insert_vmap_area(struct vmap_area *va, struct rb_root *root, struct list_head *head,
			     bool augment)
{
	struct rb_node *parent, **link = find_va_link(va, root, &parent);

	link_va(va, root, head, parent, link, augment);
}

static void unlink_free_area(struct vmap_area *va)
{
	rb_erase_augmented(&va->rb_node, &free_vmap_area_root, &free_augment);
	list_del(&va->list);
	vmalloc_stats.nr_free_areas--;
}

/*
 * A free address that fits size bytes aligned to align inside va, or 0.
 * Aligning the start up may wrap past the top of the address space.
 */
static unsigned long fit_in_va(const struct vmap_area *va, unsigned long size, unsigned long align)
{
	unsigned long start = ALIGN(va->va_start, align);

	if (start < va->va_start || start > va->va_end || va->va_end - start < size)
		return 0;
	return start;
}

/*
 * The lowest free area that surely fits: one of at least length bytes,
 * where length covers the worst alignment loss.  Left subtrees first, so
 * the first fit found is the lowest such.  An area on the way down that
 * fits thanks to its alignment is taken too, as Linux does.
 */
static struct vmap_area *find_vmap_lowest_match(unsigned long size, unsigned long align,
						 unsigned long length)
{
	struct rb_node *node = free_vmap_area_root.rb_node;

	if (free_augment_max(node) < length)
		return NULL;
	for (;;) {
		if (free_augment_max(node->rb_left) >= length) {
			node = node->rb_left;
		} else if (fit_in_va(va_of(node), size, align)) {
			return va_of(node);
		} else {
			node = node->rb_right;	/* its max is >= length: the node's is not */
		}
	}
}

/*
 * Takes [addr, addr + size) out of free area va: all of it, one end, or
 * the middle, which leaves two free areas and needs a new one (-ENOMEM
 * if that cannot be had; nothing changes then).
 */
static int clip_free_area(struct vmap_area *va, unsigned long addr, unsigned long size, gfp_t gfp)
{
	struct vmap_area *lva;

	if (addr == va->va_start && addr + size == va->va_end) {
		unlink_free_area(va);
		kmem_cache_free(vmap_area_cachep, va);
		return 0;
	}
	if (addr != va->va_start && addr + size != va->va_end) {
		lva = kmem_cache_alloc(vmap_area_cachep, gfp);
		if (!lva)
			return -ENOMEM;
		lva->va_start = va->va_start;
		lva->va_end = addr;
		va->va_start = addr + size;
		free_augment_propagate(&va->rb_node, NULL);
		insert_vmap_area(lva, &free_vmap_area_root, &free_vmap_area_list, true);
		vmalloc_stats.nr_free_areas++;
		return 0;
	}
	if (addr == va->va_start)
		va->va_start += size;
	else
		va->va_end = addr;
	free_augment_propagate(&va->rb_node, NULL);
	return 0;
}

/*
 * A busy area of size bytes (guard included) aligned to align; NULL when
 * the range has no room or memory for the bookkeeping is short.  The
 * worst alignment loss is align - PAGE_SIZE, as areas start on pages.
 */
static struct vmap_area *alloc_vmap_area(unsigned long size, unsigned long align, gfp_t gfp)
{
	unsigned long length = size + (align > PAGE_SIZE ? align - PAGE_SIZE : 0), addr;
	struct vmap_area *va, *free;

	va = kmem_cache_alloc(vmap_area_cachep, gfp);
	if (!va)
		return NULL;
	free = find_vmap_lowest_match(size, align, length);
	if (!free)
		goto fail;
	addr = fit_in_va(free, size, align);
	if (clip_free_area(free, addr, size, gfp))
		goto fail;
	va->va_start = addr;
	va->va_end = addr + size;
	va->vm = NULL;
	insert_vmap_area(va, &vmap_area_root, &vmap_area_list, false);
	vmalloc_stats.nr_areas++;
	return va;
fail:
	kmem_cache_free(vmap_area_cachep, va);
	return NULL;
}

/*
 * Gives a busy area's range back to the free tree, merged with the free
 * areas on either side (found through the place va would take in the
 * tree).  Each tree change leaves the augmented values right before the
 * next one starts.
 */
static void merge_or_add_vmap_area(struct vmap_area *va)
{
	struct rb_node *parent, **link = find_va_link(va, &free_vmap_area_root, &parent);
	struct list_head *next = next_in_list(parent, link, &free_vmap_area_list);
	struct list_head *prev = next->prev;
	struct vmap_area *sibling;

	if (next != &free_vmap_area_list) {
		sibling = list_entry(next, struct vmap_area, list);
		if (sibling->va_start == va->va_end) {
			sibling->va_start = va->va_start;
			kmem_cache_free(vmap_area_cachep, va);
			va = sibling;
			free_augment_propagate(&va->rb_node, NULL);
		}
	}
	if (prev != &free_vmap_area_list) {
		sibling = list_entry(prev, struct vmap_area, list);
		if (sibling->va_end == va->va_start) {
			if (&va->list == next)		/* merged with next already: one node goes */
				unlink_free_area(va);
			sibling->va_end = va->va_end;
			kmem_cache_free(vmap_area_cachep, va);
			va = sibling;
			free_augment_propagate(&va->rb_node, NULL);
		}
	}
	if (&va->list != next && &va->list != prev) {
		link_va(va, &free_vmap_area_root, &free_vmap_area_list, parent, link, true);
		vmalloc_stats.nr_free_areas++;
	}
}

static struct vmap_area *find_vmap_area(unsigned long addr)
{
	struct rb_node *n = vmap_area_root.rb_node;
	struct vmap_area *va;

	while (n) {
		va = va_of(n);
		if (addr < va->va_start)
			n = n->rb_left;
		else if (addr >= va->va_end)
			n = n->rb_right;
		else
			return va;
	}
	return NULL;
}

void vmalloc_init(void)
{
	struct vmap_area *va;

	vmap_area_cachep = kmem_cache_create("vmap_area", sizeof(struct vmap_area), 0, 0, NULL);
	va = vmap_area_cachep ? kmem_cache_alloc(vmap_area_cachep, GFP_KERNEL) : NULL;
	if (!va)
		panic("vmalloc_init: no memory");
	va->va_start = VMALLOC_START;
	va->va_end = vmalloc_top;
	insert_vmap_area(va, &free_vmap_area_root, &free_vmap_area_list, true);
	vmalloc_stats.nr_free_areas = 1;
}

/* ---- vm areas ------------------------------------------------------------------------ */

static unsigned long totalram_pages(void)
{
	struct zone *zone;
	unsigned long n = 0;

	for_each_zone(zone)
		n += zone->managed_pages;
	return n;
}

/* size bytes of pages and the guard page after them, aligned to align. */
static struct vm_struct *get_vm_area(unsigned long size, unsigned long align, unsigned long flags,
				     gfp_t gfp, const void *caller)
{
	struct vm_struct *area;
	struct vmap_area *va;

	area = kzalloc(sizeof(*area), META_GFP(gfp));
	if (!area)
		return NULL;
	size = ALIGN(size, PAGE_SIZE) + PAGE_SIZE;
	va = alloc_vmap_area(size, max(align, PAGE_SIZE), META_GFP(gfp));
	if (!va) {
		kfree(area);
		return NULL;
	}
	area->addr = (void *)va->va_start;
	area->size = size;
	area->flags = flags;
	area->caller = caller;
	va->vm = area;
	return area;
}

/* Unmaps and unlinks the area that starts at addr; returns its vm_struct for the caller to free. */
static struct vm_struct *remove_vm_area(const void *addr, const char *who)
{
	struct vmap_area *va = find_vmap_area((unsigned long)addr);
	struct vm_struct *vm;

	if (!va || va->va_start != (unsigned long)addr) {
		pr_err("Trying to %s() nonexistent vm area (%p)\n", who, addr);
		vmalloc_stats.bad_frees++;
		return NULL;
	}
	vm = va->vm;
	vunmap_range(va->va_start, va->va_end - PAGE_SIZE);
	rb_erase(&va->rb_node, &vmap_area_root);
	list_del(&va->list);
	vmalloc_stats.nr_areas--;
	vmalloc_stats.nr_pages -= vm->nr_pages;
	merge_or_add_vmap_area(va);
	return vm;
}

void vfree(const void *addr)
{
	struct vm_struct *vm;
	unsigned int i;

	if (!addr)
		return;
	vm = remove_vm_area(addr, "vfree");
	if (!vm)
		return;
	if (vm->flags & VM_ALLOC)
		for (i = 0; i < vm->nr_pages; i++)
			__free_page(vm->pages[i]);
	kfree(vm->pages);
	kfree(vm);
}

void vunmap(const void *addr)
{
	struct vm_struct *vm = remove_vm_area(addr, "vunmap");

	if (vm) {
		kfree(vm->pages);
		kfree(vm);
	}
}

/* Pages, then mappings; on failure vfree() undoes whatever was done. */
static void *vmalloc_area_node(struct vm_struct *area, gfp_t gfp)
{
	unsigned int nr_pages = (area->size - PAGE_SIZE) >> PAGE_SHIFT, i;
	unsigned long addr = (unsigned long)area->addr;

	area->pages = kmalloc_array(nr_pages, sizeof(struct page *), META_GFP(gfp));
	if (!area->pages)
		goto fail;
	for (i = 0; i < nr_pages; i++) {
		area->pages[i] = alloc_page(gfp);
		if (!area->pages[i])
			break;
	}
	area->nr_pages = i;
	vmalloc_stats.nr_pages += i;
	if (i < nr_pages || vmap_pages_range(addr, addr + (unsigned long)nr_pages * PAGE_SIZE,
					     area->pages))
		goto fail;
	return area->addr;
fail:
	vfree(area->addr);
	return NULL;
}

void fail_vmalloc_configure(const struct fault_config *cfg)
{
	fault_attr_configure(&fail_vmalloc, cfg);
}

static bool should_fail_vmalloc(unsigned long size, gfp_t gfp)
{
	struct fault_site site = {
		.gfp = gfp,
		.order = size > PAGE_SIZE ? (unsigned int)(64 - __builtin_clzl(size - 1)) - PAGE_SHIFT : 0,
	};

	return fault_attr_armed(&fail_vmalloc) && should_fail_ex(&fail_vmalloc, (ssize_t)size, &site);
}

/*
 * Requests larger than RAM, or aligned beyond the range itself, cannot
 * succeed: they fail before any arithmetic on them can overflow.
 */
void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp, int node,
		     const void *caller)
{
	struct vm_struct *area;
	void *addr;

	(void)node;
	if (!size || (align & (align - 1)) || align > vmalloc_top - VMALLOC_START ||
	    size >> PAGE_SHIFT > totalram_pages())
		goto fail;
	if (should_fail_vmalloc(size, gfp)) {
		vmalloc_stats.alloc_injected++;
		goto fail;
	}
	area = get_vm_area(size, align, VM_ALLOC, gfp, caller);
	if (!area)
		goto fail;
	addr = vmalloc_area_node(area, gfp);
	if (addr)
		return addr;
fail:
	vmalloc_stats.alloc_fail++;
	if (!(gfp & __GFP_NOWARN))
		pr_warn("vmalloc error: size %lu, align %lu, mode:0x%x\n", size, align, gfp);
	return NULL;
}

void *vmalloc(unsigned long size)
{
	return __vmalloc_node(size, 1, GFP_KERNEL, 0, __builtin_return_address(0));
}

void *vzalloc(unsigned long size)
{
	return __vmalloc_node(size, 1, GFP_KERNEL | __GFP_ZERO, 0, __builtin_return_address(0));
}

/* count frames the caller owns, mapped at a new area of flags: vmap() and ioremap(). */
static struct vm_struct *map_pages_area(struct page **pages, unsigned int count,
					unsigned long flags, const void *caller)
{
	struct vm_struct *area;
	unsigned long addr;

	if (!count || count > totalram_pages())
		return NULL;
	area = get_vm_area((unsigned long)count << PAGE_SHIFT, PAGE_SIZE, flags, GFP_KERNEL,
			   caller);
	if (!area)
		return NULL;
	area->pages = kmalloc_array(count, sizeof(*pages), GFP_KERNEL);
	addr = (unsigned long)area->addr;
	if (!area->pages) {
		vunmap(area->addr);
		return NULL;
	}
	memcpy(area->pages, pages, count * sizeof(*pages));
	area->nr_pages = count;
	vmalloc_stats.nr_pages += count;
	if (vmap_pages_range(addr, addr + ((unsigned long)count << PAGE_SHIFT), pages)) {
		vunmap(area->addr);
		return NULL;
	}
	return area;
}

void *vmap(struct page **pages, unsigned int count, unsigned long flags, unsigned long prot)
{
	struct vm_struct *area = map_pages_area(pages, count, flags | VM_MAP,
						__builtin_return_address(0));

	(void)prot;
	return area ? area->addr : NULL;
}

/* Every frame of [pfn, pfn + n) was kept from the page allocator at boot. */
static bool frames_reserved(unsigned long pfn, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		if (!pfn_valid(pfn + i) || !PageReserved(pfn_to_page(pfn + i)))
			return false;
	return true;
}

void *ioremap(phys_addr_t phys, unsigned long size)
{
	phys_addr_t first = phys & PAGE_MASK, end = phys + size;
	unsigned long n, i;
	struct page **pages;
	struct vm_struct *area;

	if (!size || end < phys || end > PFN_PHYS(max_pfn))
		return NULL;
	n = (ALIGN(end, PAGE_SIZE) - first) >> PAGE_SHIFT;
	if (!frames_reserved(PHYS_PFN(first), n))
		return NULL;	/* RAM the allocator owns: Linux refuses it too */
	pages = kmalloc_array(n, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;
	for (i = 0; i < n; i++)
		pages[i] = pfn_to_page(PHYS_PFN(first) + i);
	area = map_pages_area(pages, (unsigned int)n, VM_IOREMAP, __builtin_return_address(0));
	kfree(pages);
	if (!area)
		return NULL;
	area->phys_addr = first;
	return (char *)area->addr + (phys - first);
}

void iounmap(const void *addr)
{
	vunmap((const void *)((unsigned long)addr & PAGE_MASK));
}

bool is_vmalloc_addr(const void *addr)
{
	unsigned long x = (unsigned long)addr;

	return x >= VMALLOC_START && x < VMALLOC_END;
}

struct vm_struct *find_vm_area(const void *addr)
{
	struct vmap_area *va = find_vmap_area((unsigned long)addr);

	return va ? va->vm : NULL;
}

struct page *vmalloc_to_page(const void *addr)
{
	struct vm_struct *vm = find_vm_area(addr);
	unsigned long idx;

	if (!vm)
		return NULL;
	idx = ((unsigned long)addr - (unsigned long)vm->addr) >> PAGE_SHIFT;
	return idx < vm->nr_pages ? vm->pages[idx] : NULL;
}

void walk_vmap_areas(vmap_area_fn fn, void *arg)
{
	struct vmap_area *va;

	list_for_each_entry(va, &vmap_area_list, list)
		fn(arg, va->va_start, va->vm->size, va->vm->nr_pages, va->vm->pages);
}

/* Linux's s_show(); callers print as raw addresses (no symbols here). */
int vmallocinfo_show(char *buf, size_t size)
{
	struct vmap_area *va;
	struct vm_struct *v;
	struct seq_buf m;

	seq_buf_init(&m, buf, size);
	list_for_each_entry(va, &vmap_area_list, list) {
		v = va->vm;
		seq_buf_printf(&m, "0x%016lx-0x%016lx %7ld", (unsigned long)v->addr,
			       (unsigned long)v->addr + v->size, (long)v->size);
		if (v->caller)
			seq_buf_printf(&m, " 0x%lx", (unsigned long)v->caller);
		if (v->flags & VM_IOREMAP)
			seq_buf_printf(&m, " phys=0x%016llx ioremap",
				       (unsigned long long)v->phys_addr);
		if (v->flags & VM_ALLOC)
			seq_buf_printf(&m, " pages=%u vmalloc", v->nr_pages);
		if (v->flags & VM_MAP)
			seq_buf_printf(&m, " vmap");
		seq_buf_printf(&m, "\n");
	}
	return m.overflow ? -1 : (int)m.len;
}
