/* SPDX-License-Identifier: MIT */
/*
 * The slab allocator (guest/mm/slub.c, a SLUB) and kmalloc
 * (guest/mm/slab_common.c).
 *
 * Boot order: the buddy allocator first (memblock_free_all()), then
 *   slab_debug_setup(arg)	optional: the slab_debug= boot option;
 *   kmem_cache_init()		the "kmem_cache" cache and the kmalloc caches;
 * after which kmem_cache_create() and kmalloc() work.
 *
 * Objects of one cache live in slabs: blocks of 2^order pages from the
 * buddy allocator, cut into equal slots.  A free object holds the address
 * of the next free one (the free pointer).  The debug flags add red zones
 * around each object, poison free objects, record who allocated and freed
 * each one, and check all of that on every allocation and free (F) or when
 * asked (kmem_cache_validate()).  What they catch goes to
 * report_slab_bug(), one call per bug.
 */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H

#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/mmzone.h>
#include <linux/types.h>

typedef unsigned int slab_flags_t;

/* Linux's flag values: those scenarios may pass are shared with the host. */
#include "shared/slab_flags.h"
#define SLAB_KMALLOC		0x00001000u	/* a kmalloc cache: track requested sizes */
#define SLAB_TRACE		0x00200000u	/* T: print every allocation and free */
#define SLAB_FAILSLAB		0x02000000u	/* A: failslab's cache_filter lets it fail */

/* The flags that take a cache through the slow paths, and what slab_debug alone means. */
#define SLAB_DEBUG_FLAGS	(SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | \
				 SLAB_STORE_USER | SLAB_TRACE)
#define SLAB_DEBUG_DEFAULT_FLAGS (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | \
				  SLAB_STORE_USER)
/* What the O letter drops from a cache whose objects they would make need a higher order. */
#define SLAB_DEBUG_METADATA_FLAGS (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)

struct kmem_cache;

/*
 * Parses the slab_debug= boot option (the text after '='), as Linux does:
 * blocks separated by ';', each letters and then, optionally, a comma and
 * comma-separated cache names (a trailing '*' matches a prefix).  A block
 * without names sets the flags of every cache; a named cache takes its
 * block's flags instead.  Letters, in either case: F sanity checks, Z red
 * zones, P poison, U owner tracking, T trace (a line per allocation and
 * free), A failslab (the cache may fail when failslab's cache_filter is
 * on), O (anywhere: no metadata flags for a cache they would push to a
 * higher order), '-' clears; an unknown letter is reported and skipped;
 * an empty option or an empty letter list means FZPU.  "FZP",
 * "FZ,kmalloc-64", "P;FZ,kmalloc-*,dentry".  Call before
 * kmem_cache_init(): only caches created afterwards are affected.
 * Returns 0, or -EINVAL (an empty name) or -E2BIG (too long); nothing
 * changes then.
 */
int slab_debug_setup(const char *arg);

void kmem_cache_init(void);

/*
 * A cache of objects of size bytes, aligned to align (0, or a power of
 * two), each passed to ctor once, when its slab is made; objects must be
 * freed in their constructed state.  name is copied (at most
 * KMEM_CACHE_NAME_MAX - 1 bytes).  NULL on failure.
 */
#define KMEM_CACHE_NAME_MAX	32
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *));
/*
 * Frees the cache and all its slabs.  A cache with objects still in use
 * is reported (SLAB_BUG_LEAK: how many, the first one's address) and kept.
 */
void kmem_cache_destroy(struct kmem_cache *s);
/* Returns every empty slab to the page allocator. */
int kmem_cache_shrink(struct kmem_cache *s);
/*
 * Checks every slab and object of the cache as SLAB_CONSISTENCY_CHECKS
 * would, repairing as it goes; returns the number of bugs reported.
 */
int kmem_cache_validate(struct kmem_cache *s);

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *s, void *obj);

static inline void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp)
{
	return kmem_cache_alloc(s, gfp | __GFP_ZERO);
}

const char *kmem_cache_name(const struct kmem_cache *s);
unsigned int kmem_cache_size(const struct kmem_cache *s);	/* object size */

/* ---- kmalloc ------------------------------------------------------------- */

/*
 * Size classes 8, 16, 32, 64, 96, 128, 192, 256, ... 8k: cache index i
 * holds 2^i bytes, except 1 (96) and 2 (192).  Larger requests come
 * straight from the page allocator, up to KMALLOC_MAX_SIZE.
 */
#define KMALLOC_SHIFT_LOW	3
#define KMALLOC_SHIFT_HIGH	(PAGE_SHIFT + 1)
#define KMALLOC_MIN_SIZE	(1UL << KMALLOC_SHIFT_LOW)
#define KMALLOC_MAX_CACHE_SIZE	(1UL << KMALLOC_SHIFT_HIGH)
#define KMALLOC_MAX_SIZE	(PAGE_SIZE << MAX_PAGE_ORDER)

/* What kmalloc(0) returns: not NULL, and any access faults. kfree() takes it. */
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

enum kmalloc_cache_type {
	KMALLOC_NORMAL,
	KMALLOC_DMA,		/* dma-kmalloc-N, for __GFP_DMA */
	NR_KMALLOC_TYPES
};

extern struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];

static inline enum kmalloc_cache_type kmalloc_type(gfp_t gfp)
{
	return (gfp & __GFP_DMA) ? KMALLOC_DMA : KMALLOC_NORMAL;
}

/*
 * The cache index for 1 <= size <= KMALLOC_MAX_CACHE_SIZE, written so
 * that a constant size folds to a constant.  Agrees with size_index[]
 * (guest/mm/slab_common.c), which serves sizes known only at run time.
 */
static inline __attribute__((always_inline)) unsigned int kmalloc_index(size_t size)
{
	if (size <= 8)
		return 3;
	if (size <= 16)
		return 4;
	if (size <= 32)
		return 5;
	if (size <= 64)
		return 6;
	if (size <= 96)
		return 1;
	if (size <= 128)
		return 7;
	if (size <= 192)
		return 2;
	if (size <= 256)
		return 8;
	if (size <= 512)
		return 9;
	if (size <= 1024)
		return 10;
	if (size <= 2048)
		return 11;
	if (size <= 4096)
		return 12;
	return 13;
}

void *__kmalloc(size_t size, gfp_t gfp);
void *__kmalloc_cache(struct kmem_cache *s, gfp_t gfp, size_t size);

/* A constant size picks its cache at compile time, as in Linux. */
static inline __attribute__((always_inline)) void *kmalloc(size_t size, gfp_t gfp)
{
	if (__builtin_constant_p(size) && size && size <= KMALLOC_MAX_CACHE_SIZE)
		return __kmalloc_cache(kmalloc_caches[kmalloc_type(gfp)][kmalloc_index(size)],
				       gfp, size);
	return __kmalloc(size, gfp);
}

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

/* n * size bytes, or NULL if that overflows. */
static inline void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc(bytes, gfp);
}

static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kmalloc_array(n, size, gfp | __GFP_ZERO);
}

void kfree(const void *p);
/*
 * Resizes p in place when new_size fits its object, else moves it;
 * krealloc(p, 0) frees p and returns ZERO_SIZE_PTR; on failure p is left
 * alone.  With __GFP_ZERO, bytes beyond the old size read as zero, provided
 * every earlier allocation and krealloc of p asked for zeroing too.
 */
void *krealloc(const void *p, size_t new_size, gfp_t gfp);
/* The usable size of p's object; the caller may use all of it. */
size_t ksize(const void *p);

/* The cache kmalloc(size, gfp) uses; NULL for 0 and for page-allocator sizes. */
struct kmem_cache *kmalloc_slab(size_t size, gfp_t gfp);
/* Its name ("kmalloc-96", "dma-kmalloc-8k"), "kmalloc-large" above 8k, NULL for 0. */
const char *kmalloc_cache_name(size_t size, gfp_t gfp);

/* ---- reports, statistics, fault injection, what the host reads ------------ */

enum slab_bug_kind {
	SLAB_BUG_REDZONE,		/* a left or right red zone overwritten */
	SLAB_BUG_KMALLOC_REDZONE,	/* kmalloc's slack (requested size .. class size) */
	SLAB_BUG_POISON,		/* a free object written to */
	SLAB_BUG_PADDING,		/* alignment, object or slab padding overwritten */
	SLAB_BUG_FREEPTR,		/* a free pointer outside its slab or not at an object */
	SLAB_BUG_OBJECT_COUNT,		/* a slab's in-use count disagrees with its free list */
	SLAB_BUG_DOUBLE_FREE,		/* freeing a free object */
	SLAB_BUG_INVALID_FREE,		/* not the start of an object, or not slab memory */
	SLAB_BUG_WRONG_CACHE,		/* kmem_cache_free() to a cache the object is not from */
	SLAB_BUG_LEAK,			/* kmem_cache_destroy() with objects in use */
};

/*
 * One bug.  Byte kinds give the first wrong byte: offset from the object's
 * start (negative in the left red zone), expected and found values.
 * OBJECT_COUNT gives the slab's count (expected) and the count its free
 * list implies (found); LEAK the objects still in use (found) and the
 * first one (object).  Otherwise expected and found are -1.
 */
struct slab_report {
	enum slab_bug_kind kind;
	const char *cache;		/* the cache's name; NULL if not slab memory */
	unsigned long object;		/* the object's address, as callers see it */
	long offset;
	long expected;
	long found;
	unsigned long alloc_caller;	/* SLAB_STORE_USER: last allocation site, else 0 */
	unsigned long free_caller;	/* SLAB_STORE_USER: last free site, else 0 */
	const char *text;		/* Linux's words: "Right Redzone overwritten" */
	const char *fix;		/* what was done about it ("Restoring ..."), or NULL */
};

/* Implemented by the environment: the guest tells the host, the native seam records it. */
void report_slab_bug(const struct slab_report *r);

struct slab_stats {
	unsigned long alloc_fail;	/* NULL returns from slab allocation, all causes */
	unsigned long alloc_injected;	/* of which failslab */
	unsigned long bugs;		/* report_slab_bug() calls */
};
extern struct slab_stats slab_stats;

/* The slab fault-injection site; its filter's cache field matches cache names. */
extern struct fault_attr failslab;
void failslab_configure(const struct fault_config *cfg);
void failslab_rearm(void);

/* Calls fn for every slab of every cache: its first pfn, order and objects in use. */
typedef void (*slab_fn)(void *arg, const char *cache, unsigned long pfn, unsigned int order,
			unsigned int inuse, unsigned int objects);
void walk_slabs(slab_fn fn, void *arg);

/*
 * /proc/slabinfo, version 2.1, newest cache first: returns the length
 * written, or -1 if it did not fit (buf then holds a NUL-terminated prefix).
 */
int slabinfo_show(char *buf, size_t size);

#endif
