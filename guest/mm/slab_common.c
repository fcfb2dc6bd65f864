// SPDX-License-Identifier: MIT
/*
 * What Linux's slab allocators share (mm/slab_common.c): creating and
 * destroying caches, the kmalloc size classes and their caches, kmalloc,
 * kfree, krealloc, ksize, and /proc/slabinfo.
 *
 * kmalloc serves sizes up to KMALLOC_MAX_CACHE_SIZE from a cache per size
 * class (one set for ordinary memory, one for __GFP_DMA), and larger ones
 * straight from the page allocator: such a block's head page carries
 * PG_large_kmalloc and its order, which is how kfree() tells the two apart.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/seq_buf.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "slab.h"

struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];

/*
 * The cache of struct kmem_cache.  It cannot come from itself, so it is
 * static (Linux makes it the same way, then copies it into itself).
 */
static struct kmem_cache kmem_cache_boot;
static struct kmem_cache *kmem_cache;

#define SLAB_CREATE_FLAGS	(SLAB_DEBUG_FLAGS | SLAB_FAILSLAB | SLAB_KMALLOC | SLAB_HWCACHE_ALIGN | \
				 SLAB_CACHE_DMA)

/*
 * copy_name: keep a copy of name in the cache, for callers whose string
 * may go away; the kmalloc caches' names are static and kept as they are
 * (two dozen fewer copies at boot, where each instruction is emulated).
 */
static struct kmem_cache *create_cache(const char *name, unsigned int size, unsigned int align,
				       slab_flags_t flags, void (*ctor)(void *), bool copy_name)
{
	size_t len = copy_name ? strlen(name) : 0;
	struct kmem_cache *s;

	if ((flags & ~SLAB_CREATE_FLAGS) || len >= KMEM_CACHE_NAME_MAX)
		goto fail;
	s = kmem_cache_alloc(kmem_cache, GFP_KERNEL);
	if (!s)
		goto fail;
	if (__kmem_cache_create(s, name, size, align, flags, ctor)) {
		kmem_cache_free(kmem_cache, s);
		goto fail;
	}
	if (copy_name) {
		memcpy(s->name_buf, name, len + 1);
		s->name = s->name_buf;
	}
	list_add(&s->list, &slab_caches);
	return s;
fail:
	pr_warn("kmem_cache_create(%s) failed: size %u align %u flags 0x%x\n", name, size, align,
		flags);
	return NULL;
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *))
{
	return create_cache(name, size, align, flags, ctor, true);
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	if (!s || __kmem_cache_shutdown(s))
		return;
	list_del(&s->list);
	kmem_cache_free(kmem_cache, s);
}

/* ---- kmalloc caches ------------------------------------------------------------ */

/*
 * The cache index for every size up to KMALLOC_MAX_CACHE_SIZE, by
 * (size - 1) / 8: Linux's size_index[] for sizes 1..192 (so that 96 and
 * 192 get their own classes: 72..96 -> 96, 136..192 -> 192), and the
 * power of two above for the rest.  Linux finds the larger sizes with
 * fls() behind a `size <= 192` test; a size drawn at random makes that
 * branch a coin toss, where one load from this kilobyte (a few of whose
 * lines are hot) costs no prediction at all (mimalloc's size-to-bin
 * table does the same).
 */
static const u8 size_index[KMALLOC_MAX_CACHE_SIZE / 8] = {
	3,	/* 8 */
	4,	/* 16 */
	5,	/* 24 */
	5,	/* 32 */
	6,	/* 40 */
	6,	/* 48 */
	6,	/* 56 */
	6,	/* 64 */
	1,	/* 72 */
	1,	/* 80 */
	1,	/* 88 */
	1,	/* 96 */
	7,	/* 104 */
	7,	/* 112 */
	7,	/* 120 */
	7,	/* 128 */
	2,	/* 136 */
	2,	/* 144 */
	2,	/* 152 */
	2,	/* 160 */
	2,	/* 168 */
	2,	/* 176 */
	2,	/* 184 */
	2,	/* 192 */
	[24 ... 31] = 8,	/* 200..256 */
	[32 ... 63] = 9,	/* ..512 */
	[64 ... 127] = 10,	/* ..1k */
	[128 ... 255] = 11,	/* ..2k */
	[256 ... 511] = 12,	/* ..4k */
	[512 ... 1023] = 13,	/* ..8k */
};

/* For 1 <= size <= KMALLOC_MAX_CACHE_SIZE. */
static inline unsigned int kmalloc_size_index(size_t size)
{
	return size_index[(size - 1) / 8];
}

static const char *const kmalloc_names[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1] = {
	[KMALLOC_NORMAL] = {
		NULL, "kmalloc-96", "kmalloc-192", "kmalloc-8", "kmalloc-16", "kmalloc-32",
		"kmalloc-64", "kmalloc-128", "kmalloc-256", "kmalloc-512", "kmalloc-1k",
		"kmalloc-2k", "kmalloc-4k", "kmalloc-8k",
	},
	[KMALLOC_DMA] = {
		NULL, "dma-kmalloc-96", "dma-kmalloc-192", "dma-kmalloc-8", "dma-kmalloc-16",
		"dma-kmalloc-32", "dma-kmalloc-64", "dma-kmalloc-128", "dma-kmalloc-256",
		"dma-kmalloc-512", "dma-kmalloc-1k", "dma-kmalloc-2k", "dma-kmalloc-4k",
		"dma-kmalloc-8k",
	},
};

static unsigned int kmalloc_index_size(unsigned int index)
{
	return index == 1 ? 96 : index == 2 ? 192 : 1U << index;
}

/*
 * A DMA kmalloc cache has its ordinary twin's layout unless slab_debug
 * gives it other debug flags: then it is a copy of the twin, which saves
 * working the layout out again (a few hundred instructions per cache, at
 * a boot whose every instruction is emulated).  NULL: make it the long way.
 */
static struct kmem_cache *create_dma_twin(const struct kmem_cache *twin, const char *name,
					  slab_flags_t flags)
{
	struct kmem_cache *s;

	if (!twin || kmem_cache_flags(flags, name) != (twin->flags | SLAB_CACHE_DMA))
		return NULL;
	s = kmem_cache_alloc(kmem_cache, GFP_KERNEL);
	if (!s)
		return NULL;
	if (__kmem_cache_create_like(s, twin, name, SLAB_CACHE_DMA)) {
		kmem_cache_free(kmem_cache, s);
		return NULL;
	}
	list_add(&s->list, &slab_caches);
	return s;
}

/*
 * kmalloc objects are aligned to the largest power of two dividing their
 * size (Linux guarantees it): a power-of-two size to itself, 96 to 32.
 */
static void create_kmalloc_cache(enum kmalloc_cache_type type, unsigned int index)
{
	unsigned int size = kmalloc_index_size(index);
	slab_flags_t flags = SLAB_KMALLOC | (type == KMALLOC_DMA ? SLAB_CACHE_DMA : 0);
	const char *name = kmalloc_names[type][index];
	struct kmem_cache *s = NULL;

	if (type == KMALLOC_DMA)
		s = create_dma_twin(kmalloc_caches[KMALLOC_NORMAL][index], name, flags);
	if (!s)
		s = create_cache(name, size, size & -size, flags, NULL, false);
	if (!s)
		panic("kmem_cache_init: cannot create %s", name);
	kmalloc_caches[type][index] = s;
}

void kmem_cache_init(void)
{
	unsigned int i, type;

	kmem_cache = &kmem_cache_boot;
	if (__kmem_cache_create(kmem_cache, "kmem_cache", sizeof(struct kmem_cache), 0,
				SLAB_HWCACHE_ALIGN, NULL))
		panic("kmem_cache_init: cannot create the kmem_cache cache");
	list_add(&kmem_cache->list, &slab_caches);
	for (type = 0; type < NR_KMALLOC_TYPES; type++)
		for (i = 1; i <= KMALLOC_SHIFT_HIGH; i++)
			if (i < 3 || i >= KMALLOC_SHIFT_LOW)
				create_kmalloc_cache(type, i);
}

struct kmem_cache *kmalloc_slab(size_t size, gfp_t gfp)
{
	if (!size || size > KMALLOC_MAX_CACHE_SIZE)
		return NULL;
	return kmalloc_caches[kmalloc_type(gfp)][kmalloc_size_index(size)];
}

const char *kmalloc_cache_name(size_t size, gfp_t gfp)
{
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return "kmalloc-large";
	return size ? kmalloc_slab(size, gfp)->name : NULL;
}

/* ---- kmalloc and kfree ------------------------------------------------------------ */

/* Straight from the page allocator: the head page remembers the order for kfree(). */
static void *kmalloc_large(size_t size, gfp_t gfp)
{
	struct page *page;

	if (unlikely(size > KMALLOC_MAX_SIZE)) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("kmalloc: %zu bytes is more than KMALLOC_MAX_SIZE\n", size);
		return NULL;
	}
	page = alloc_pages(gfp, get_order(size));
	if (!page)
		return NULL;
	page->flags |= 1UL << PG_large_kmalloc;
	page->private = get_order(size);
	return page_address(page);
}

/* Always inlined: slab_alloc() names the caller of the function this ends up in. */
static inline __attribute__((always_inline)) void *kmalloc_inline(size_t size, gfp_t gfp)
{
	struct kmem_cache *s;

	/* One test for both rare cases: size 0 wraps around. */
	if (unlikely(size - 1 >= KMALLOC_MAX_CACHE_SIZE))
		return size ? kmalloc_large(size, gfp) : ZERO_SIZE_PTR;
	/*
	 * A branch, as Linux's kmalloc_type() has: DMA requests are rare
	 * enough to predict, and it costs three instructions fewer than
	 * indexing by the flag.
	 */
	if (likely(!(gfp & __GFP_DMA)))
		s = kmalloc_caches[KMALLOC_NORMAL][kmalloc_size_index(size)];
	else
		s = kmalloc_caches[KMALLOC_DMA][kmalloc_size_index(size)];
	return slab_alloc(s, gfp, size);
}

void *__kmalloc(size_t size, gfp_t gfp)
{
	return kmalloc_inline(size, gfp);
}

void *__kmalloc_cache(struct kmem_cache *s, gfp_t gfp, size_t size)
{
	return slab_alloc(s, gfp, size);
}

static void free_large_kmalloc(const void *x)
{
	struct page *page = virt_to_page_or_null(x);
	unsigned int order;

	if (unlikely(!page || !PageLargeKmalloc(page))) {
		slab_bug_invalid_free(x, "Not a kmalloc object (freed already?)");
		return;
	}
	if (unlikely((unsigned long)x & ~PAGE_MASK)) {
		slab_bug_invalid_free(x, "Not the start of a kmalloc block");
		return;
	}
	order = (unsigned int)page->private;
	page->flags &= ~(1UL << PG_large_kmalloc);
	page->private = 0;
	__free_pages(page, order);
}

/*
 * NULL and ZERO_SIZE_PTR are not slab memory either (their frame numbers
 * lie far beyond max_pfn, in the guest and natively), so the fast path
 * does not test for them: that costs kfree() two instructions fewer.
 */
void kfree(const void *x)
{
	struct page *page;
	struct slab *slab;

	page = virt_to_slab_page(x);
	if (unlikely(!page)) {
		if (!ZERO_OR_NULL_PTR(x))
			free_large_kmalloc(x);
		return;
	}
	slab = page_slab(page)->slab_head;
	slab_free(slab, (void *)x);
}

size_t ksize(const void *x)
{
	struct slab *slab;
	struct page *page;

	if (ZERO_OR_NULL_PTR(x))
		return 0;
	slab = virt_to_slab(x);
	if (slab)
		return slab_ksize(slab->slab_cache, (void *)x);
	page = virt_to_page_or_null(x);
	if (page && PageLargeKmalloc(page))
		return PAGE_SIZE << page->private;
	return 0;
}

/*
 * Linux's __do_krealloc(): in place when the object is big enough (the
 * slack's red zone, if any, follows the new size), else a new object
 * with the old contents.  Without a recorded request size the whole old
 * object is copied, and __GFP_ZERO clears the tail beyond the new size so
 * that a later grow finds zeros there.
 */
static inline __attribute__((always_inline)) void *do_krealloc(void *p, size_t new_size,
								 gfp_t gfp)
{
	struct kmem_cache *s = NULL;
	size_t ks = 0, orig_size = 0;
	struct slab *slab;
	void *ret;

	if (!ZERO_OR_NULL_PTR(p)) {
		slab = virt_to_slab(p);
		if (slab) {
			s = slab->slab_cache;
			ks = s->object_size;
			orig_size = slab_orig_size(s, p);
		} else {
			ks = orig_size = ksize(p);
		}
	}
	if (new_size > ks) {
		ret = kmalloc_inline(new_size, gfp);
		if (ret && orig_size)
			memcpy(ret, p, orig_size);
		return ret;
	}
	if (gfp & __GFP_ZERO) {
		if (orig_size < new_size)
			memset((char *)p + orig_size, 0, new_size - orig_size);
		else
			memset((char *)p + new_size, 0, ks - new_size);
	}
	if (s)
		slab_set_orig_size(s, p, new_size);
	return p;
}

void *krealloc(const void *p, size_t new_size, gfp_t gfp)
{
	void *ret;

	if (unlikely(!new_size)) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	ret = do_krealloc((void *)p, new_size, gfp);
	if (ret && ret != p)
		kfree(p);
	return ret;
}

/* ---- /proc/slabinfo ----------------------------------------------------------------- */

int slabinfo_show(char *buf, size_t size)
{
	unsigned long active, total;
	struct kmem_cache *s;
	struct seq_buf m;

	seq_buf_init(&m, buf, size);
	seq_buf_printf(&m, "slabinfo - version: 2.1\n");
	seq_buf_printf(&m, "# name            <active_objs> <num_objs> <objsize> <objperslab> "
		       "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata "
		       "<active_slabs> <num_slabs> <sharedavail>\n");
	list_for_each_entry(s, &slab_caches, list) {
		slab_active_objects(s, &active, &total);
		seq_buf_printf(&m, "%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u "
			       ": slabdata %6lu %6lu %6lu\n",
			       s->name, active, total, s->size, s->objects, 1 << s->order, 0U, 0U,
			       0U, s->node.nr_slabs, s->node.nr_slabs, 0UL);
	}
	return m.overflow ? -1 : (int)m.len;
}
