/* SPDX-License-Identifier: MIT */
/*
 * What slub.c and slab_common.c share: struct slab, struct kmem_cache and
 * the allocation and free fast paths (Linux's mm/slab.h).
 */
#ifndef _MM_SLAB_H
#define _MM_SLAB_H

#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

/*
 * The caller of the function this is written in, for SLAB_STORE_USER.  The
 * always-inline fast paths below use it too: inlined into kmalloc(),
 * kfree() and the other entry points, it names their callers.
 */
#define _RET_IP_	((unsigned long)__builtin_return_address(0))
#define BITS_PER_LONG	(8 * (unsigned int)sizeof(long))

/* The number of the highest bit set, counting from 1; 0 for 0. */
static inline unsigned int fls_long(unsigned long x)
{
	return x ? BITS_PER_LONG - (unsigned int)__builtin_clzl(x) : 0;
}

/* The smallest order whose block holds size bytes. */
static inline unsigned int get_order(unsigned long size)
{
	return size <= PAGE_SIZE ? 0 : fls_long(size - 1) - PAGE_SHIFT;
}

/*
 * The head page of a block that kmalloc() took straight from the page
 * allocator; private holds the block's order.  A local flag bit, past the
 * ones linux/page-flags.h defines, until that header gets one (Linux has a
 * page type for it): the buddy allocator neither checks nor keeps bits it
 * does not know, it clears page->flags on free.
 */
#define PG_large_kmalloc	NR_PAGEFLAGS

static inline bool PageLargeKmalloc(const struct page *page)
{
	return page->flags & (1UL << PG_large_kmalloc);
}

/*
 * A slab overlays the struct page of its first frame, as in Linux.  The
 * fields the buddy allocator looks at keep their places and meaning:
 * flags (PG_slab), the reference count (1, the slab's) and the mapcount
 * (none); mapping and private, which must be clean when the pages go
 * back, hold the cache and the free list and are cleared first.
 *
 * Every frame of a slab carries PG_slab and a pointer to the first
 * frame's struct slab (slab_head), so that an object in any frame finds
 * its slab with one load; the other fields mean something in the first
 * frame only.
 */
struct slab {
	unsigned long __page_flags;
	struct list_head slab_list;	/* on the cache's partial or full list; not the cpu slab */
	struct kmem_cache *slab_cache;
	void *freelist;			/* first free object; NULL while the cpu slab */
	int __page_mapcount;
	int __page_refcount;
	struct slab *slab_head;
	unsigned short inuse;		/* objects allocated; all of them while the cpu slab */
	unsigned short objects;
	unsigned int order;
};

#define SLAB_MATCH(pg, sl)						\
	_Static_assert(offsetof(struct page, pg) == offsetof(struct slab, sl), "struct slab: " #sl)
SLAB_MATCH(flags, __page_flags);
SLAB_MATCH(lru, slab_list);
SLAB_MATCH(mapping, slab_cache);
SLAB_MATCH(private, freelist);
SLAB_MATCH(_mapcount, __page_mapcount);
SLAB_MATCH(_refcount, __page_refcount);
#undef SLAB_MATCH
_Static_assert(sizeof(struct slab) == sizeof(struct page), "struct slab overlays struct page");

static inline struct slab *page_slab(struct page *page)
{
	return (struct slab *)page;
}

static inline struct page *slab_page(struct slab *slab)
{
	return (struct page *)slab;
}

static inline void *slab_address(struct slab *slab)
{
	return page_address(slab_page(slab));
}

static inline struct page *virt_to_page_or_null(const void *x)
{
	unsigned long pfn = PHYS_PFN(__pa(x));

	return likely(pfn_valid(pfn)) ? pfn_to_page(pfn) : NULL;
}

/* The frame of x if it belongs to a slab, else NULL (not slab memory, or not RAM at all). */
static inline __attribute__((always_inline)) struct page *virt_to_slab_page(const void *x)
{
	unsigned long pfn = PHYS_PFN(__pa(x));

	if (unlikely(!pfn_valid(pfn) || !PageSlab(pfn_to_page(pfn))))
		return NULL;
	return pfn_to_page(pfn);
}

/* The slab holding x, or NULL. */
static inline struct slab *virt_to_slab(const void *x)
{
	struct page *page = virt_to_slab_page(x);

	return page ? page_slab(page)->slab_head : NULL;
}

/*
 * The one CPU's slab, its objects handed out from freelist without a
 * look at the slab itself (Linux's lockless per-CPU freelist).  Invariant:
 * freelist is NULL whenever slab is, and both always are for a cache with
 * debug flags, and for every cache while failslab is armed, so that every
 * operation on those takes the slow path.
 */
struct kmem_cache_cpu {
	void *freelist;
	struct slab *slab;
};

/*
 * Every slab of a cache but the cpu slab is on one list: partial (some
 * objects free, or none in use: at most min_partial of those are kept) or
 * full (none free).
 */
struct kmem_cache_node {
	struct list_head partial;
	struct list_head full;
	unsigned long nr_partial;
	unsigned long nr_slabs;
	unsigned long total_objects;
};

/*
 * An object's slot, from slab start + i * size:
 *
 *   [left red zone][object][right red zone][free ptr][tracks][orig size][pad]
 *    red_left_pad   object_size  .. inuse    offset   track_offset
 *
 * Offsets are from the object's start (what callers get).  Without debug
 * flags or a constructor only the object is there and the free pointer
 * sits in its first word (offset 0); poisoning, red zones and
 * constructors need the object's bytes while it is free, so the free
 * pointer moves after it.
 */
struct kmem_cache {
	struct kmem_cache_cpu cpu_slab;	/* first: the fast paths touch little else */
	unsigned int offset;		/* of the free pointer */
	slab_flags_t flags;
	unsigned int object_size;	/* what the creator asked for */
	unsigned int size;		/* slot size: distance between objects */
	unsigned int inuse;		/* object and right red zone */
	unsigned int red_left_pad;
	unsigned int track_offset;	/* SLAB_STORE_USER: two struct track */
	unsigned int orig_size_offset;	/* kmalloc with debug flags: requested size */
	unsigned int align;
	unsigned int order;		/* of a slab, and the objects it holds */
	unsigned int objects;
	unsigned int min_order;		/* fallback when order is not available */
	unsigned long min_partial;
	gfp_t allocflags;		/* __GFP_DMA for SLAB_CACHE_DMA */
	void (*ctor)(void *);
	struct kmem_cache_node node;
	struct list_head list;		/* slab_caches, newest first */
	const char *name;		/* static, or name_buf */
	char name_buf[KMEM_CACHE_NAME_MAX];	/* kmem_cache_create()'s copy of its name */
};

extern struct list_head slab_caches;

static inline bool kmem_cache_debug(const struct kmem_cache *s)
{
	return s->flags & SLAB_DEBUG_FLAGS;
}

static inline void *get_freepointer(const struct kmem_cache *s, void *object)
{
	return *(void **)((char *)object + s->offset);
}

static inline void set_freepointer(const struct kmem_cache *s, void *object, void *fp)
{
	*(void **)((char *)object + s->offset) = fp;
}

/* guest/mm/slub.c */
slab_flags_t kmem_cache_flags(slab_flags_t flags, const char *name);
int __kmem_cache_create(struct kmem_cache *s, const char *name, unsigned int size,
			unsigned int align, slab_flags_t flags, void (*ctor)(void *));
int __kmem_cache_create_like(struct kmem_cache *s, const struct kmem_cache *from,
			     const char *name, slab_flags_t extra);
int __kmem_cache_shutdown(struct kmem_cache *s);
void *__slab_alloc(struct kmem_cache *s, gfp_t gfp, size_t orig_size, unsigned long caller);
void __slab_free(struct kmem_cache *s, struct slab *slab, void *x, unsigned long caller);
void slab_bug_invalid_free(const void *x, const char *why);
size_t slab_ksize(struct kmem_cache *s, void *object);
unsigned int slab_orig_size(const struct kmem_cache *s, void *object);
void slab_set_orig_size(struct kmem_cache *s, void *object, size_t new_size);
void slab_active_objects(struct kmem_cache *s, unsigned long *active, unsigned long *total);

/*
 * The allocation fast path, a handful of instructions: pop the cpu
 * freelist.  Everything else (an empty freelist, a debug cache, armed
 * fault injection: no cpu freelist then) is __slab_alloc()'s.  memset()
 * returns object: a tail call, so the fast path needs no stack frame.
 */
static inline __attribute__((always_inline)) void *slab_alloc(struct kmem_cache *s, gfp_t gfp,
							       size_t orig_size)
{
	void *object = s->cpu_slab.freelist;

	if (unlikely(!object))
		return __slab_alloc(s, gfp, orig_size, _RET_IP_);
	s->cpu_slab.freelist = get_freepointer(s, object);
	if (unlikely(gfp & __GFP_ZERO))
		return memset(object, 0, s->object_size);
	return object;
}

/*
 * The free fast paths: push onto the cpu freelist if x is from the cpu
 * slab, else onto its own slab's free list if that slab stays partial
 * (neither full before nor empty after: those move between lists) and
 * the cache checks nothing.  With many live objects most frees are of the
 * second kind, so it is kept out of a call too.  Freeing the object on
 * top of either list again is the commonest double free, and costs one
 * comparison to catch; __slab_free() reports it.
 */
static inline __attribute__((always_inline)) void slab_free(struct kmem_cache *s,
							     struct slab *slab, void *x)
{
	void *head = s->cpu_slab.freelist;

	if (likely(slab == s->cpu_slab.slab && x != head)) {
		set_freepointer(s, x, head);
		s->cpu_slab.freelist = x;
		return;
	}
	head = slab->freelist;	/* NULL for the cpu slab: a double free there goes on */
	if (likely(head && x != head && slab->inuse > 1 && !kmem_cache_debug(s))) {
		set_freepointer(s, x, head);
		slab->freelist = x;
		slab->inuse--;
		return;
	}
	__slab_free(s, slab, x, _RET_IP_);
}

#endif
