// SPDX-License-Identifier: MIT
/*
 * VMAs: their structures, merging and splitting, and the two engines
 * behind munmap and mprotect (Linux's mm/vma.c).
 *
 * Every operation runs in two phases.  The first looks at the tree as it
 * is, decides everything (what merges, what splits, how many new VMA
 * structures that takes) and allocates those structures into a reserve;
 * any failure there returns with nothing changed.  The second applies the
 * decision and cannot fail: it only takes structures from the reserve
 * and frees the ones merging made redundant.
 *
 * Merge rules (Linux's is_mergeable_vma() and is_mergeable_anon_vma()):
 * two ranges are one VMA if they touch, have equal flags, none of
 * VM_SPECIAL, the same shared object and name, continuous pgoffs, and
 * compatible anonymous memory: both without, the same anon_vma, or only
 * one with it and that one not a fork child.  Merging three at once also
 * needs the outer two to agree (no two different anon_vmas).
 */
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/pgtable_ops.h>
#include <linux/printk.h>
#include <linux/string.h>

#include "vma.h"

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#else
#define ASAN_POISON_MEMORY_REGION(addr, size)	((void)(addr), (void)(size))
#define ASAN_UNPOISON_MEMORY_REGION(addr, size)	((void)(addr), (void)(size))
#endif

/* ---- object pools -------------------------------------------------------------- */

/*
 * Fixed-size objects carved from order-0 pages and kept on a free list:
 * a stand-in for kmem_cache until linux/slab.h lands, when these become
 * vm_area_cachep and mm_cachep.  Pages are never given back, like a
 * cache that is never shrunk.  A free object keeps the free-list link in
 * its last word; under AddressSanitizer the rest is poisoned, so a use
 * after free is reported.
 */
static void **obj_link(const struct vm_obj_pool *pool, void *obj)
{
	return (void **)((char *)obj + pool->size - sizeof(void *));
}

static void obj_push(struct vm_obj_pool *pool, void *obj)
{
	*obj_link(pool, obj) = pool->free;
	pool->free = obj;
	ASAN_POISON_MEMORY_REGION(obj, pool->size - sizeof(void *));
}

static int obj_pool_grow(struct vm_obj_pool *pool)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	char *base;
	size_t off;

	if (!page)
		return -ENOMEM;
	base = page_address(page);
	for (off = 0; off + pool->size <= PAGE_SIZE; off += pool->size)
		obj_push(pool, base + off);
	page->private = (unsigned long)pool->pages;
	pool->pages = page;
	pool->nr_pages++;
	return 0;
}

/* The last object went back: so do the pages, so that exit leaves no frame behind. */
static void obj_pool_release(struct vm_obj_pool *pool)
{
	while (pool->pages) {
		struct page *page = pool->pages;

		pool->pages = (struct page *)page->private;
		page->private = 0;
		ASAN_UNPOISON_MEMORY_REGION(page_address(page), PAGE_SIZE);
		__free_pages(page, 0);
	}
	pool->free = NULL;
	pool->nr_pages = 0;
}

void *vm_obj_alloc(struct vm_obj_pool *pool)
{
	void *obj;

	if (!pool->free && obj_pool_grow(pool))
		return NULL;
	obj = pool->free;
	pool->free = *obj_link(pool, obj);
	ASAN_UNPOISON_MEMORY_REGION(obj, pool->size);
	pool->in_use++;
	return memset(obj, 0, pool->size);
}

void vm_obj_free(struct vm_obj_pool *pool, void *obj)
{
	obj_push(pool, obj);
	if (!--pool->in_use)
		obj_pool_release(pool);
}

/* ---- VMA structures ------------------------------------------------------------ */

struct vm_obj_pool vm_area_pool = VM_OBJ_POOL_INIT(struct vm_area_struct);
struct fault_attr fail_vm_area_alloc = FAULT_ATTR_INITIALIZER("fail_vm_area_alloc");

void fail_vm_area_alloc_configure(const struct fault_config *cfg)
{
	fault_attr_configure(&fail_vm_area_alloc, cfg);
}

/* The VMA structures' fault-injection site; the filter sees cache "vm_area_struct". */
static bool should_fail_vm_area_alloc(void)
{
	struct fault_site site = { .gfp = GFP_KERNEL, .cache = "vm_area_struct" };

	return fault_attr_armed(&fail_vm_area_alloc) &&
	       should_fail_ex(&fail_vm_area_alloc, sizeof(struct vm_area_struct), &site);
}

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	if (should_fail_vm_area_alloc())
		return NULL;
	vma = vm_obj_alloc(&vm_area_pool);
	if (vma)
		vma->vm_mm = mm;
	return vma;
}

void vm_area_free(struct vm_area_struct *vma)
{
	if (vma->vm_file)
		fput(vma->vm_file);
	vm_obj_free(&vm_area_pool, vma);
}

/* dst becomes a copy of src's attributes, outside the tree. */
static void vma_copy(struct vm_area_struct *dst, const struct vm_area_struct *src)
{
	*dst = *src;
	dst->vm_rb = (struct rb_node){ 0 };
	INIT_LIST_HEAD(&dst->vm_list);
	if (dst->vm_file)
		get_file(dst->vm_file);
}

int vma_reserve_fill(struct mm_struct *mm, struct vma_reserve *r, int nr)
{
	BUG_ON(nr > VMA_RESERVE_MAX);
	for (r->nr = 0; r->nr < nr; r->nr++) {
		r->vma[r->nr] = vm_area_alloc(mm);
		if (!r->vma[r->nr]) {
			vma_reserve_release(r);
			return -ENOMEM;
		}
	}
	return 0;
}

static struct vm_area_struct *vma_reserve_take(struct vma_reserve *r)
{
	BUG_ON(r->nr == 0);	/* the first phase counted wrong */
	return r->vma[--r->nr];
}

void vma_reserve_release(struct vma_reserve *r)
{
	while (r->nr)
		vm_area_free(r->vma[--r->nr]);
}

/*
 * x86-64's protection_map: a private writable mapping is mapped read-only
 * (the first write faults and copies), PROT_NONE is not present but
 * marked _PAGE_PROTNONE, and only VM_EXEC leaves out NX.
 */
#define PAGE_NONE		(_PAGE_ACCESSED | _PAGE_PROTNONE)
#define PAGE_SHARED		(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX)
#define PAGE_SHARED_EXEC	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)
#define PAGE_COPY		(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX)
#define PAGE_COPY_EXEC		(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
#define PAGE_READONLY		(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX)
#define PAGE_READONLY_EXEC	(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)

static const u64 protection_map[16] = {
	[VM_NONE]					= PAGE_NONE,
	[VM_READ]					= PAGE_READONLY,
	[VM_WRITE]					= PAGE_COPY,
	[VM_WRITE | VM_READ]				= PAGE_COPY,
	[VM_EXEC]					= PAGE_READONLY_EXEC,
	[VM_EXEC | VM_READ]				= PAGE_READONLY_EXEC,
	[VM_EXEC | VM_WRITE]				= PAGE_COPY_EXEC,
	[VM_EXEC | VM_WRITE | VM_READ]			= PAGE_COPY_EXEC,
	[VM_SHARED]					= PAGE_NONE,
	[VM_SHARED | VM_READ]				= PAGE_READONLY,
	[VM_SHARED | VM_WRITE]				= PAGE_SHARED,
	[VM_SHARED | VM_WRITE | VM_READ]		= PAGE_SHARED,
	[VM_SHARED | VM_EXEC]				= PAGE_READONLY_EXEC,
	[VM_SHARED | VM_EXEC | VM_READ]			= PAGE_READONLY_EXEC,
	[VM_SHARED | VM_EXEC | VM_WRITE]		= PAGE_SHARED_EXEC,
	[VM_SHARED | VM_EXEC | VM_WRITE | VM_READ]	= PAGE_SHARED_EXEC,
};

pgprot_t vm_get_page_prot(vm_flags_t vm_flags)
{
	return __pgprot(protection_map[vm_flags & (VM_READ | VM_WRITE | VM_EXEC | VM_SHARED)]);
}

/* ---- linking -------------------------------------------------------------------- */

void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	vma_tree_insert(mm, vma);
	mm->map_count++;
}

void vma_unlink_free(struct mm_struct *mm, struct vm_area_struct *vma)
{
	vma_tree_erase(mm, vma);
	mm->map_count--;
	vm_area_free(vma);
}

void vma_set_range(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		   unsigned long pgoff)
{
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_pgoff = pgoff;
	vma_tree_update(vma);
}

/*
 * Linux's vma_wants_writenotify(): a shared writable mapping of a file
 * whose dirty pages are tracked maps its pages read-only until written,
 * so that the write fault marks the page dirty.  Shmem objects are not
 * tracked (nothing to write back).
 */
static bool vma_wants_writenotify(const struct vm_area_struct *vma, vm_flags_t flags)
{
	const struct inode *inode = vma->vm_file ? file_inode(vma->vm_file) : NULL;

	return (flags & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED) && inode &&
	       (inode->i_mode & S_IFMT) == S_IFREG && !inode->i_shmem;
}

static void vma_set_flags(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags = flags;
	if (vma_wants_writenotify(vma, flags))
		flags &= ~VM_SHARED;
	vma->vm_page_prot = vm_get_page_prot(flags);
}

void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma_set_flags(vma, vma->vm_flags | flags);
}

void vm_flags_clear(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma_set_flags(vma, vma->vm_flags & ~flags);
}

/* vma takes a reference on file (or none), dropping the one it had. */
static void vma_set_file(struct vm_area_struct *vma, struct file *file)
{
	if (file)
		get_file(file);
	if (vma->vm_file)
		fput(vma->vm_file);
	vma->vm_file = file;
}

/* ---- anonymous memory identity ------------------------------------------------ */

static unsigned long anon_vma_last_id;

unsigned long anon_vma_new_id(void)
{
	return ++anon_vma_last_id;
}

/*
 * Can anonymous memory (src_anon, src_forked) end up in tgt?  Case 1: tgt
 * has none and takes src's, unless src came from fork.  Case 2: src has
 * none and uses tgt's, unless tgt came from fork.  Case 3: both have one,
 * then it must be the same.  (Linux 6.16's is_mergeable_anon_vma().)
 */
static bool anon_mergeable(unsigned long src_anon, bool src_forked,
			   const struct vm_area_struct *tgt)
{
	if (!tgt->anon_vma && src_anon)
		return !src_forked;
	if (tgt->anon_vma && !src_anon)
		return !tgt->anon_vma_forked;
	return src_anon == tgt->anon_vma;
}

bool vma_anon_compatible(const struct vm_area_struct *prev, const struct vm_area_struct *next)
{
	return !prev->anon_vma || !next->anon_vma || prev->anon_vma == next->anon_vma;
}

/* After a merge, the VMA that grew carries the anonymous memory it took in. */
static void dup_anon_vma(struct vm_area_struct *dst, const struct vm_area_struct *src)
{
	if (src->anon_vma && !dst->anon_vma) {
		dst->anon_vma = src->anon_vma;
		dst->anon_vma_forked = src->anon_vma_forked;
	}
}

/*
 * Could a and b (a just below b) share one anon_vma?  Linux's
 * anon_vma_compatible(): like merging, but access flags may differ, so
 * that a range mprotect()ed apart can merge back after faults.
 */
static bool anon_vma_shareable(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_file == b->vm_file &&
	       !((a->vm_flags ^ b->vm_flags) & ~VM_ACCESS_FLAGS) &&
	       b->vm_pgoff == vma_pgoff_at(a, b->vm_start);
}

static unsigned long reusable_anon_vma(const struct vm_area_struct *old,
				       const struct vm_area_struct *a,
				       const struct vm_area_struct *b)
{
	if (anon_vma_shareable(a, b) && old->anon_vma && !old->anon_vma_forked)
		return old->anon_vma;
	return 0;
}

int __anon_vma_prepare(struct vm_area_struct *vma)
{
	struct vm_area_struct *next = vma_next(vma), *prev = vma_prev(vma);
	unsigned long anon = 0;

	/* Next first, then prev, as Linux's find_mergeable_anon_vma(). */
	if (next)
		anon = reusable_anon_vma(next, vma, next);
	if (!anon && prev)
		anon = reusable_anon_vma(prev, prev, vma);
	vma->anon_vma = anon ? anon : anon_vma_new_id();
	vma->anon_vma_forked = false;
	return 0;
}

/* ---- merging --------------------------------------------------------------------- */

static bool vma_attrs_match(const struct vm_area_struct *vma, const struct vma_proto *p)
{
	return vma->vm_flags == p->flags && !(p->flags & VM_SPECIAL) &&
	       vma->vm_file == p->vm_file && vma->vm_name == p->vm_name;
}

bool vma_can_merge_after(const struct vm_area_struct *prev, const struct vma_proto *p)
{
	return vma_attrs_match(prev, p) && anon_mergeable(p->anon_vma, p->anon_vma_forked, prev) &&
	       vma_pgoff_at(prev, p->start) == p->pgoff;
}

bool vma_can_merge_before(const struct vm_area_struct *next, const struct vma_proto *p)
{
	return vma_attrs_match(next, p) && anon_mergeable(p->anon_vma, p->anon_vma_forked, next) &&
	       vma_pgoff_at(next, p->end) == p->pgoff + ((p->end - p->start) >> PAGE_SHIFT);
}

static void vma_fill(struct vm_area_struct *vma, const struct vma_proto *p)
{
	vma->vm_start = p->start;
	vma->vm_end = p->end;
	vma->vm_pgoff = p->pgoff;
	vma_set_file(vma, p->vm_file);
	vma_set_flags(vma, p->flags);
	vma->anon_vma = p->anon_vma;
	vma->anon_vma_forked = p->anon_vma_forked;
	vma->vm_name = p->vm_name;
}

struct vm_area_struct *vma_merge_new_range(struct mm_struct *mm, struct vm_area_struct *prev,
					   struct vm_area_struct *next,
					   const struct vma_proto *p, struct vma_reserve *r)
{
	bool left = prev && prev->vm_end == p->start && vma_can_merge_after(prev, p);
	bool right = next && next->vm_start == p->end && vma_can_merge_before(next, p) &&
		     (!left || vma_anon_compatible(prev, next));
	struct vm_area_struct *vma;

	if (left && right) {
		unsigned long end = next->vm_end;

		dup_anon_vma(prev, next);
		vma_unlink_free(mm, next);
		vma_set_range(prev, prev->vm_start, end, prev->vm_pgoff);
		return prev;
	}
	if (left) {
		vma_set_range(prev, prev->vm_start, p->end, prev->vm_pgoff);
		return prev;
	}
	if (right) {
		vma_set_range(next, p->start, next->vm_end, p->pgoff);
		return next;
	}
	vma = vma_reserve_take(r);
	vma_fill(vma, p);
	vma_link(mm, vma);
	return vma;
}

/* ---- munmap engine ---------------------------------------------------------------- */

void vma_munmap_gather(struct mm_struct *mm, struct vma_munmap *vms, unsigned long start,
		       unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	*vms = (struct vma_munmap){ .start = start, .end = end };
	for (; vma && vma->vm_start < end; vma = vma_next(vma)) {
		unsigned long pages = vma_overlap_pages(vma, start, end);

		if (!vms->first)
			vms->first = vma;
		vms->last = vma;
		vms->nr_pages += pages;
		if (vma->vm_flags & VM_ACCOUNT)
			vms->nr_accounted += pages;
	}
	vms->splits = vms->first && vms->first->vm_start < start && end < vms->first->vm_end;
}

/* The counters lose what [start, end) of vma held. */
static void vma_unaccount_range(struct mm_struct *mm, const struct vm_area_struct *vma,
				unsigned long start, unsigned long end)
{
	unsigned long pages = vma_overlap_pages(vma, start, end);

	vm_stat_account(mm, vma->vm_flags, -(long)pages);
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm -= pages;
}

/* Cuts [start, end) out of the one VMA that holds it on both sides: the tail goes to r. */
static void vma_punch_hole(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long start,
			   unsigned long end, struct vma_reserve *r)
{
	struct vm_area_struct *tail = vma_reserve_take(r);

	vma_copy(tail, vma);
	tail->vm_start = end;
	tail->vm_pgoff = vma_pgoff_at(vma, end);
	vma_set_range(vma, vma->vm_start, start, vma->vm_pgoff);
	vma_link(mm, tail);
}

/* Trims vma to what lies outside [start, end), or frees it if nothing does. */
static void vma_cut(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long start,
		    unsigned long end)
{
	if (vma->vm_start < start)
		vma_set_range(vma, vma->vm_start, start, vma->vm_pgoff);
	else if (vma->vm_end > end)
		vma_set_range(vma, end, vma->vm_end, vma_pgoff_at(vma, end));
	else
		vma_unlink_free(mm, vma);
}

void vma_munmap_commit(struct mm_struct *mm, struct vma_munmap *vms, struct vma_reserve *r,
		       bool unaccount)
{
	struct vm_area_struct *vma, *next, *below, *above;
	unsigned long start = vms->start, end = vms->end;

	if (!vms->first)
		return;
	/* Page tables first, while every VMA still describes its range. */
	for (vma = vms->first;; vma = vma_next(vma)) {
		unmap_page_range(vma, max(start, vma->vm_start), min(end, vma->vm_end));
		vma_unaccount_range(mm, vma, start, end);
		if (vma == vms->last)
			break;
	}
	below = vms->first->vm_start < start ? vms->first : vma_prev(vms->first);
	if (vms->splits) {
		vma_punch_hole(mm, vms->first, start, end, r);
		above = vma_next(vms->first);
	} else {
		above = vms->last->vm_end > end ? vms->last : vma_next(vms->last);
		for (vma = vms->first; vma; vma = next) {
			next = vma == vms->last ? NULL : vma_next(vma);
			vma_cut(mm, vma, start, end);
		}
	}
	free_pgtables(mm, start, end, below ? below->vm_end : 0, above ? above->vm_start : 0);
	if (unaccount)
		vm_unacct_memory(vms->nr_accounted);
	vms->first = vms->last = NULL;
}

/* ---- mprotect engine -------------------------------------------------------------- */

struct modify_plan {
	struct vma_proto p;
	struct vm_area_struct *prev, *next;
	bool merge_left, merge_right;
};

/* Linux's vma_merge_existing_range(), the deciding half. */
static void modify_plan(struct modify_plan *m, struct vm_area_struct *prev,
			const struct vm_area_struct *vma, unsigned long start, unsigned long end,
			vm_flags_t newflags)
{
	bool left_side = start == vma->vm_start, right_side = end == vma->vm_end;

	m->p = (struct vma_proto){
		.start = start, .end = end, .pgoff = vma_pgoff_at(vma, start), .flags = newflags,
		.anon_vma = vma->anon_vma, .anon_vma_forked = vma->anon_vma_forked,
		.vm_file = vma->vm_file, .vm_name = vma->vm_name,
	};
	m->prev = left_side && prev != vma ? prev : NULL;
	m->next = right_side ? vma_next(vma) : NULL;
	m->merge_left = m->prev && m->prev->vm_end == start && vma_can_merge_after(m->prev, &m->p);
	m->merge_right = m->next && m->next->vm_start == end &&
			 vma_can_merge_before(m->next, &m->p) &&
			 (!m->merge_left || vma_anon_compatible(m->prev, m->next));
}

int vma_modify_needs(struct vm_area_struct *prev, const struct vm_area_struct *vma,
		     unsigned long start, unsigned long end, vm_flags_t newflags)
{
	struct modify_plan m;

	modify_plan(&m, prev, vma, start, end, newflags);
	if (m.merge_left || m.merge_right)
		return 0;
	return (start > vma->vm_start) + (end < vma->vm_end);
}

/* prev takes [start, end) from vma, and next too if merging both. */
static struct vm_area_struct *modify_merge_left(struct mm_struct *mm, struct modify_plan *m,
						struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = m->prev;
	unsigned long end = m->p.end;

	dup_anon_vma(prev, m->merge_right && m->next->anon_vma ? m->next : vma);
	if (m->merge_right) {
		end = m->next->vm_end;
		vma_unlink_free(mm, m->next);
	}
	if (m->p.end == vma->vm_end)
		vma_unlink_free(mm, vma);
	else
		vma_set_range(vma, m->p.end, vma->vm_end, vma_pgoff_at(vma, m->p.end));
	vma_set_range(prev, prev->vm_start, end, prev->vm_pgoff);
	return prev;
}

/* next takes [start, end) from vma. */
static struct vm_area_struct *modify_merge_right(struct mm_struct *mm, struct modify_plan *m,
						 struct vm_area_struct *vma)
{
	struct vm_area_struct *next = m->next;

	dup_anon_vma(next, vma);
	if (m->p.start == vma->vm_start)
		vma_unlink_free(mm, vma);
	else
		vma_set_range(vma, vma->vm_start, m->p.start, vma->vm_pgoff);
	vma_set_range(next, m->p.start, next->vm_end, m->p.pgoff);
	return next;
}

/* The part of vma from addr on becomes a VMA of its own, which is returned. */
static struct vm_area_struct *vma_split(struct mm_struct *mm, struct vm_area_struct *vma,
					unsigned long addr, struct vma_reserve *r)
{
	struct vm_area_struct *high = vma_reserve_take(r);

	vma_copy(high, vma);
	high->vm_start = addr;
	high->vm_pgoff = vma_pgoff_at(vma, addr);
	vma_set_range(vma, vma->vm_start, addr, vma->vm_pgoff);
	vma_link(mm, high);
	return high;
}

struct vm_area_struct *vma_modify_flags(struct mm_struct *mm, struct vm_area_struct *prev,
					struct vm_area_struct *vma, unsigned long start,
					unsigned long end, vm_flags_t newflags,
					struct vma_reserve *r)
{
	struct modify_plan m;

	modify_plan(&m, prev, vma, start, end, newflags);
	if (m.merge_left)
		return modify_merge_left(mm, &m, vma);
	if (m.merge_right)
		return modify_merge_right(mm, &m, vma);
	if (start > vma->vm_start)
		vma = vma_split(mm, vma, start, r);
	if (end < vma->vm_end)
		vma_split(mm, vma, end, r);
	vma_set_flags(vma, newflags);
	return vma;
}

/* ---- inserting a prepared VMA ------------------------------------------------------ */

int insert_vm_struct(struct mm_struct *mm, struct vm_area_struct *vma)
{
	unsigned long pages = vma_pages(vma);

	if (find_vma_intersection(mm, vma->vm_start, vma->vm_end))
		return -ENOMEM;
	if ((vma->vm_flags & VM_ACCOUNT) && !vm_enough_memory(pages))
		return -ENOMEM;
	/* The pgoff an anonymous VMA would have had from mmap, so that it can merge later. */
	if (vma_is_anonymous(vma))
		vma->vm_pgoff = vma->vm_start >> PAGE_SHIFT;
	vma->vm_mm = mm;
	vma_set_flags(vma, vma->vm_flags);
	vma_link(mm, vma);
	vm_stat_account(mm, vma->vm_flags, pages);
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm += pages;
	vma_debug_check(mm);
	return 0;
}
