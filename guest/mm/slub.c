// SPDX-License-Identifier: MIT
/*
 * SLUB: caches of equal-sized objects carved out of slabs (blocks of
 * pages from the buddy allocator), after Linux's mm/slub.c.
 *
 * Each cache has one CPU slab (there is one CPU) whose free objects form
 * a list threaded through the objects themselves; allocation pops it.  A
 * free pushes onto its own slab's free list, the CPU slab's too, which
 * allocation takes over when the CPU list runs dry (slab.h, a handful of
 * instructions each).  Other slabs are on the cache's partial list (some
 * objects free) or full list; a slab whose last object is freed goes back
 * to the page allocator unless the cache keeps fewer than min_partial
 * partial slabs.
 *
 * The debug flags (SLAB_DEBUG_FLAGS, or the slab_debug= option) take every
 * allocation and free of a cache through the slow path, one object at a
 * time straight from its slab's free list, where they lay out and check
 * red zones, poison, owner tracking and the free lists themselves, as
 * Linux does: Z and P only lay the patterns out, F checks them on every
 * allocation and free, and kmem_cache_validate() checks them on request.
 * What is found is reported once (report_slab_bug()) and repaired so that
 * the kernel carries on: bytes restored, a bad free list cut short, a
 * suspect slab marked full so it hands out nothing more.
 *
 * Invariants, for a cache s and each slab of it:
 *   - a slab is the CPU slab (s->cpu_slab.slab; its free objects are on
 *     s->cpu_slab.freelist, counted in inuse, and on slab->freelist, what
 *     was freed since the CPU took the slab's list over), or on
 *     s->node.partial (slab->freelist != NULL), or on s->node.full
 *     (slab->freelist == NULL); so a slab's list follows from its
 *     freelist;
 *   - fast_frees is as set_fast_frees() says, for every slab;
 *   - a cache without fast paths (debug flags, a constructor) never has a
 *     CPU slab;
 *   - node.nr_slabs and node.total_objects count every slab of the cache.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/poison.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "slab.h"

struct list_head slab_caches = LIST_HEAD_INIT(slab_caches);
struct slab_stats slab_stats;
struct fault_attr failslab = FAULT_ATTR_INITIALIZER("failslab");

/* Linux's slub_min_objects for one CPU (4 * (fls(nr_cpus) + 1)) and slub_max_order. */
#define SLUB_MIN_OBJECTS	8
#define SLUB_MAX_ORDER		PAGE_ALLOC_COSTLY_ORDER
/*
 * kmalloc caches serve churns of many sizes with many objects live, where
 * a slab's free objects come back one at a time, in random order: each
 * refill of the CPU freelist brings what was freed into one slab since it
 * last was the CPU slab, so a larger slab brings more per refill.
 * They take slabs of at least 256 objects, up to order 4 (64 KiB, the
 * size of mimalloc's pages for small objects): kmalloc-64 takes four
 * pages, kmalloc-256 sixteen, kmalloc-8k eight objects in sixteen pages.
 * Against 128 objects up to order 3, this took the churns of
 * tests/bench/bench_slab.c from about 0.63, 0.90 and 0.96 of mimalloc's
 * time to 0.52, 0.68 and 0.85 (docs/performance.md).  Other caches keep
 * Linux's sizing.
 */
#define SLUB_KMALLOC_MIN_OBJECTS	256
#define SLUB_KMALLOC_MAX_ORDER		4
/* Linux's bounds on min_partial. */
#define MIN_PARTIAL		5
#define MAX_PARTIAL		10
/* The smallest slot is a word, and a slab larger than SLUB_MAX_ORDER holds few objects. */
#define MAX_OBJS_PER_SLAB	((PAGE_SIZE << SLUB_MAX_ORDER) / sizeof(void *))

/* SLAB_STORE_USER: who last allocated and freed an object. */
struct track {
	unsigned long addr;
};

enum track_item { TRACK_ALLOC, TRACK_FREE };

/* ---- slab_debug= ----------------------------------------------------------- */

#define SLAB_DEBUG_ARG_MAX	256

static slab_flags_t slab_debug_global;		/* a block without cache names */
static bool slab_debug_no_higher_order;		/* O: Linux's disable_higher_order_debug */
static char slab_debug_string[SLAB_DEBUG_ARG_MAX];	/* the option, for the named blocks */

/* A parse of the option: at boot (init: say what is skipped), or again for a new cache. */
struct debug_parse {
	bool init;
	bool no_higher_order;	/* an O anywhere */
	int err;
};

/* Linux's letters, as its parse_slub_debug_flags() reads them. */
static void debug_letter(char c, slab_flags_t *flags, struct debug_parse *p)
{
	switch (c) {
	case '-':
		*flags = 0;
		return;
	case 'f': case 'F':
		*flags |= SLAB_CONSISTENCY_CHECKS;
		return;
	case 'z': case 'Z':
		*flags |= SLAB_RED_ZONE;
		return;
	case 'p': case 'P':
		*flags |= SLAB_POISON;
		return;
	case 'u': case 'U':
		*flags |= SLAB_STORE_USER;
		return;
	case 't': case 'T':
		*flags |= SLAB_TRACE;
		return;
	case 'a': case 'A':
		*flags |= SLAB_FAILSLAB;
		return;
	case 'o': case 'O':
		p->no_higher_order = true;
		return;
	}
	if (p->init)
		pr_err("slab_debug option '%c' unknown. skipped\n", c);
}

/*
 * One block, "letters[,name,...]": its flags (no letters: FZPU, as in
 * Linux) and where its names start (NULL: none).  Returns where the next
 * block starts, or NULL after the last one.
 */
static const char *parse_block(const char *s, slab_flags_t *flags, const char **names,
			       struct debug_parse *p)
{
	*flags = (*s == ',') ? SLAB_DEBUG_DEFAULT_FLAGS : 0;
	for (; *s && *s != ',' && *s != ';'; s++)
		debug_letter(*s, flags, p);
	*names = NULL;
	if (*s == ',')
		*names = ++s;
	for (; *s && *s != ';'; s++)
		if (*s == ',' && (s[1] == ',' || s[1] == ';' || !s[1]))
			p->err = -EINVAL;
	if (*names && (**names == ',' || **names == ';' || !**names))
		p->err = -EINVAL;
	return *s ? s + 1 : NULL;
}

int slab_debug_setup(const char *arg)
{
	slab_flags_t flags, global = *arg ? 0 : SLAB_DEBUG_DEFAULT_FLAGS;
	struct debug_parse p = { .init = true };
	size_t len = strlen(arg);
	const char *s, *names;

	if (len >= sizeof(slab_debug_string))
		return -E2BIG;
	for (s = arg; s && *s; ) {
		if (*s == ';') {	/* empty blocks are skipped */
			s++;
			continue;
		}
		s = parse_block(s, &flags, &names, &p);
		if (!names)
			global = flags;
	}
	if (p.err)
		return p.err;
	slab_debug_global = global;
	slab_debug_no_higher_order = p.no_higher_order;
	memcpy(slab_debug_string, arg, len + 1);
	return 0;
}

static bool pattern_matches(const char *pat, size_t n, const char *name)
{
	if (n && pat[n - 1] == '*')
		return !strncmp(pat, name, n - 1);
	return strlen(name) == n && !strncmp(pat, name, n);
}

/* Does name match one of the comma-separated patterns that start at list? */
static bool cache_listed(const char *list, const char *name)
{
	size_t n;

	for (;; list += n + 1) {
		for (n = 0; list[n] && list[n] != ',' && list[n] != ';'; n++)
			;
		if (pattern_matches(list, n, name))
			return true;
		if (list[n] != ',')
			return false;
	}
}

/* The flags a new cache gets: its first block that names it, else the global block. */
static noinline slab_flags_t named_block_flags(slab_flags_t flags, const char *name)
{
	const char *s = slab_debug_string, *names;
	struct debug_parse p = {};
	slab_flags_t block;

	while (s && *s) {
		if (*s == ';') {
			s++;
			continue;
		}
		s = parse_block(s, &block, &names, &p);
		if (names && cache_listed(names, name))
			return flags | block;
	}
	return flags | slab_debug_global;
}

/*
 * Without a slab_debug option there is nothing to parse: out at once, as
 * boot creates its 28 caches (the parser's stack frame alone costs more).
 */
slab_flags_t kmem_cache_flags(slab_flags_t flags, const char *name)
{
	if (!slab_debug_string[0])
		return flags | slab_debug_global;
	return named_block_flags(flags, name);
}

/* ---- object layout ---------------------------------------------------------- */

static inline bool slab_tracks_orig_size(const struct kmem_cache *s)
{
	return (s->flags & SLAB_KMALLOC) && (s->flags & (SLAB_RED_ZONE | SLAB_STORE_USER));
}

/* Where an object's metadata ends, from its start. */
static inline unsigned int meta_end(const struct kmem_cache *s)
{
	return s->orig_size_offset + (slab_tracks_orig_size(s) ? sizeof(unsigned int) : 0);
}

/* Small objects are not padded to a whole cache line (Linux's calculate_alignment()). */
static unsigned int calculate_alignment(slab_flags_t flags, unsigned int align, unsigned int size)
{
	unsigned int ralign = 64;	/* L1 cache line */

	if (flags & SLAB_HWCACHE_ALIGN) {
		while (size <= ralign / 2)
			ralign /= 2;
		align = max(align, ralign);
	}
	return ALIGN(max(align, (unsigned int)sizeof(void *)), sizeof(void *));
}

static inline __attribute__((always_inline)) void calculate_sizes(struct kmem_cache *s)
{
	unsigned int size = ALIGN(s->object_size, sizeof(void *));

	/* The right red zone: the slack up to a word, or a whole word if there is none. */
	if ((s->flags & SLAB_RED_ZONE) && size == s->object_size)
		size += sizeof(void *);
	s->inuse = size;
	if ((s->flags & (SLAB_POISON | SLAB_RED_ZONE)) || s->ctor) {
		s->offset = size;
		size += sizeof(void *);
	}
	s->track_offset = size;
	if (s->flags & SLAB_STORE_USER)
		size += 2 * sizeof(struct track);
	s->orig_size_offset = size;
	size = meta_end(s);
	if (s->flags & SLAB_RED_ZONE) {
		s->red_left_pad = ALIGN(sizeof(void *), s->align);
		size += s->red_left_pad;
	}
	s->size = ALIGN(size, s->align);
}

/*
 * Linux's calc_slab_order(): the smallest order that holds at least
 * min_objects (or as many as max_order can) and wastes at most
 * 1/16 of the slab, else 1/8, else 1/4; objects too large for that get
 * the smallest order that holds one.  Always inline, so that each
 * caller's constant max_order folds: boot makes 27 caches.
 */
static inline __attribute__((always_inline)) unsigned int
calculate_order(unsigned int size, unsigned long min_objects, unsigned int max_order)
{
	unsigned long slab_size;
	unsigned int order, fraction;

	min_objects = min(min_objects, (PAGE_SIZE << max_order) / size);

	for (fraction = 16; min_objects && fraction >= 4; fraction /= 2) {
		for (order = get_order(min_objects * size); order <= max_order; order++) {
			slab_size = PAGE_SIZE << order;
			if (slab_size % size <= slab_size / fraction)
				return order;
		}
	}
	return get_order(size);
}

/* name is kept, not copied: the caller keeps it alive (slab_common.c copies for others). */
int __kmem_cache_create(struct kmem_cache *s, const char *name, unsigned int size,
			unsigned int align, slab_flags_t flags, void (*ctor)(void *))
{
	if (!size || size > KMALLOC_MAX_SIZE || (align & (align - 1)))
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->flags = kmem_cache_flags(flags, name);
	s->object_size = size;
	s->ctor = ctor;
	s->align = calculate_alignment(s->flags, align, size);
	s->allocflags = (s->flags & SLAB_CACHE_DMA) ? __GFP_DMA : 0;
	calculate_sizes(s);
	if ((s->flags & SLAB_KMALLOC) && !kmem_cache_debug(s)) {
		s->order = calculate_order(s->size, SLUB_KMALLOC_MIN_OBJECTS,
					   SLUB_KMALLOC_MAX_ORDER);
	} else {
		/* O: metadata that would raise the order one object needs goes, as in Linux. */
		if (kmem_cache_debug(s) && slab_debug_no_higher_order &&
		    get_order(s->size) > get_order(s->object_size)) {
			s->flags &= ~SLAB_DEBUG_METADATA_FLAGS;
			calculate_sizes(s);
		}
		s->order = calculate_order(s->size, SLUB_MIN_OBJECTS, SLUB_MAX_ORDER);
	}
	s->min_order = get_order(s->size);
	s->objects = (PAGE_SIZE << s->order) / s->size;
	if (s->order > MAX_PAGE_ORDER || s->objects > MAX_OBJS_PER_SLAB)
		return -EINVAL;
	s->min_partial = clamp((unsigned long)(fls_long(s->size) - 1) / 2, (unsigned long)MIN_PARTIAL,
			       (unsigned long)MAX_PARTIAL);
	INIT_LIST_HEAD(&s->node.partial);
	INIT_LIST_HEAD(&s->node.full);
	return 0;
}

/*
 * A cache laid out as from, with another name and extra flags that leave
 * the layout alone (SLAB_CACHE_DMA): from's sizes copied, its slabs and
 * lists not.  The caller checked that the name brings the same debug flags.
 */
int __kmem_cache_create_like(struct kmem_cache *s, const struct kmem_cache *from,
			     const char *name, slab_flags_t extra)
{
	if (extra & ~SLAB_CACHE_DMA)
		return -EINVAL;
	*s = *from;
	s->name = name;
	s->flags |= extra;
	s->allocflags = (s->flags & SLAB_CACHE_DMA) ? __GFP_DMA : 0;
	s->cpu_slab = (struct kmem_cache_cpu){};
	s->node = (struct kmem_cache_node){};
	INIT_LIST_HEAD(&s->node.partial);
	INIT_LIST_HEAD(&s->node.full);
	return 0;
}

const char *kmem_cache_name(const struct kmem_cache *s)
{
	return s->name;
}

unsigned int kmem_cache_size(const struct kmem_cache *s)
{
	return s->object_size;
}

/* ---- per-object metadata ---------------------------------------------------- */

static struct track *get_track(const struct kmem_cache *s, void *object, enum track_item item)
{
	return (struct track *)((char *)object + s->track_offset) + item;
}

static void set_track(const struct kmem_cache *s, void *object, enum track_item item,
		      unsigned long addr)
{
	if (s->flags & SLAB_STORE_USER)
		get_track(s, object, item)->addr = addr;
}

static unsigned int *orig_size_slot(const struct kmem_cache *s, void *object)
{
	return (unsigned int *)((char *)object + s->orig_size_offset);
}

unsigned int slab_orig_size(const struct kmem_cache *s, void *object)
{
	return slab_tracks_orig_size(s) ? *orig_size_slot(s, object) : s->object_size;
}

static void set_orig_size(const struct kmem_cache *s, void *object, size_t orig_size)
{
	if (slab_tracks_orig_size(s))
		*orig_size_slot(s, object) = (unsigned int)orig_size;
}

/* krealloc within the object: the slack red zone follows the new size. */
void slab_set_orig_size(struct kmem_cache *s, void *object, size_t new_size)
{
	if (!slab_tracks_orig_size(s))
		return;
	set_orig_size(s, object, new_size);
	if (s->flags & SLAB_RED_ZONE)
		memset((char *)object + new_size, SLUB_RED_ACTIVE, s->object_size - new_size);
}

/* Callers of ksize() may use the whole object: its slack is theirs from now on (Linux too). */
size_t slab_ksize(struct kmem_cache *s, void *object)
{
	set_orig_size(s, object, s->object_size);
	return s->object_size;
}

/*
 * Lays out red zones (val: active or inactive) and poison.  An allocated
 * kmalloc object is poisoned up to the size asked for only; the slack
 * beyond joins the right red zone.  Poison would destroy what a
 * constructor built, so caches with one are not poisoned.
 */
static void init_object(const struct kmem_cache *s, u8 *p, u8 val)
{
	unsigned int poison_size = s->object_size;

	if (s->flags & SLAB_RED_ZONE) {
		memset(p - s->red_left_pad, val, s->red_left_pad);
		if (slab_tracks_orig_size(s) && val == SLUB_RED_ACTIVE)
			poison_size = *orig_size_slot(s, p);
	}
	if ((s->flags & SLAB_POISON) && !s->ctor && poison_size) {
		memset(p, POISON_FREE, poison_size - 1);
		p[poison_size - 1] = POISON_END;
	}
	if (s->flags & SLAB_RED_ZONE)
		memset(p + poison_size, val, s->inuse - poison_size);
}

/* ---- reports ----------------------------------------------------------------- */

static bool byte_bug(enum slab_bug_kind kind)
{
	return kind == SLAB_BUG_REDZONE || kind == SLAB_BUG_KMALLOC_REDZONE ||
	       kind == SLAB_BUG_POISON || kind == SLAB_BUG_PADDING;
}

/* One console line (two with a fix: each is an exit in the guest), then the report. */
static void slab_bug(const struct slab_report *r)
{
	slab_stats.bugs++;
	if (byte_bug(r->kind))
		printk("BUG %s: %s: object 0x%lx offset %ld: 0x%02lx instead of 0x%02lx\n",
		       r->cache ? r->cache : "(none)", r->text, r->object, r->offset, r->found,
		       r->expected);
	else
		printk("BUG %s: %s: object 0x%lx\n", r->cache ? r->cache : "(none)", r->text,
		       r->object);
	if (r->fix)
		printk("FIX %s: %s\n", r->cache ? r->cache : "(none)", r->fix);
	report_slab_bug(r);
}

static void report_init(struct slab_report *r, const struct kmem_cache *s, enum slab_bug_kind kind,
			const void *object, const char *text, const char *fix)
{
	*r = (struct slab_report){
		.kind = kind,
		.cache = s ? s->name : NULL,
		.object = (unsigned long)object,
		.expected = -1,
		.found = -1,
		.text = text,
		.fix = fix,
	};
}

/*
 * A bug at a known-good object address, and who allocated and freed it
 * last; byte bugs also give the first wrong byte (offset from the object,
 * expected and found values), free-pointer bugs the pointer's offset and
 * the value found there, others pass -1 for both values.
 */
static void object_bug_at(const struct kmem_cache *s, void *object, enum slab_bug_kind kind,
			  const char *text, const char *fix, long offset, long expected, long found)
{
	struct slab_report r;

	report_init(&r, s, kind, object, text, fix);
	r.offset = offset;
	r.expected = expected;
	r.found = found;
	if (s->flags & SLAB_STORE_USER) {
		r.alloc_caller = get_track(s, object, TRACK_ALLOC)->addr;
		r.free_caller = get_track(s, object, TRACK_FREE)->addr;
	}
	slab_bug(&r);
}

static void object_bug(const struct kmem_cache *s, void *object, enum slab_bug_kind kind,
		       const char *text, const char *fix)
{
	object_bug_at(s, object, kind, text, fix, 0, -1, -1);
}

/* A bug in a slab's own bookkeeping: reported against the slab's first byte. */
static void slab_err(struct kmem_cache *s, struct slab *slab, enum slab_bug_kind kind,
		     long expected, long found, const char *text, const char *fix)
{
	struct slab_report r;

	report_init(&r, s, kind, slab_address(slab), text, fix);
	r.expected = expected;
	r.found = found;
	slab_bug(&r);
}

/* A bad pointer handed to kfree(): no slab, or not at an object's start. */
void slab_bug_invalid_free(const void *x, const char *why)
{
	struct slab_report r;

	report_init(&r, NULL, SLAB_BUG_INVALID_FREE, x, why, "Object not freed");
	slab_bug(&r);
}

/* ---- checks -------------------------------------------------------------------- */

struct check_area {
	enum slab_bug_kind kind;
	const char *text;
	const char *fix;
};

static const struct check_area left_redzone = {
	SLAB_BUG_REDZONE, "Left Redzone overwritten", "Restoring Left Redzone" };
static const struct check_area right_redzone = {
	SLAB_BUG_REDZONE, "Right Redzone overwritten", "Restoring Right Redzone" };
static const struct check_area kmalloc_redzone = {
	SLAB_BUG_KMALLOC_REDZONE, "kmalloc Redzone overwritten", "Restoring kmalloc Redzone" };
static const struct check_area poison_area = {
	SLAB_BUG_POISON, "Poison overwritten", "Restoring Poison" };
static const struct check_area alignment_padding = {
	SLAB_BUG_PADDING, "Alignment padding overwritten", "Restoring Alignment padding" };
static const struct check_area object_padding = {
	SLAB_BUG_PADDING, "Object padding overwritten", "Restoring Object padding" };

/*
 * Are the bytes [start, start + bytes) all value?  If not, reports the
 * first wrong one and writes value back over the whole wrong stretch, so
 * that one overwrite is reported once.
 */
static u8 *find_wrong_byte(u8 *start, u8 value, size_t bytes, u8 **end)
{
	u8 *fault = start;

	*end = start + bytes;
	while (fault < *end && *fault == value)
		fault++;
	if (fault == *end)
		return NULL;
	while ((*end)[-1] == value)
		(*end)--;
	return fault;
}

static bool check_bytes(const struct kmem_cache *s, u8 *object, const struct check_area *a,
			u8 *start, u8 value, size_t bytes)
{
	u8 *end, *fault = find_wrong_byte(start, value, bytes, &end);

	if (!fault)
		return true;
	object_bug_at(s, object, a->kind, a->text, a->fix, (long)(fault - object), value, *fault);
	memset(fault, value, (size_t)(end - fault));
	return false;
}

static bool check_valid_pointer(const struct kmem_cache *s, struct slab *slab, const void *object)
{
	unsigned long off;

	if (!object)
		return true;
	off = (unsigned long)object - (unsigned long)slab_address(slab) - s->red_left_pad;
	return off < (unsigned long)slab->objects * s->size && off % s->size == 0;
}

static bool check_object(struct kmem_cache *s, struct slab *slab, u8 *p, u8 val)
{
	u8 *endobject = p + s->object_size;
	unsigned int orig;
	bool ok = true;

	if (s->flags & SLAB_RED_ZONE) {
		ok &= check_bytes(s, p, &left_redzone, p - s->red_left_pad, val, s->red_left_pad);
		ok &= check_bytes(s, p, &right_redzone, endobject, val, s->inuse - s->object_size);
		orig = slab_orig_size(s, p);
		if (val == SLUB_RED_ACTIVE && orig < s->object_size)
			ok &= check_bytes(s, p, &kmalloc_redzone, p + orig, val, s->object_size - orig);
	} else if ((s->flags & SLAB_POISON) && s->object_size < s->inuse) {
		ok &= check_bytes(s, p, &alignment_padding, endobject, POISON_INUSE,
				  s->inuse - s->object_size);
	}
	if (s->flags & SLAB_POISON) {
		if (val == SLUB_RED_INACTIVE && !s->ctor)
			ok &= check_bytes(s, p, &poison_area, p, POISON_FREE, s->object_size - 1) &&
			      check_bytes(s, p, &poison_area, endobject - 1, POISON_END, 1);
		ok &= check_bytes(s, p, &object_padding, p + meta_end(s), POISON_INUSE,
				  s->size - s->red_left_pad - meta_end(s));
	}
	/* A free pointer means something only while the object is free. */
	if (val == SLUB_RED_INACTIVE && !check_valid_pointer(s, slab, get_freepointer(s, p))) {
		object_bug_at(s, p, SLAB_BUG_FREEPTR, "Freepointer corrupt",
			      "Isolating the rest of the slab's free list", s->offset, -1,
			      (long)get_freepointer(s, p));
		set_freepointer(s, p, NULL);
		ok = false;
	}
	return ok;
}

static bool check_slab(struct kmem_cache *s, struct slab *slab)
{
	unsigned int max = (PAGE_SIZE << slab->order) / s->size;

	if (slab->objects > max) {
		slab_err(s, slab, SLAB_BUG_OBJECT_COUNT, max, slab->objects,
			 "Too many objects for the slab's size", NULL);
		return false;
	}
	if (slab->inuse > slab->objects) {
		slab_err(s, slab, SLAB_BUG_OBJECT_COUNT, slab->objects, slab->inuse,
			 "More objects in use than the slab holds", NULL);
		return false;
	}
	return true;
}

static unsigned int obj_to_index(const struct kmem_cache *s, struct slab *slab, const void *p)
{
	return ((unsigned long)p - (unsigned long)slab_address(slab) - s->red_left_pad) / s->size;
}

/*
 * Walks the slab's free list and says whether search is on it.  A free
 * pointer that leads outside the slab, or a list longer than the slab,
 * is reported and the list cut before it (what followed is lost, but
 * never handed out); then an in-use count that disagrees with the list
 * is reported and corrected.
 */
static bool on_freelist(struct kmem_cache *s, struct slab *slab, void *search)
{
	void *fp = slab->freelist, *object = NULL;
	unsigned int nr = 0;

	while (fp && nr <= slab->objects) {
		if (fp == search)
			return true;
		if (!check_valid_pointer(s, slab, fp)) {
			if (object) {
				object_bug_at(s, object, SLAB_BUG_FREEPTR, "Freechain corrupt",
					      "Isolate object", s->offset, -1, (long)fp);
				set_freepointer(s, object, NULL);
			} else {
				slab_err(s, slab, SLAB_BUG_FREEPTR, -1, -1, "Freepointer corrupt",
					 "Freelist cleared");
				slab->freelist = NULL;
			}
			break;
		}
		object = fp;
		fp = get_freepointer(s, object);
		nr++;
	}
	if (nr > slab->objects) {
		slab_err(s, slab, SLAB_BUG_FREEPTR, -1, -1, "Freelist loops", "Freelist cleared");
		slab->freelist = NULL;
		nr = 0;
	}
	if (slab->inuse != slab->objects - nr) {
		slab_err(s, slab, SLAB_BUG_OBJECT_COUNT, slab->inuse, slab->objects - nr,
			 "Wrong object count", "Object count adjusted");
		slab->inuse = slab->objects - nr;
	}
	return false;
}

/*
 * With SLAB_POISON, what follows the last object must still be
 * POISON_INUSE; reported against the slab's first byte.
 */
static void slab_pad_check(struct kmem_cache *s, struct slab *slab)
{
	u8 *start = slab_address(slab), *end, *fault;
	unsigned long used = (unsigned long)slab->objects * s->size;
	struct slab_report r;

	fault = find_wrong_byte(start + used, POISON_INUSE, (PAGE_SIZE << slab->order) - used, &end);
	if (!fault)
		return;
	report_init(&r, s, SLAB_BUG_PADDING, start, "Padding overwritten", NULL);
	r.offset = (long)(fault - start);
	r.expected = POISON_INUSE;
	r.found = *fault;
	slab_bug(&r);
}

/*
 * T: Linux's trace() line for each allocation and free of the cache (it
 * then dumps the stack and, on a free, the object; this prints the line).
 * inuse and the slab's free list as they were before this one.
 */
static void trace(struct kmem_cache *s, struct slab *slab, void *object, bool alloc)
{
	if (s->flags & SLAB_TRACE)
		pr_info("TRACE %s %s %p inuse=%d fp=%p\n", s->name, alloc ? "alloc" : "free",
			object, slab->inuse, slab->freelist);
}

static bool alloc_debug_processing(struct kmem_cache *s, struct slab *slab, void *object,
				   size_t orig_size, unsigned long caller)
{
	if (s->flags & SLAB_CONSISTENCY_CHECKS) {
		if (!check_slab(s, slab))
			return false;
		if (!check_valid_pointer(s, slab, object)) {
			slab_err(s, slab, SLAB_BUG_FREEPTR, -1, -1, "Freelist Pointer check fails",
				 NULL);
			return false;
		}
		if (!check_object(s, slab, object, SLUB_RED_INACTIVE))
			return false;
	}
	trace(s, slab, object, true);
	set_track(s, object, TRACK_ALLOC, caller);
	set_orig_size(s, object, orig_size);
	init_object(s, object, SLUB_RED_ACTIVE);
	return true;
}

/* Reports x, which is no object's start, against the object it falls in. */
static void invalid_object_free(struct kmem_cache *s, struct slab *slab, void *x)
{
	u8 *first = (u8 *)slab_address(slab) + s->red_left_pad;
	unsigned int idx = (u8 *)x < first ? 0 : min(obj_to_index(s, slab, x), slab->objects - 1u);
	u8 *object = first + (unsigned long)idx * s->size;
	struct slab_report r;

	report_init(&r, s, SLAB_BUG_INVALID_FREE, object, "Invalid object pointer",
		    "Object not freed");
	r.offset = (long)((u8 *)x - object);
	slab_bug(&r);
}

static bool free_debug_processing(struct kmem_cache *s, struct slab *slab, void *x,
				  unsigned long caller)
{
	if (s->flags & SLAB_CONSISTENCY_CHECKS) {
		if (!check_valid_pointer(s, slab, x)) {
			invalid_object_free(s, slab, x);
			return false;
		}
		if (on_freelist(s, slab, x)) {
			object_bug(s, x, SLAB_BUG_DOUBLE_FREE, "Object already free",
				   "Object not freed");
			return false;
		}
		if (!check_object(s, slab, x, SLUB_RED_ACTIVE))
			return false;
	}
	trace(s, slab, x, false);
	set_track(s, x, TRACK_FREE, caller);
	init_object(s, x, SLUB_RED_INACTIVE);
	return true;
}

/* ---- slabs --------------------------------------------------------------------- */

/* A fresh object: its debug patterns, no owner yet, then what the constructor makes of it. */
static void setup_object(struct kmem_cache *s, void *object)
{
	if (kmem_cache_debug(s)) {
		if (s->flags & SLAB_STORE_USER)
			memset(get_track(s, object, TRACK_ALLOC), 0, 2 * sizeof(struct track));
		set_orig_size(s, object, s->object_size);
		init_object(s, object, SLUB_RED_INACTIVE);
	}
	if (s->ctor)
		s->ctor(object);
}

static void set_slab_pages(struct slab *slab, unsigned int order, struct slab *head)
{
	struct page *page = slab_page(slab);
	unsigned long i;

	for (i = 0; i < (1UL << order); i++) {
		if (head)
			SetPageSlab(page + i);
		else
			ClearPageSlab(page + i);
		page_slab(page + i)->slab_head = head;
	}
}

/*
 * The objects of a plain cache (no debug flags, no constructor, the free
 * pointer in the first word) linked in address order: a store and an add
 * per object, the stores walking up the slab as the hardware prefetcher
 * likes.  Returns the first.
 */
static void *link_free_objects(u8 *start, unsigned int size, unsigned int objects)
{
	u8 *p = start, *last = start + (unsigned long)(objects - 1) * size;

	for (; p < last; p += size)
		*(void **)p = p + size;
	*(void **)last = NULL;
	return start;
}

/*
 * A new slab, on no list, every object free and linked in address order.
 * The preferred order first, quietly: when that fails, the smallest order
 * that holds an object will do (Linux's s->min).
 */
static struct slab *allocate_slab(struct kmem_cache *s, gfp_t gfp)
{
	gfp_t page_gfp = (gfp & ~__GFP_ZERO) | s->allocflags;
	unsigned int order = s->order, i;
	struct page *page = NULL;
	struct slab *slab;
	u8 *start;
	void *next = NULL, *p;

	if (s->min_order < order)
		page = alloc_pages(page_gfp | __GFP_NOWARN, order);
	if (!page) {
		order = s->min_order;
		page = alloc_pages(page_gfp, order);
		if (!page)
			return NULL;
	}
	slab = page_slab(page);
	set_slab_pages(slab, order, slab);
	slab->slab_cache = s;
	slab->order = order;
	slab->objects = (PAGE_SIZE << order) / s->size;
	slab->inuse = 0;
	slab->fast_frees = 0;
	start = slab_address(slab);
	if (s->flags & SLAB_POISON)
		memset(start, POISON_INUSE, PAGE_SIZE << order);
	if (kmem_cache_debug(s) || s->ctor) {
		for (i = slab->objects; i-- > 0; next = p) {
			p = start + (unsigned long)i * s->size + s->red_left_pad;
			setup_object(s, p);
			set_freepointer(s, p, next);
		}
	} else {
		next = link_free_objects(start, s->size, slab->objects);
	}
	slab->freelist = next;
	s->node.nr_slabs++;
	s->node.total_objects += slab->objects;
	return slab;
}

/* Back to the page allocator, which wants mapping and private clean and no PG_slab. */
static void discard_slab(struct kmem_cache *s, struct slab *slab)
{
	unsigned int order = slab->order;

	if (s->flags & SLAB_POISON)
		slab_pad_check(s, slab);
	s->node.nr_slabs--;
	s->node.total_objects -= slab->objects;
	set_slab_pages(slab, order, NULL);
	slab->slab_cache = NULL;
	slab->freelist = NULL;
	slab->inuse = 0;
	slab->objects = 0;
	slab->fast_frees = 0;
	slab->order = 0;
	__free_pages(slab_page(slab), order);
}

/*
 * How many frees slab_free() may take without the slow path: all of the
 * CPU slab's (it stays where it is, and its count cannot reach 0: the
 * CPU freelist's objects count as in use); all but the last of a partial
 * slab's (an empty one may go back to the page allocator); none of a full
 * slab's (it moves to the partial list), nor in a cache without fast
 * paths.  Called whenever a slab changes its list or its count other
 * than by a fast free.
 */
static void set_fast_frees(struct kmem_cache *s, struct slab *slab)
{
	unsigned int n = 0;

	if (slab == s->cpu_slab.slab)
		n = slab->inuse;
	else if (slab->freelist && slab->inuse)
		n = slab->inuse - 1;
	slab->fast_frees = kmem_cache_has_cpu_slab(s) ? n : 0;
}

static void unlink_slab(struct kmem_cache *s, struct slab *slab)
{
	list_del(&slab->slab_list);
	if (slab->freelist)
		s->node.nr_partial--;
}

/*
 * Puts a slab that is on no list where its free list says, or frees it
 * if it is empty and the cache already keeps min_partial partial slabs.
 * tail: Linux puts slabs that just got a free object at the tail, so
 * that allocation keeps filling the ones at the head.
 */
static void place_slab(struct kmem_cache *s, struct slab *slab, bool tail)
{
	struct kmem_cache_node *n = &s->node;

	if (!slab->inuse && n->nr_partial >= s->min_partial) {
		discard_slab(s, slab);
		return;
	}
	set_fast_frees(s, slab);
	if (!slab->freelist) {
		list_add(&slab->slab_list, &n->full);
	} else {
		if (tail)
			list_add_tail(&slab->slab_list, &n->partial);
		else
			list_add(&slab->slab_list, &n->partial);
		n->nr_partial++;
	}
}

static struct slab *get_partial(struct kmem_cache *s)
{
	struct slab *slab;

	if (list_empty(&s->node.partial))
		return NULL;
	slab = list_first_entry(&s->node.partial, struct slab, slab_list);
	unlink_slab(s, slab);
	return slab;
}

/*
 * The CPU freelist goes in front of the slab's own free list and the
 * slab onto a list.  Refills find the CPU freelist empty; shrinking,
 * validating and fault injection may not.  The walk is bounded by the
 * slab's size: a corrupt list (there are no checks without debug flags)
 * must not hang us.
 */
static void deactivate_cpu_slab(struct kmem_cache *s)
{
	struct kmem_cache_cpu *c = &s->cpu_slab;
	struct slab *slab = c->slab;
	unsigned int nr_free = 0;
	void *p, *last = NULL;

	if (!slab)
		return;
	for (p = c->freelist; p && nr_free < slab->objects; p = get_freepointer(s, p)) {
		last = p;
		nr_free++;
	}
	if (last) {
		set_freepointer(s, last, slab->freelist);
		slab->freelist = c->freelist;
	}
	slab->inuse -= min(nr_free, (unsigned int)slab->inuse);
	c->slab = NULL;
	c->freelist = NULL;
	place_slab(s, slab, false);
}

/*
 * While failslab is armed, every allocation must reach should_failslab():
 * the caches give up their CPU slabs and work as debug caches do, one
 * object at a time from their slabs' own free lists, until a call finds
 * failslab disarmed again (nth spent, or a new plan).  So the fast path
 * need not look at failslab at all.
 */
static bool slab_no_cpu_slabs;

/* After a new plan, or a task's new fail_nth (which arms every attribute). */
void failslab_rearm(void)
{
	struct kmem_cache *s;

	slab_no_cpu_slabs = fault_attr_armed(&failslab);
	if (slab_no_cpu_slabs)
		list_for_each_entry(s, &slab_caches, list)
			deactivate_cpu_slab(s);
}

void failslab_configure(const struct fault_config *cfg)
{
	fault_attr_configure(&failslab, cfg);
	failslab_rearm();
}

/*
 * Out of line: inlined, the compiler built the site on the stack before
 * the test of slab_no_cpu_slabs, on every slow-path allocation.
 */
static noinline bool failslab_decide(struct kmem_cache *s, gfp_t gfp)
{
	struct fault_site site = { .gfp = gfp, .cache = s->name,
				   .cache_failslab = s->flags & SLAB_FAILSLAB };

	return should_fail_ex(&failslab, s->object_size, &site);
}

static bool should_failslab(struct kmem_cache *s, gfp_t gfp)
{
	if (!slab_no_cpu_slabs)
		return false;
	if (!fault_attr_armed(&failslab)) {
		slab_no_cpu_slabs = false;
		return false;
	}
	return failslab_decide(s, gfp);
}

/*
 * The CPU freelist is empty, and nothing was freed into the CPU slab
 * since it was taken over (slab_alloc() takes that): the next partial
 * slab, or a new one, becomes the CPU slab.
 */
static void *alloc_from_new_cpu_slab(struct kmem_cache *s, gfp_t gfp)
{
	struct kmem_cache_cpu *c = &s->cpu_slab;
	struct slab *slab;

	deactivate_cpu_slab(s);
	slab = get_partial(s);
	if (!slab)
		slab = allocate_slab(s, gfp);
	if (!slab)
		return NULL;
	c->slab = slab;
	c->freelist = slab->freelist;
	slab->freelist = NULL;
	slab->inuse = slab->objects;
	set_fast_frees(s, slab);
	return c->freelist;
}

/*
 * An object straight off a slab that is on no list (debug caches, or any
 * cache while failslab is armed); the slab then goes back on one.  One
 * that fails its checks is marked full (Linux's "Marking all objects
 * used"): its free list is suspect.
 */
static void *alloc_single(struct kmem_cache *s, struct slab *slab, size_t orig_size,
			  unsigned long caller)
{
	void *object = slab->freelist;

	if (!alloc_debug_processing(s, slab, object, orig_size, caller)) {
		printk("FIX %s: Marking all objects used\n", s->name);
		slab->freelist = NULL;
		slab->inuse = slab->objects;
		place_slab(s, slab, false);
		return NULL;
	}
	slab->freelist = get_freepointer(s, object);
	slab->inuse++;
	place_slab(s, slab, false);
	return object;
}

static void *alloc_debug(struct kmem_cache *s, gfp_t gfp, size_t orig_size, unsigned long caller)
{
	struct slab *slab;
	void *object;

	while ((slab = get_partial(s)) != NULL) {
		object = alloc_single(s, slab, orig_size, caller);
		if (object)
			return object;
	}
	slab = allocate_slab(s, gfp);
	return slab ? alloc_single(s, slab, orig_size, caller) : NULL;
}

/*
 * Everything slab_alloc() does not: fault injection, debug caches, and
 * refilling the CPU freelist.  __GFP_ZERO clears what the caller asked
 * for; the rest of a kmalloc object is red zone then.
 */
void *__slab_alloc(struct kmem_cache *s, gfp_t gfp, size_t orig_size, unsigned long caller)
{
	struct kmem_cache_cpu *c = &s->cpu_slab;
	void *object;

	if (unlikely(should_failslab(s, gfp))) {
		slab_stats.alloc_injected++;
		goto fail;
	}
	if (!kmem_cache_has_cpu_slab(s) || slab_no_cpu_slabs) {
		object = alloc_debug(s, gfp, orig_size, caller);
	} else {
		object = c->freelist;
		if (!object)
			object = alloc_from_new_cpu_slab(s, gfp);
		if (object)
			c->freelist = get_freepointer(s, object);
	}
	if (!object)
		goto fail;
	if (gfp & __GFP_ZERO)
		memset(object, 0, slab_orig_size(s, object));
	return object;
fail:
	slab_stats.alloc_fail++;
	return NULL;
}

/*
 * Everything slab_free() does not: a double free at the head of a free
 * list (or into a slab with nothing in use), caches without fast paths,
 * and slabs that move from full to partial, or go back to the page
 * allocator when empty.
 */
void __slab_free(struct kmem_cache *s, struct slab *slab, void *x, unsigned long caller)
{
	bool was_full, cpu = slab == s->cpu_slab.slab;

	if (unlikely(x == s->cpu_slab.freelist || x == slab->freelist || !slab->inuse)) {
		object_bug(s, x, SLAB_BUG_DOUBLE_FREE, "Object already free", "Object not freed");
		return;
	}
	if (kmem_cache_debug(s) && !free_debug_processing(s, slab, x, caller))
		return;
	was_full = !slab->freelist && !cpu;
	set_freepointer(s, x, slab->freelist);
	slab->freelist = x;
	slab->inuse--;
	if (cpu || (!was_full && slab->inuse)) {
		set_fast_frees(s, slab);
		return;
	}
	list_del(&slab->slab_list);
	if (!was_full)
		s->node.nr_partial--;
	place_slab(s, slab, true);
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc(s, gfp, s->object_size);
}

/*
 * Objects freed to the wrong cache are reported and freed to their own,
 * as Linux's cache_from_obj() does; pointers outside any slab are reported
 * and left alone.
 */
void kmem_cache_free(struct kmem_cache *s, void *x)
{
	struct page *page = virt_to_slab_page(x);
	struct slab *slab;

	if (unlikely(!page)) {
		slab_bug_invalid_free(x, "Not a slab object");
		return;
	}
	slab = page_slab(page)->slab_head;
	if (unlikely(slab->slab_cache != s)) {
		struct slab_report r;

		report_init(&r, s, SLAB_BUG_WRONG_CACHE, x, "Object is from another cache",
			    "Freed to its own cache");
		slab_bug(&r);
		s = slab->slab_cache;
	}
	slab_free(slab, x);
}

/* ---- whole caches ---------------------------------------------------------------- */

static void discard_empty_partials(struct kmem_cache *s)
{
	struct list_head *pos = s->node.partial.next, *next;
	struct slab *slab;

	for (; pos != &s->node.partial; pos = next) {
		next = pos->next;
		slab = list_entry(pos, struct slab, slab_list);
		if (!slab->inuse) {
			unlink_slab(s, slab);
			discard_slab(s, slab);
		}
	}
}

int kmem_cache_shrink(struct kmem_cache *s)
{
	deactivate_cpu_slab(s);
	discard_empty_partials(s);
	return 0;
}

static unsigned long object_map[MAX_OBJS_PER_SLAB / BITS_PER_LONG];

/*
 * object_map: bit i set when object i of slab is on its free list, as far
 * as the list can be followed (without debug flags nobody checked it).
 */
static void fill_object_map(struct kmem_cache *s, struct slab *slab)
{
	unsigned int idx, n = 0;
	void *p;

	memset(object_map, 0, sizeof(object_map));
	for (p = slab->freelist; p && check_valid_pointer(s, slab, p) && n++ < slab->objects;
	     p = get_freepointer(s, p)) {
		idx = obj_to_index(s, slab, p);
		object_map[idx / BITS_PER_LONG] |= 1UL << (idx % BITS_PER_LONG);
	}
}

static bool object_is_free(unsigned int idx)
{
	return object_map[idx / BITS_PER_LONG] & (1UL << (idx % BITS_PER_LONG));
}

static void *slab_object(struct kmem_cache *s, struct slab *slab, unsigned int idx)
{
	return (u8 *)slab_address(slab) + (unsigned long)idx * s->size + s->red_left_pad;
}

/* Linux's validate_slab(): the slab, its free list, then each object up to the first bad one. */
static void validate_slab(struct kmem_cache *s, struct slab *slab)
{
	unsigned int i;

	if (!check_slab(s, slab))
		return;
	on_freelist(s, slab, NULL);
	fill_object_map(s, slab);
	for (i = 0; i < slab->objects; i++)
		if (!check_object(s, slab, slab_object(s, slab, i),
				  object_is_free(i) ? SLUB_RED_INACTIVE : SLUB_RED_ACTIVE))
			break;
}

/*
 * Checking may cut a free list short or correct a count, which can move
 * a slab between lists: every slab comes off its list, is checked, and
 * is placed anew.
 */
int kmem_cache_validate(struct kmem_cache *s)
{
	unsigned long bugs = slab_stats.bugs;
	struct list_head todo = LIST_HEAD_INIT(todo);
	struct slab *slab;

	deactivate_cpu_slab(s);
	while ((slab = get_partial(s)) != NULL)
		list_add_tail(&slab->slab_list, &todo);
	while (!list_empty(&s->node.full)) {
		slab = list_first_entry(&s->node.full, struct slab, slab_list);
		list_del(&slab->slab_list);
		list_add_tail(&slab->slab_list, &todo);
	}
	while (!list_empty(&todo)) {
		slab = list_first_entry(&todo, struct slab, slab_list);
		list_del(&slab->slab_list);
		validate_slab(s, slab);
		place_slab(s, slab, true);
	}
	return (int)(slab_stats.bugs - bugs);
}

/* The first object in use in a slab whose free list is sound. */
static void *first_object_in_use(struct kmem_cache *s, struct slab *slab)
{
	unsigned int i;

	fill_object_map(s, slab);
	for (i = 0; i < slab->objects; i++)
		if (!object_is_free(i))
			return slab_object(s, slab, i);
	return NULL;
}

static void report_leak(struct kmem_cache *s)
{
	struct list_head *lists[] = { &s->node.partial, &s->node.full };
	unsigned long live = 0;
	void *first = NULL;
	struct slab *slab;
	struct slab_report r;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		list_for_each_entry(slab, lists[i], slab_list) {
			live += slab->inuse;
			if (!first)
				first = first_object_in_use(s, slab);
		}
	}
	report_init(&r, s, SLAB_BUG_LEAK, first, "Objects remaining on kmem_cache_destroy()",
		    "Cache kept");
	r.expected = 0;
	r.found = (long)live;
	slab_bug(&r);
}

/* Frees every slab if no object is in use; else reports the leak and frees nothing more. */
int __kmem_cache_shutdown(struct kmem_cache *s)
{
	deactivate_cpu_slab(s);
	discard_empty_partials(s);
	if (!s->node.nr_slabs)
		return 0;
	report_leak(s);
	return -EBUSY;
}

static unsigned int cpu_freelist_length(struct kmem_cache *s)
{
	unsigned int n = 0;
	void *p;

	for (p = s->cpu_slab.freelist; p && n < s->cpu_slab.slab->objects; p = get_freepointer(s, p))
		n++;
	return n;
}

/* The CPU slab's objects in use: neither on its own free list nor on the CPU's. */
static unsigned int cpu_slab_inuse(struct kmem_cache *s)
{
	struct slab *cpu = s->cpu_slab.slab;

	return cpu->inuse - min(cpu_freelist_length(s), (unsigned int)cpu->inuse);
}

/* Exact counts: objects free on the CPU freelist are not active (Linux counts them). */
void slab_active_objects(struct kmem_cache *s, unsigned long *active, unsigned long *total)
{
	struct slab *slab;
	unsigned long free = 0;

	list_for_each_entry(slab, &s->node.partial, slab_list)
		free += slab->objects - slab->inuse;
	if (s->cpu_slab.slab)
		free += s->cpu_slab.slab->objects - cpu_slab_inuse(s);
	*total = s->node.total_objects;
	*active = *total - free;
}

void walk_slabs(slab_fn fn, void *arg)
{
	struct kmem_cache *s;
	struct slab *slab, *cpu;

	list_for_each_entry(s, &slab_caches, list) {
		cpu = s->cpu_slab.slab;
		if (cpu)
			fn(arg, s->name, page_to_pfn(slab_page(cpu)), cpu->order,
			   cpu_slab_inuse(s), cpu->objects);
		list_for_each_entry(slab, &s->node.partial, slab_list)
			fn(arg, s->name, page_to_pfn(slab_page(slab)), slab->order, slab->inuse,
			   slab->objects);
		list_for_each_entry(slab, &s->node.full, slab_list)
			fn(arg, s->name, page_to_pfn(slab_page(slab)), slab->order, slab->inuse,
			   slab->objects);
	}
}
