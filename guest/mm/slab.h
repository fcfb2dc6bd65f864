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
	union {
		struct {
			unsigned short fast_frees;	/* frees slab_free() may take alone */
			unsigned short inuse;		/* not on freelist: the cpu freelist's count */
		};
		unsigned int counters;		/* both: a fast free is one subtraction */
	};
	unsigned short objects;
	unsigned short order;
};

/* One fast free off both counters (x86 is little-endian: fast_frees is the low half). */
#define SLAB_FAST_FREE	((1U << 16) | 1U)
_Static_assert(offsetof(struct slab, fast_frees) == offsetof(struct slab, counters),
	       "struct slab: fast_frees is the low half of counters");

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
 * look at the slab itself (Linux's lockless per-CPU freelist).  Frees do
 * not come back here but to the slab's own free list, which allocation
 * takes over in bulk when freelist runs dry (mimalloc's local free list):
 * so a free need not ask whether its object is from the CPU slab, a coin
 * toss when many objects are live.  Invariant: freelist is NULL whenever
 * slab is, and both always are for a cache without fast paths
 * (kmem_cache_has_cpu_slab()), and for every cache while failslab is
 * armed, so that every allocation from those takes the slow path.
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

/*
 * Whether the fast paths serve the cache: not when it checks its objects
 * (debug flags), nor when its free pointer is not an object's first word
 * (a constructor's object must keep its bytes), so that the fast paths
 * need not look the pointer's offset up.  The others go one object at a
 * time through the slow paths.
 */
static inline bool kmem_cache_has_cpu_slab(const struct kmem_cache *s)
{
	return !kmem_cache_debug(s) && !s->ctor;
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
 * freelist, or when it is empty take over what was freed into the cpu
 * slab since (its own free list) and pop that.  Everything else (no cpu
 * slab, nothing freed into it, a cache without fast paths, armed fault
 * injection: no cpu slab then) is __slab_alloc()'s.  The free pointer is
 * an object's first word in every cache with a cpu slab.  memset()
 * returns object: a tail call, so the fast path needs no stack frame.
 */
static inline __attribute__((always_inline)) void *slab_alloc(struct kmem_cache *s, gfp_t gfp,
							       size_t orig_size)
{
	struct kmem_cache_cpu *c = &s->cpu_slab;
	void *object = c->freelist;

	if (unlikely(!object)) {
		if (!c->slab || !c->slab->freelist)
			return __slab_alloc(s, gfp, orig_size, _RET_IP_);
		object = c->slab->freelist;
		c->slab->freelist = NULL;
		c->slab->counters = c->slab->objects * SLAB_FAST_FREE;	/* all in use, all fast */
	}
	c->freelist = *(void **)object;
	/*
	 * The next allocation reads the next object's free pointer: with many
	 * objects live it is seldom in the cache, so start loading it now
	 * (Linux's prefetch_freepointer()).  Prefetching NULL is harmless.
	 */
	__builtin_prefetch(c->freelist);
	if (unlikely(gfp & __GFP_ZERO))
		return memset(object, 0, s->object_size);
	return object;
}

/*
 * The free fast path: push onto the object's own slab's free list, the
 * cpu slab's included, while the slab has fast frees left (it then stays
 * on its list: a slab that is full, or that this free would empty, or of
 * a cache without fast paths, has none).  It needs nothing of the cache:
 * fast frees exist only where the free pointer is the first word.
 * Freeing the object on top of the list again is the commonest double
 * free, and costs one comparison to catch; __slab_free() reports it.
 */
static inline __attribute__((always_inline)) void slab_free(struct slab *slab, void *x)
{
	void *head = slab->freelist;

	if (likely(x != head && slab->fast_frees)) {
		*(void **)x = head;
		slab->freelist = x;
		slab->counters -= SLAB_FAST_FREE;
		return;
	}
	__slab_free(slab->slab_cache, slab, x, _RET_IP_);
}

#endif
