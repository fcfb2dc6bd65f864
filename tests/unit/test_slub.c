// SPDX-License-Identifier: MIT
/*
 * The slab allocator (guest/mm/slub.c), compiled natively: Linux's
 * slub_kunit cases, the debug checks, slab_debug= parsing, shrinking and
 * destroying caches, and random operation sequences against a model.
 *
 * Each test gets a fresh 64 MiB "physical memory" and fresh allocator
 * state (Check forks per test), with zones as in test_buddy.c.  Tests may
 * look inside (guest/mm/slab.h), as Linux's kunit tests do.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/errno.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/poison.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <native/mm_machine.h>
#include <native/seam.h>

#include "check_fast.h"
#include "check_main.h"
#include "guest/mm/slab.h"

#define PHYS_SIZE	(64UL << 20)

static void setup_machine(void)
{
	native_mm_machine_init(PHYS_SIZE);
}

static void setup(void)
{
	setup_machine();
	kmem_cache_init();
}

static unsigned int reports(void)
{
	return native_slab_report_count;
}

static const struct slab_report *last_report(void)
{
	ck_assert_uint_gt(native_slab_report_count, 0);
	return &native_slab_report(0)->r;
}

static struct kmem_cache *cache_create(const char *name, unsigned int size, slab_flags_t flags)
{
	struct kmem_cache *s = kmem_cache_create(name, size, 0, flags, NULL);

	ck_assert_ptr_nonnull(s);
	return s;
}

/* ---- Linux's slub_kunit ----------------------------------------------------------- */

START_TEST(test_clobber_zone)
{
	struct kmem_cache *s = cache_create("TestSlub_RZ_alloc", 64, SLAB_RED_ZONE);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);
	const struct slab_report *r;

	p[64] = 0x12;
	ck_assert_int_eq(kmem_cache_validate(s), 1);
	r = last_report();
	ck_assert_int_eq(r->kind, SLAB_BUG_REDZONE);
	ck_assert_str_eq(r->cache, "TestSlub_RZ_alloc");
	ck_assert_uint_eq(r->object, (unsigned long)p);
	ck_assert_int_eq(r->offset, 64);
	ck_assert_int_eq(r->expected, SLUB_RED_ACTIVE);
	ck_assert_int_eq(r->found, 0x12);
	ck_assert_str_eq(r->text, "Right Redzone overwritten");
	ck_assert_str_eq(r->fix, "Restoring Right Redzone");
	/* Restored: nothing more to find, and the object frees normally. */
	ck_assert_int_eq(p[64], SLUB_RED_ACTIVE);
	ck_assert_int_eq(kmem_cache_validate(s), 0);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	ck_assert_uint_eq(reports(), 1);
}
END_TEST

START_TEST(test_clobber_left_zone)
{
	struct kmem_cache *s = cache_create("TestSlub_LRZ", 64, SLAB_RED_ZONE);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);

	p[-3] = 0x34;
	ck_assert_int_eq(kmem_cache_validate(s), 1);
	ck_assert_int_eq(last_report()->offset, -3);
	ck_assert_str_eq(last_report()->text, "Left Redzone overwritten");
	kmem_cache_free(s, p);
}
END_TEST

START_TEST(test_next_pointer)
{
	struct kmem_cache *s = cache_create("TestSlub_next_ptr_free", 64, SLAB_POISON);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);
	unsigned long *ptr_addr, tmp;

	kmem_cache_free(s, p);
	ptr_addr = (unsigned long *)(p + s->offset);
	tmp = *ptr_addr;
	p[s->offset] = ~p[s->offset];
	/* The corrupt free pointer, then the in-use count it makes wrong. */
	ck_assert_int_eq(kmem_cache_validate(s), 2);
	ck_assert_int_eq(native_slab_report(1)->r.kind, SLAB_BUG_FREEPTR);
	ck_assert_uint_eq(native_slab_report(1)->r.object, (unsigned long)p);
	ck_assert_str_eq(native_slab_report(1)->r.text, "Freechain corrupt");
	ck_assert_int_eq(last_report()->kind, SLAB_BUG_OBJECT_COUNT);
	ck_assert_int_eq(*ptr_addr, 0);		/* repaired: the list ends at p */
	/* Putting the pointer back makes the repaired count wrong once more. */
	*ptr_addr = tmp;
	ck_assert_int_eq(kmem_cache_validate(s), 1);
	ck_assert_int_eq(last_report()->kind, SLAB_BUG_OBJECT_COUNT);
	ck_assert_int_eq(kmem_cache_validate(s), 0);
	kmem_cache_destroy(s);
	ck_assert_uint_eq(reports(), 3);
}
END_TEST

START_TEST(test_first_word)
{
	struct kmem_cache *s = cache_create("TestSlub_1th_word_free", 64, SLAB_POISON);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, p);
	*p = 0x78;
	ck_assert_int_eq(kmem_cache_validate(s), 1);
	ck_assert_int_eq(last_report()->kind, SLAB_BUG_POISON);
	ck_assert_int_eq(last_report()->offset, 0);
	ck_assert_int_eq(last_report()->expected, POISON_FREE);
	ck_assert_int_eq(last_report()->found, 0x78);
	ck_assert_str_eq(last_report()->text, "Poison overwritten");
	kmem_cache_destroy(s);
}
END_TEST

START_TEST(test_clobber_50th_byte)
{
	struct kmem_cache *s = cache_create("TestSlub_50th_word_free", 64, SLAB_POISON);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, p);
	p[50] = 0x9a;
	ck_assert_int_eq(kmem_cache_validate(s), 1);
	ck_assert_int_eq(last_report()->offset, 50);
	ck_assert_int_eq(last_report()->found, 0x9a);
	kmem_cache_destroy(s);
}
END_TEST

START_TEST(test_clobber_end_byte)
{
	struct kmem_cache *s = cache_create("TestSlub_end_byte", 64, SLAB_POISON);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, p);
	ck_assert_int_eq(p[63], POISON_END);
	p[63] = 0;
	ck_assert_int_eq(kmem_cache_validate(s), 1);
	ck_assert_int_eq(last_report()->offset, 63);
	ck_assert_int_eq(last_report()->expected, POISON_END);
	kmem_cache_destroy(s);
}
END_TEST

START_TEST(test_clobber_redzone_free)
{
	struct kmem_cache *s = cache_create("TestSlub_RZ_free", 64, SLAB_RED_ZONE);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, p);
	p[64] = 0xab;
	ck_assert_int_eq(kmem_cache_validate(s), 1);
	ck_assert_int_eq(last_report()->kind, SLAB_BUG_REDZONE);
	ck_assert_int_eq(last_report()->expected, SLUB_RED_INACTIVE);
	ck_assert_int_eq(last_report()->found, 0xab);
	kmem_cache_destroy(s);
}
END_TEST

START_TEST(test_kmalloc_redzone_access)
{
	struct kmem_cache *s = cache_create("TestSlub_RZ_kmalloc", 32,
					    SLAB_KMALLOC | SLAB_STORE_USER | SLAB_RED_ZONE);
	u8 *p = __kmalloc_cache(s, GFP_KERNEL, 18);
	const struct slab_report *r;

	p[18] = 0xab;
	p[19] = 0xab;
	ck_assert_int_eq(kmem_cache_validate(s), 1);
	r = last_report();
	ck_assert_int_eq(r->kind, SLAB_BUG_KMALLOC_REDZONE);
	ck_assert_int_eq(r->offset, 18);
	ck_assert_int_eq(r->expected, SLUB_RED_ACTIVE);
	ck_assert_int_eq(r->found, 0xab);
	ck_assert_str_eq(r->text, "kmalloc Redzone overwritten");
	ck_assert_uint_ne(r->alloc_caller, 0);	/* SLAB_STORE_USER */
	ck_assert_uint_eq(r->free_caller, 0);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}
END_TEST

START_TEST(test_leak_destroy)
{
	struct kmem_cache *s = cache_create("TestSlub_leak_destroy", 64, 0);
	void *p = kmem_cache_alloc(s, GFP_KERNEL);
	void *q = kmem_cache_alloc(s, GFP_KERNEL);
	const struct slab_report *r;

	kmem_cache_destroy(s);
	ck_assert_uint_eq(reports(), 1);
	r = last_report();
	ck_assert_int_eq(r->kind, SLAB_BUG_LEAK);
	ck_assert_str_eq(r->cache, "TestSlub_leak_destroy");
	ck_assert_int_eq(r->found, 2);
	ck_assert_uint_eq(r->object, (unsigned long)p);
	/* The cache is kept: its objects can still be freed, then it goes. */
	kmem_cache_free(s, p);
	kmem_cache_free(s, q);
	kmem_cache_destroy(s);
	ck_assert_uint_eq(reports(), 1);
}
END_TEST

/* ---- the checks at allocation and free time (F) ----------------------------------- */

START_TEST(test_redzone_caught_on_free)
{
	struct kmem_cache *s = cache_create("rz_free", 40, SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);

	p[40] = 1;
	kmem_cache_free(s, p);
	ck_assert_uint_eq(reports(), 1);
	ck_assert_int_eq(last_report()->kind, SLAB_BUG_REDZONE);
	ck_assert_int_eq(last_report()->offset, 40);
	/* Not freed: the cache still has it. */
	ck_assert_uint_eq(s->node.nr_slabs, 1);
	kmem_cache_destroy(s);
	ck_assert_int_eq(last_report()->kind, SLAB_BUG_LEAK);
}
END_TEST

START_TEST(test_use_after_free_caught_on_alloc)
{
	struct kmem_cache *s = cache_create("uaf", 64, SLAB_CONSISTENCY_CHECKS | SLAB_POISON);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL), *q;

	kmem_cache_free(s, p);
	p[10] = 0;
	q = kmem_cache_alloc(s, GFP_KERNEL);
	ck_assert_uint_eq(reports(), 1);
	ck_assert_int_eq(last_report()->kind, SLAB_BUG_POISON);
	ck_assert_uint_eq(last_report()->object, (unsigned long)p);
	ck_assert_int_eq(last_report()->offset, 10);
	/* The slab hands out nothing more; q comes from a new one. */
	ck_assert_ptr_nonnull(q);
	ck_assert_ptr_ne(virt_to_slab(q), virt_to_slab(p));
	ck_assert_uint_eq(s->node.nr_slabs, 2);
	kmem_cache_free(s, q);
}
END_TEST

START_TEST(test_freepointer_caught_on_alloc)
{
	struct kmem_cache *s = cache_create("fp", 64, SLAB_CONSISTENCY_CHECKS);
	u8 *a = kmem_cache_alloc(s, GFP_KERNEL), *b = kmem_cache_alloc(s, GFP_KERNEL), *c;

	kmem_cache_free(s, b);
	kmem_cache_free(s, a);
	ck_assert_ptr_eq(get_freepointer(s, a), b);
	set_freepointer(s, a, b + 1);		/* misaligned */
	c = kmem_cache_alloc(s, GFP_KERNEL);
	ck_assert_uint_eq(reports(), 1);
	ck_assert_int_eq(last_report()->kind, SLAB_BUG_FREEPTR);
	ck_assert_uint_eq(last_report()->object, (unsigned long)a);
	ck_assert_ptr_null(get_freepointer(s, a));	/* repaired */
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_ne(c, a);
	ck_assert_ptr_ne(c, b);
}
END_TEST

START_TEST(test_freepointer_outside_slab)
{
	struct kmem_cache *s = cache_create("fp_out", 128, SLAB_CONSISTENCY_CHECKS | SLAB_POISON);
	u8 *a = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, a);
	set_freepointer(s, a, a + PAGE_SIZE * 2);
	ck_assert_int_eq(kmem_cache_validate(s), 2);
	ck_assert_int_eq(native_slab_report(1)->r.kind, SLAB_BUG_FREEPTR);
	ck_assert_int_eq(last_report()->kind, SLAB_BUG_OBJECT_COUNT);
}
END_TEST

/*
 * A free list that loops (each pointer valid) is cut off whole: its
 * objects are lost, not handed out twice.
 */
START_TEST(test_freelist_cycle)
{
	struct kmem_cache *s = cache_create("cycle", 64, SLAB_CONSISTENCY_CHECKS);
	u8 *a = kmem_cache_alloc(s, GFP_KERNEL), *b = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, b);
	kmem_cache_free(s, a);
	set_freepointer(s, b, a);
	ck_assert_int_eq(kmem_cache_validate(s), 2);
	ck_assert_str_eq(native_slab_report(1)->r.text, "Freelist loops");
	ck_assert_int_eq(last_report()->kind, SLAB_BUG_OBJECT_COUNT);
	ck_assert_ptr_null(virt_to_slab(a)->freelist);
	ck_assert_ptr_ne(kmem_cache_alloc(s, GFP_KERNEL), a);
}
END_TEST

/* How many of n allocations from s return p; all of them stay allocated. */
static unsigned int times_allocated(struct kmem_cache *s, void *p, unsigned int n)
{
	unsigned int seen = 0;

	while (n--)
		seen += kmem_cache_alloc(s, GFP_KERNEL) == p;
	return seen;
}

START_TEST(test_double_free_fast)
{
	struct kmem_cache *s = cache_create("df", 32, 0);
	void *p = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, p);
	kmem_cache_free(s, p);
	ck_assert_uint_eq(reports(), 1);
	ck_assert_int_eq(last_report()->kind, SLAB_BUG_DOUBLE_FREE);
	ck_assert_uint_eq(last_report()->object, (unsigned long)p);
	/* The list was left alone: p comes back once, then something else. */
	ck_assert_uint_eq(times_allocated(s, p, 2 * s->objects), 1);
}
END_TEST

/*
 * A free into a partial slab with nothing in use (kept empty: the cache
 * has fewer than min_partial partial slabs) is a double free, whichever
 * object it names; the count must not wrap.
 */
START_TEST(test_double_free_empty_slab)
{
	struct kmem_cache *s = cache_create("df_empty", 32, 0);
	void *a = kmem_cache_alloc(s, GFP_KERNEL), *b = kmem_cache_alloc(s, GFP_KERNEL);
	struct slab *slab = virt_to_slab(a);

	kmem_cache_shrink(s);		/* the CPU slab goes partial, a and b in use */
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	ck_assert_uint_eq(slab->inuse, 0);
	ck_assert_uint_eq(s->node.nr_slabs, 1);
	kmem_cache_free(s, a);		/* b is on top of the list */
	ck_assert_uint_eq(reports(), 1);
	ck_assert_int_eq(last_report()->kind, SLAB_BUG_DOUBLE_FREE);
	ck_assert_uint_eq(slab->inuse, 0);
	ck_assert_int_eq(kmem_cache_validate(s), 0);
}
END_TEST

/*
 * Frees into the CPU slab go to the slab's own list, which allocation
 * takes over when the CPU freelist runs dry: the slab's own objects come
 * back before any other slab is touched, and the counts stay exact.
 */
START_TEST(test_cpu_slab_takes_its_frees_over)
{
	struct kmem_cache *s = cache_create("takeover", 64, 0);
	unsigned long active, total;
	void *first = kmem_cache_alloc(s, GFP_KERNEL), *x;
	struct slab *slab = virt_to_slab(first);
	unsigned int i;

	for (i = 1; i < slab->objects; i++)
		x = kmem_cache_alloc(s, GFP_KERNEL);
	ck_assert_ptr_null(s->cpu_slab.freelist);
	kmem_cache_free(s, first);
	kmem_cache_free(s, x);
	ck_assert_ptr_eq(s->cpu_slab.slab, slab);
	ck_assert_uint_eq(slab->inuse, slab->objects - 2);
	slab_active_objects(s, &active, &total);
	ck_assert_uint_eq(active, slab->objects - 2);
	ck_assert_ptr_eq(kmem_cache_alloc(s, GFP_KERNEL), x);
	ck_assert_ptr_eq(kmem_cache_alloc(s, GFP_KERNEL), first);
	ck_assert_uint_eq(s->node.nr_slabs, 1);
	ck_assert_uint_eq(slab->fast_frees, slab->objects);
}
END_TEST

START_TEST(test_double_free_deep)
{
	struct kmem_cache *s = cache_create("df_deep", 32, SLAB_CONSISTENCY_CHECKS);
	void *a = kmem_cache_alloc(s, GFP_KERNEL), *b = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	kmem_cache_free(s, a);		/* a is second on the list */
	ck_assert_uint_eq(reports(), 1);
	ck_assert_int_eq(last_report()->kind, SLAB_BUG_DOUBLE_FREE);
	ck_assert_uint_eq(last_report()->object, (unsigned long)a);
	ck_assert_str_eq(last_report()->text, "Object already free");
	ck_assert_int_eq(kmem_cache_validate(s), 0);
	kmem_cache_destroy(s);
	ck_assert_uint_eq(reports(), 1);
}
END_TEST

START_TEST(test_free_not_object_start)
{
	struct kmem_cache *s = cache_create("mid", 48, SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, p + 8);
	ck_assert_uint_eq(reports(), 1);
	ck_assert_int_eq(last_report()->kind, SLAB_BUG_INVALID_FREE);
	ck_assert_uint_eq(last_report()->object, (unsigned long)p);
	ck_assert_int_eq(last_report()->offset, 8);
	ck_assert_str_eq(last_report()->cache, "mid");
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	ck_assert_uint_eq(reports(), 1);
}
END_TEST

START_TEST(test_free_not_slab)
{
	struct kmem_cache *s = cache_create("notslab", 48, 0);
	struct page *page = alloc_page(GFP_KERNEL);
	int on_stack;

	kmem_cache_free(s, page_address(page));
	ck_assert_int_eq(last_report()->kind, SLAB_BUG_INVALID_FREE);
	ck_assert_ptr_null(last_report()->cache);
	kmem_cache_free(s, &on_stack);		/* not even RAM */
	ck_assert_uint_eq(reports(), 2);
	__free_page(page);
}
END_TEST

START_TEST(test_free_wrong_cache)
{
	struct kmem_cache *a = cache_create("cache_a", 64, 0);
	struct kmem_cache *b = cache_create("cache_b", 64, 0);
	void *p = kmem_cache_alloc(a, GFP_KERNEL);

	kmem_cache_free(b, p);
	ck_assert_uint_eq(reports(), 1);
	ck_assert_int_eq(last_report()->kind, SLAB_BUG_WRONG_CACHE);
	ck_assert_str_eq(last_report()->cache, "cache_b");
	/* Freed to a after all: a can go without a leak report. */
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
	ck_assert_uint_eq(reports(), 1);
}
END_TEST

START_TEST(test_store_user)
{
	struct kmem_cache *s = cache_create("user", 64, SLAB_STORE_USER | SLAB_POISON);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, p);
	p[1] = 0;
	ck_assert_int_eq(kmem_cache_validate(s), 1);
	ck_assert_uint_ne(last_report()->alloc_caller, 0);
	ck_assert_uint_ne(last_report()->free_caller, 0);
	ck_assert_uint_ne(last_report()->alloc_caller, last_report()->free_caller);
}
END_TEST

START_TEST(test_slab_padding)
{
	/* 4096 / (200 + 8) leaves 144 bytes after the last object. */
	struct kmem_cache *s = cache_create("pad", 200, SLAB_POISON);
	void *p = kmem_cache_alloc(s, GFP_KERNEL);
	struct slab *slab = virt_to_slab(p);
	u8 *start = slab_address(slab);

	ck_assert_uint_eq(s->size, 208);
	ck_assert_uint_eq(slab->objects, 19);
	ck_assert_int_eq(start[4095], POISON_INUSE);
	start[4000] = 7;
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	ck_assert_uint_eq(reports(), 1);
	ck_assert_int_eq(last_report()->kind, SLAB_BUG_PADDING);
	ck_assert_int_eq(last_report()->offset, 4000);
}
END_TEST

/* ---- layout ------------------------------------------------------------------------ */

START_TEST(test_layout_plain)
{
	struct kmem_cache *s = cache_create("plain", 20, 0);

	ck_assert_uint_eq(s->size, 24);
	ck_assert_uint_eq(s->offset, 0);
	ck_assert_uint_eq(s->order, 0);
	ck_assert_uint_eq(s->objects, 170);
	s = cache_create("hw", 20, SLAB_HWCACHE_ALIGN);
	ck_assert_uint_eq(s->align, 32);
	ck_assert_uint_eq(s->size, 32);
	s = cache_create("hw2", 40, SLAB_HWCACHE_ALIGN);
	ck_assert_uint_eq(s->size, 64);
	s = kmem_cache_create("aligned", 72, 128, 0, NULL);
	ck_assert_uint_eq(s->size, 128);
	ck_assert_uint_eq((unsigned long)kmem_cache_alloc(s, GFP_KERNEL) % 128, 0);
	ck_assert_uint_eq((unsigned long)kmem_cache_alloc(s, GFP_KERNEL) % 128, 0);
}
END_TEST

START_TEST(test_layout_debug)
{
	struct kmem_cache *s = cache_create("dbg", 64, SLAB_DEBUG_DEFAULT_FLAGS);

	/* [8 left rz][64 object][8 right rz][8 free ptr][16 tracks] */
	ck_assert_uint_eq(s->red_left_pad, 8);
	ck_assert_uint_eq(s->inuse, 72);
	ck_assert_uint_eq(s->offset, 72);
	ck_assert_uint_eq(s->track_offset, 80);
	ck_assert_uint_eq(s->size, 104);
	ck_assert_uint_eq(s->objects, 39);
}
END_TEST

START_TEST(test_slab_orders)
{
	static const struct { unsigned int size, order, objects; } want[] = {
		{ 8, 0, 512 }, { 96, 0, 42 }, { 192, 0, 21 }, { 512, 0, 8 }, { 1024, 1, 8 },
		{ 2048, 2, 8 }, { 4096, 3, 8 }, { 8192, 3, 4 }, { 3000, 3, 10 }, { 40000, 4, 1 },
	};
	struct kmem_cache *s;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		s = kmem_cache_create("order", want[i].size, 8, 0, NULL);
		ck_assert_ptr_nonnull(s);
		ck_assert_msg(s->order == want[i].order && s->objects == want[i].objects,
			      "size %u: order %u objects %u", want[i].size, s->order, s->objects);
	}
}
END_TEST

START_TEST(test_create_rejects)
{
	ck_assert_ptr_null(kmem_cache_create("zero", 0, 0, 0, NULL));
	ck_assert_ptr_null(kmem_cache_create("align", 64, 24, 0, NULL));
	ck_assert_ptr_null(kmem_cache_create("flags", 64, 0, 0x80000000u, NULL));
	ck_assert_ptr_null(kmem_cache_create("a name much longer than the space for it", 64, 0, 0,
					     NULL));
	ck_assert_ptr_null(kmem_cache_create("huge", KMALLOC_MAX_SIZE + 1, 0, 0, NULL));
}
END_TEST

/* ---- slab_debug= --------------------------------------------------------------------- */

static slab_flags_t flags_of(const char *name)
{
	struct kmem_cache *s = cache_create(name, 64, 0);
	slab_flags_t f = s->flags & SLAB_DEBUG_FLAGS;

	kmem_cache_destroy(s);
	return f;
}

START_TEST(test_slab_debug_global)
{
	ck_assert_int_eq(slab_debug_setup("FZP"), 0);
	ck_assert_uint_eq(flags_of("any"),
			  SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON);
	ck_assert_int_eq(slab_debug_setup("u"), 0);
	ck_assert_uint_eq(flags_of("any"), SLAB_STORE_USER);
	ck_assert_int_eq(slab_debug_setup(""), 0);
	ck_assert_uint_eq(flags_of("any"), SLAB_DEBUG_DEFAULT_FLAGS);
	ck_assert_int_eq(slab_debug_setup("FZ-"), 0);
	ck_assert_uint_eq(flags_of("any"), 0);
	ck_assert_int_eq(slab_debug_setup("-P"), 0);
	ck_assert_uint_eq(flags_of("any"), SLAB_POISON);
}
END_TEST

START_TEST(test_slab_debug_per_cache)
{
	ck_assert_int_eq(slab_debug_setup("FZ,kmalloc-64"), 0);
	ck_assert_uint_eq(flags_of("kmalloc-64"), SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	ck_assert_uint_eq(flags_of("kmalloc-640"), 0);
	ck_assert_uint_eq(flags_of("kmalloc-6"), 0);
	ck_assert_int_eq(slab_debug_setup("P;FZ,kmalloc-*,dentry;U,inode"), 0);
	ck_assert_uint_eq(flags_of("kmalloc-8k"), SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	ck_assert_uint_eq(flags_of("dentry"), SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	ck_assert_uint_eq(flags_of("inode"), SLAB_STORE_USER);
	ck_assert_uint_eq(flags_of("other"), SLAB_POISON);
	ck_assert_int_eq(slab_debug_setup(",foo;;"), 0);
	ck_assert_uint_eq(flags_of("foo"), SLAB_DEBUG_DEFAULT_FLAGS);
	ck_assert_uint_eq(flags_of("bar"), 0);
}
END_TEST

/* As at boot: the option, then the caches (this fixture leaves kmem_cache_init() to the test). */
START_TEST(test_slab_debug_kmalloc_caches)
{
	struct kmem_cache *s;

	ck_assert_int_eq(slab_debug_setup("FZ,kmalloc-64"), 0);
	kmem_cache_init();
	s = kmalloc_slab(64, GFP_KERNEL);
	ck_assert_str_eq(s->name, "kmalloc-64");
	ck_assert_uint_eq(s->flags & SLAB_DEBUG_FLAGS, SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	ck_assert_uint_eq(kmalloc_slab(32, GFP_KERNEL)->flags & SLAB_DEBUG_FLAGS, 0);
	ck_assert_uint_eq(kmalloc_slab(64, GFP_DMA)->flags & SLAB_DEBUG_FLAGS, 0);
}
END_TEST

START_TEST(test_slab_debug_errors)
{
	char big[300];

	ck_assert_int_eq(slab_debug_setup("FZ"), 0);
	ck_assert_int_eq(slab_debug_setup("F,"), -EINVAL);
	ck_assert_int_eq(slab_debug_setup("F,a,,b"), -EINVAL);
	ck_assert_int_eq(slab_debug_setup("F,a,;P"), -EINVAL);
	memset(big, 'F', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	ck_assert_int_eq(slab_debug_setup(big), -E2BIG);
	/* Nothing changed. */
	ck_assert_uint_eq(flags_of("any"), SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
}
END_TEST

/* An unknown letter is reported and skipped, as in Linux; the others still count. */
START_TEST(test_slab_debug_unknown_letter)
{
	ck_assert_int_eq(slab_debug_setup("FXz"), 0);
	ck_assert_uint_eq(flags_of("any"), SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
}
END_TEST

/* T: Linux's TRACE line for every allocation and free, the cache on the slow paths. */
START_TEST(test_slab_debug_trace)
{
	struct kmem_cache *s;
	char line[256], want[128];
	FILE *log = tmpfile();
	int saved = dup(STDERR_FILENO);
	void *p;

	ck_assert_ptr_nonnull(log);
	ck_assert_int_eq(slab_debug_setup("T,traced"), 0);
	s = cache_create("traced", 64, 0);
	ck_assert_uint_eq(s->flags & SLAB_DEBUG_FLAGS, SLAB_TRACE);
	fflush(stderr);
	dup2(fileno(log), STDERR_FILENO);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, p);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(log);
	snprintf(want, sizeof(want), "TRACE traced alloc %p inuse=0 ", p);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), log));
	ck_assert_int_eq(strncmp(line, want, strlen(want)), 0);
	snprintf(want, sizeof(want), "TRACE traced free %p inuse=1 ", p);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), log));
	ck_assert_int_eq(strncmp(line, want, strlen(want)), 0);
	ck_assert_ptr_null(fgets(line, sizeof(line), log));
	fclose(log);
	kmem_cache_destroy(s);
}
END_TEST

/* A: the flag failslab's cache_filter looks for; it leaves the fast paths alone. */
START_TEST(test_slab_debug_failslab_flag)
{
	struct kmem_cache *s, *t;

	ck_assert_int_eq(slab_debug_setup("A,marked"), 0);
	s = cache_create("marked", 64, 0);
	t = cache_create("plain", 64, 0);
	ck_assert_uint_eq(s->flags & SLAB_FAILSLAB, SLAB_FAILSLAB);
	ck_assert_uint_eq(s->flags & SLAB_DEBUG_FLAGS, 0);
	ck_assert_uint_eq(t->flags & SLAB_FAILSLAB, 0);
	kmem_cache_destroy(s);
	kmem_cache_destroy(t);
}
END_TEST

/*
 * O: a cache whose red zones and tracks would need a higher order for one
 * object drops them (F stays); a small cache keeps everything.
 */
START_TEST(test_slab_debug_no_higher_order)
{
	struct kmem_cache *big, *small;

	ck_assert_int_eq(slab_debug_setup("FZPUO"), 0);
	big = cache_create("big", 4096, 0);
	small = cache_create("small", 64, 0);
	ck_assert_uint_eq(big->flags & SLAB_DEBUG_FLAGS, SLAB_CONSISTENCY_CHECKS);
	ck_assert_uint_eq(big->size, 4096);
	ck_assert_uint_eq(small->flags & SLAB_DEBUG_FLAGS, SLAB_DEBUG_DEFAULT_FLAGS);
	kmem_cache_destroy(big);
	kmem_cache_destroy(small);
	/* Without O the big cache keeps its metadata, at order 1 for one object. */
	ck_assert_int_eq(slab_debug_setup("FZPU"), 0);
	big = cache_create("big", 4096, 0);
	ck_assert_uint_eq(big->flags & SLAB_DEBUG_FLAGS, SLAB_DEBUG_DEFAULT_FLAGS);
	ck_assert_uint_gt(big->size, 4096);
	kmem_cache_destroy(big);
}
END_TEST

/* ---- pages: shrink, destroy, lists --------------------------------------------------- */

START_TEST(test_shrink_returns_pages)
{
	struct kmem_cache *s = cache_create("shrink", 256, 0);
	unsigned long before, i;
	void *objs[400];

	drain_all_pages(NULL);
	before = native_free_pages();
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	ck_assert_uint_eq(s->node.nr_slabs, 25);	/* 16 objects per page */
	ck_assert_uint_eq(native_free_pages(), before - 25);
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		kmem_cache_free(s, objs[i]);
	/* At most min_partial empty slabs stay, plus the CPU slab. */
	ck_assert_uint_eq(s->min_partial, 5);
	ck_assert_uint_le(s->node.nr_slabs, s->min_partial + 1);
	ck_assert_uint_eq(kmem_cache_shrink(s), 0);
	ck_assert_uint_eq(s->node.nr_slabs, 0);
	ck_assert_uint_eq(native_free_pages(), before);
	ck_assert_uint_eq(reports(), 0);
}
END_TEST

START_TEST(test_destroy_returns_pages)
{
	struct kmem_cache *s;
	unsigned long before, i;
	void *objs[100];

	s = cache_create("destroy", 1000, SLAB_DEBUG_DEFAULT_FLAGS);
	drain_all_pages(NULL);
	before = native_free_pages();
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		kmem_cache_free(s, objs[i]);
	kmem_cache_destroy(s);
	ck_assert_uint_eq(native_free_pages(), before);
	ck_assert_uint_eq(reports(), 0);
}
END_TEST

START_TEST(test_slab_pages_marked)
{
	struct kmem_cache *s = cache_create("marked", 2048, 0);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);
	struct slab *slab = virt_to_slab(p);
	struct page *head = slab_page(slab);
	unsigned int i;

	ck_assert_uint_eq(slab->order, 2);
	for (i = 0; i < 4; i++) {
		ck_assert(PageSlab(head + i));
		ck_assert_ptr_eq(virt_to_slab((u8 *)page_address(head) + i * PAGE_SIZE + 5), slab);
	}
	ck_assert_int_eq(page_count(head), 1);
	ck_assert_ptr_eq(slab->slab_cache, s);
	kmem_cache_free(s, p);
	kmem_cache_shrink(s);
	for (i = 0; i < 4; i++) {
		ck_assert(!PageSlab(head + i));
		ck_assert_ptr_null(head[i].mapping);
	}
	ck_assert_uint_eq(native_bad_page_count, 0);
}
END_TEST

static void count_slab(void *arg, const char *cache, unsigned long pfn, unsigned int order,
		       unsigned int inuse, unsigned int objects)
{
	unsigned long *n = arg;

	if (strcmp(cache, "walked"))
		return;
	ck_assert(PageSlab(pfn_to_page(pfn)));
	ck_assert_uint_eq(order, 0);
	ck_assert_uint_le(inuse, objects);
	n[0]++;
	n[1] += inuse;
}

START_TEST(test_walk_slabs)
{
	struct kmem_cache *s = cache_create("walked", 512, 0);
	unsigned long n[2] = { 0, 0 };
	void *objs[20];
	unsigned int i;

	for (i = 0; i < 20; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, objs[3]);
	kmem_cache_free(s, objs[19]);
	walk_slabs(count_slab, n);
	ck_assert_uint_eq(n[0], 3);
	ck_assert_uint_eq(n[1], 18);
}
END_TEST

START_TEST(test_alloc_failure)
{
	struct kmem_cache *s = cache_create("fail", 4096, 0);
	unsigned long n = 0;
	void *p;

	while ((p = kmem_cache_alloc(s, GFP_KERNEL | __GFP_NOWARN)) != NULL)
		n++;
	ck_assert_uint_gt(n, 10000);
	ck_assert_uint_ge(slab_stats.alloc_fail, 1);
}
END_TEST

START_TEST(test_failslab)
{
	struct fault_config cfg = { .nth = 3 };
	struct kmem_cache *s = cache_create("inject", 64, 0), *t = cache_create("other", 64, 0);

	failslab_configure(&cfg);
	ck_assert_ptr_nonnull(kmem_cache_alloc(s, GFP_KERNEL));
	ck_assert_ptr_nonnull(kmem_cache_alloc(s, GFP_KERNEL));
	ck_assert_ptr_null(kmem_cache_alloc(s, GFP_KERNEL));
	ck_assert_ptr_nonnull(kmem_cache_alloc(s, GFP_KERNEL));
	ck_assert_uint_eq(slab_stats.alloc_injected, 1);
	/* A cache-name filter. */
	cfg = (struct fault_config){ .probability = 100, .times = -1,
				     .filter = { .cache = "inject" } };
	failslab_configure(&cfg);
	ck_assert_ptr_null(kmem_cache_alloc(s, GFP_KERNEL));
	ck_assert_ptr_nonnull(kmem_cache_alloc(t, GFP_KERNEL));
	ck_assert_ptr_nonnull(kmalloc(8, GFP_KERNEL));
	ck_assert_uint_eq(slab_stats.alloc_injected, 2);
	cfg = (struct fault_config){ 0 };
	failslab_configure(&cfg);
	ck_assert_ptr_nonnull(kmem_cache_alloc(s, GFP_KERNEL));
}
END_TEST

/* ---- constructors and zeroing (Linux's test_meminit) ---------------------------------- */

#define CTOR_PATTERN	0x41c0ffeeu

static void ctor(void *p)
{
	*(unsigned int *)p = CTOR_PATTERN;
}

static void check_ctor_cache(slab_flags_t flags)
{
	struct kmem_cache *s = kmem_cache_create("ctor", 100, 0, flags, ctor);
	unsigned int i, j;
	u8 *p;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < 200; i++) {
		p = kmem_cache_alloc(s, GFP_KERNEL);
		fast_assert_uint_eq(*(unsigned int *)p, CTOR_PATTERN);
		for (j = sizeof(unsigned int); j < 100; j++)	/* garbage, ctor part kept */
			p[j] = (u8)(i + j);
		kmem_cache_free(s, p);
	}
	ck_assert_uint_eq(reports(), 0);
	kmem_cache_destroy(s);
}

START_TEST(test_ctor)
{
	check_ctor_cache(0);
}
END_TEST

START_TEST(test_ctor_debug)
{
	check_ctor_cache(SLAB_DEBUG_DEFAULT_FLAGS);
}
END_TEST

static void check_zalloc(slab_flags_t flags)
{
	struct kmem_cache *s = cache_create("zero", 120, flags);
	unsigned int i;
	u8 *p;

	for (i = 0; i < 100; i++) {
		p = kmem_cache_alloc(s, GFP_KERNEL);
		memset(p, 0xdb, 120);
		kmem_cache_free(s, p);
		p = kmem_cache_zalloc(s, GFP_KERNEL);
		fast_assert_bytes(p, 0, 120, "kmem_cache_zalloc() = %p, round %u", (void *)p, i);
		memset(p, 0xdb, 120);
		kmem_cache_free(s, p);
	}
	ck_assert_uint_eq(reports(), 0);
}

START_TEST(test_zalloc)
{
	check_zalloc(0);
}
END_TEST

START_TEST(test_zalloc_debug)
{
	check_zalloc(SLAB_DEBUG_DEFAULT_FLAGS);
}
END_TEST

START_TEST(test_poison_on_alloc)
{
	struct kmem_cache *s = cache_create("poisoned", 24, SLAB_POISON | SLAB_RED_ZONE);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);

	fast_assert_bytes(p, POISON_FREE, 23, "object %p", (void *)p);
	ck_assert_int_eq(p[23], POISON_END);
	ck_assert_int_eq(p[24], SLUB_RED_ACTIVE);
	ck_assert_int_eq(p[-1], SLUB_RED_ACTIVE);
	kmem_cache_free(s, p);
	ck_assert_int_eq(p[24], SLUB_RED_INACTIVE);
}
END_TEST

/* ---- random sequences against a model ---------------------------------------------- */

struct live {
	u8 *p;
	unsigned int cache;
	unsigned int size;
	u8 tag;
};

/* The object still holds its tag in every byte: nothing else wrote there. */
static void check_live(const struct live *l, unsigned int step)
{
	fast_assert_bytes(l->p, l->tag, l->size, "step %u: object %p", step, (void *)l->p);
}

/*
 * Random allocations and frees across caches of several sizes, each
 * object filled with its own tag: an overlap or a stray write shows as a
 * wrong tag, a lost object as pages not coming back.
 */
static void random_sequence(slab_flags_t flags, unsigned int steps)
{
	static const unsigned int sizes[] = { 8, 24, 64, 100, 500, 1500, 5000 };
	struct kmem_cache *caches[ARRAY_SIZE(sizes)];
	struct live live[512], *l;
	struct rnd_state rnd;
	unsigned long before;
	unsigned int i, n = 0, c;

	prandom_seed_state(&rnd, 42 + flags);
	for (c = 0; c < ARRAY_SIZE(sizes); c++)
		caches[c] = cache_create("random", sizes[c], flags);
	drain_all_pages(NULL);
	before = native_free_pages();
	for (i = 0; i < steps; i++) {
		if (n && (n == ARRAY_SIZE(live) || prandom_u32_below(&rnd, 100) < 45)) {
			l = &live[prandom_u32_below(&rnd, n)];
			check_live(l, i);
			kmem_cache_free(caches[l->cache], l->p);
			*l = live[--n];
			continue;
		}
		c = prandom_u32_below(&rnd, ARRAY_SIZE(sizes));
		l = &live[n++];
		l->p = kmem_cache_alloc(caches[c], GFP_KERNEL);
		fast_assert_ptr_nonnull(l->p);
		l->cache = c;
		l->size = sizes[c];
		l->tag = (u8)(i | 1);
		memset(l->p, l->tag, l->size);
		if (i % 1000 == 0)
			for (c = 0; c < ARRAY_SIZE(sizes); c++)
				fast_assert_int_eq(kmem_cache_validate(caches[c]), 0);
	}
	while (n) {
		l = &live[--n];
		check_live(l, steps);
		kmem_cache_free(caches[l->cache], l->p);
	}
	for (c = 0; c < ARRAY_SIZE(sizes); c++)
		kmem_cache_destroy(caches[c]);
	ck_assert_uint_eq(reports(), 0);
	ck_assert_uint_eq(native_free_pages(), before);
}

START_TEST(test_random)
{
	random_sequence(0, 50000);
}
END_TEST

START_TEST(test_random_debug)
{
	random_sequence(SLAB_DEBUG_DEFAULT_FLAGS, 20000);
}
END_TEST

static Suite *slub_suite(void)
{
	Suite *s = suite_create("slub");
	TCase *tc = tcase_create("slub_kunit");

	tcase_add_checked_fixture(tc, setup, native_mm_machine_exit);
	tcase_add_test(tc, test_clobber_zone);
	tcase_add_test(tc, test_clobber_left_zone);
	tcase_add_test(tc, test_next_pointer);
	tcase_add_test(tc, test_first_word);
	tcase_add_test(tc, test_clobber_50th_byte);
	tcase_add_test(tc, test_clobber_end_byte);
	tcase_add_test(tc, test_clobber_redzone_free);
	tcase_add_test(tc, test_kmalloc_redzone_access);
	tcase_add_test(tc, test_leak_destroy);
	suite_add_tcase(s, tc);

	tc = tcase_create("checks");
	tcase_add_checked_fixture(tc, setup, native_mm_machine_exit);
	tcase_add_test(tc, test_redzone_caught_on_free);
	tcase_add_test(tc, test_use_after_free_caught_on_alloc);
	tcase_add_test(tc, test_freepointer_caught_on_alloc);
	tcase_add_test(tc, test_freepointer_outside_slab);
	tcase_add_test(tc, test_freelist_cycle);
	tcase_add_test(tc, test_double_free_fast);
	tcase_add_test(tc, test_double_free_empty_slab);
	tcase_add_test(tc, test_cpu_slab_takes_its_frees_over);
	tcase_add_test(tc, test_double_free_deep);
	tcase_add_test(tc, test_free_not_object_start);
	tcase_add_test(tc, test_free_not_slab);
	tcase_add_test(tc, test_free_wrong_cache);
	tcase_add_test(tc, test_store_user);
	tcase_add_test(tc, test_slab_padding);
	suite_add_tcase(s, tc);

	tc = tcase_create("caches");
	tcase_add_checked_fixture(tc, setup, native_mm_machine_exit);
	tcase_add_test(tc, test_layout_plain);
	tcase_add_test(tc, test_layout_debug);
	tcase_add_test(tc, test_slab_orders);
	tcase_add_test(tc, test_create_rejects);
	tcase_add_test(tc, test_slab_debug_global);
	tcase_add_test(tc, test_slab_debug_per_cache);
	tcase_add_test(tc, test_slab_debug_errors);
	tcase_add_test(tc, test_slab_debug_unknown_letter);
	tcase_add_test(tc, test_slab_debug_trace);
	tcase_add_test(tc, test_slab_debug_failslab_flag);
	tcase_add_test(tc, test_slab_debug_no_higher_order);
	tcase_add_test(tc, test_shrink_returns_pages);
	tcase_add_test(tc, test_destroy_returns_pages);
	tcase_add_test(tc, test_slab_pages_marked);
	tcase_add_test(tc, test_walk_slabs);
	tcase_add_test(tc, test_alloc_failure);
	tcase_add_test(tc, test_failslab);
	tcase_add_test(tc, test_ctor);
	tcase_add_test(tc, test_ctor_debug);
	tcase_add_test(tc, test_zalloc);
	tcase_add_test(tc, test_zalloc_debug);
	tcase_add_test(tc, test_poison_on_alloc);
	tcase_add_test(tc, test_random);
	tcase_add_test(tc, test_random_debug);
	suite_add_tcase(s, tc);

	tc = tcase_create("boot");
	tcase_add_checked_fixture(tc, setup_machine, native_mm_machine_exit);
	tcase_add_test(tc, test_slab_debug_kmalloc_caches);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(slub_suite)
