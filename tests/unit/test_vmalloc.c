// SPDX-License-Identifier: MIT
/*
 * vmalloc (guest/mm/vmalloc.c) and the red-black tree under it
 * (guest/lib/rbtree.c), compiled natively: the tree's rules after every
 * operation, plain and augmented, against a model; then Linux's
 * test_vmalloc cases (fixed size, exact-fit holes, a busy list of 15,000
 * areas, random sizes, alignments, align_shift), guard pages, frames
 * returned, vmap, /proc/vmallocinfo and failure paths.
 *
 * Nothing is mapped at vmalloc addresses in this process: the native seam
 * records what would be mapped (native_vmap_lookup()), and the tests
 * reach an area's bytes through the frame it records.
 */
#include <stdio.h>
#include <string.h>

#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/rbtree.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <native/mm_machine.h>
#include <native/seam.h>

#include "check_fast.h"
#include "check_main.h"
#include "guest/mm/slab.h"

#define PHYS_SIZE	(128UL << 20)

/* ---- the red-black tree -------------------------------------------------------------- */

struct item {
	struct rb_node node;
	unsigned long key;
	unsigned long value;
	unsigned long subtree_max;	/* augmented trees: max value below */
};

#define NR_ITEMS	600

static struct item items[NR_ITEMS];
static bool in_tree[NR_ITEMS];
static struct rb_root root;

static struct item *item_of(const struct rb_node *n)
{
	return rb_entry(n, struct item, node);
}

static unsigned long item_max(const struct rb_node *n)
{
	return n ? item_of(n)->subtree_max : 0;
}

static unsigned long compute_max(const struct item *it)
{
	return max(it->value, max(item_max(it->node.rb_left), item_max(it->node.rb_right)));
}

static void cb_propagate(struct rb_node *n, struct rb_node *stop)
{
	unsigned long m;

	for (; n != stop; n = rb_parent(n)) {
		m = compute_max(item_of(n));
		if (item_of(n)->subtree_max == m)
			break;
		item_of(n)->subtree_max = m;
	}
}

static void cb_copy(struct rb_node *old, struct rb_node *new)
{
	item_of(new)->subtree_max = item_of(old)->subtree_max;
}

static void cb_rotate(struct rb_node *old, struct rb_node *new)
{
	item_of(new)->subtree_max = item_of(old)->subtree_max;
	item_of(old)->subtree_max = compute_max(item_of(old));
}

static const struct rb_augment_callbacks item_augment = { cb_propagate, cb_copy, cb_rotate };

static bool is_black(const struct rb_node *n)
{
	return !n || (n->__rb_parent_color & 1);
}

/* Checks the rules below n and returns its black height. */
static int check_subtree(const struct rb_node *n, const struct rb_node *parent, bool augmented,
			 unsigned long *count)
{
	int lh, rh;

	if (!n)
		return 1;
	fast_assert_ptr_eq(rb_parent(n), parent);
	if (!is_black(n))
		fast_assert(is_black(n->rb_left) && is_black(n->rb_right));
	if (n->rb_left)
		fast_assert_uint_lt(item_of(n->rb_left)->key, item_of(n)->key);
	if (n->rb_right)
		fast_assert_uint_gt(item_of(n->rb_right)->key, item_of(n)->key);
	if (augmented)
		fast_assert_uint_eq(item_of(n)->subtree_max, compute_max(item_of(n)));
	(*count)++;
	lh = check_subtree(n->rb_left, n, augmented, count);
	rh = check_subtree(n->rb_right, n, augmented, count);
	fast_assert_int_eq(lh, rh);
	return lh + is_black(n);
}

static void check_tree(bool augmented)
{
	unsigned long count = 0, expect = 0, i;
	struct rb_node *n;

	fast_assert(is_black(root.rb_node));
	check_subtree(root.rb_node, NULL, augmented, &count);
	for (i = 0; i < NR_ITEMS; i++)
		expect += in_tree[i];
	fast_assert_uint_eq(count, expect);
	/* In order both ways, and exactly the members. */
	for (i = 0, n = rb_first(&root); i < NR_ITEMS; i++) {
		if (!in_tree[i])
			continue;
		fast_assert_ptr_eq(n, &items[i].node);
		n = rb_next(n);
	}
	fast_assert_ptr_null(n);
	for (i = NR_ITEMS, n = rb_last(&root); i-- > 0;) {
		if (!in_tree[i])
			continue;
		fast_assert_ptr_eq(n, &items[i].node);
		n = rb_prev(n);
	}
	fast_assert_ptr_null(n);
}

static void tree_insert(struct item *it, bool augmented)
{
	struct rb_node **link = &root.rb_node, *parent = NULL;

	it->subtree_max = it->value;
	while (*link) {
		parent = *link;
		if (augmented && item_of(parent)->subtree_max < it->value)
			item_of(parent)->subtree_max = it->value;
		link = it->key < item_of(parent)->key ? &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&it->node, parent, link);
	if (augmented)
		rb_insert_augmented(&it->node, &root, &item_augment);
	else
		rb_insert_color(&it->node, &root);
}

static void random_tree(bool augmented, unsigned int steps)
{
	struct rnd_state rnd;
	unsigned int i, k;

	prandom_seed_state(&rnd, augmented ? 2 : 1);
	root = RB_ROOT;
	for (i = 0; i < NR_ITEMS; i++) {
		items[i].key = i;
		items[i].value = prandom_u32_below(&rnd, 1000000);
	}
	for (i = 0; i < steps; i++) {
		k = prandom_u32_below(&rnd, NR_ITEMS);
		if (in_tree[k]) {
			if (augmented)
				rb_erase_augmented(&items[k].node, &root, &item_augment);
			else
				rb_erase(&items[k].node, &root);
		} else {
			tree_insert(&items[k], augmented);
		}
		in_tree[k] = !in_tree[k];
		if (i % 7 == 0 || i > steps - 50)
			check_tree(augmented);
	}
	check_tree(augmented);
}

START_TEST(test_rbtree)
{
	random_tree(false, 20000);
}
END_TEST

START_TEST(test_rbtree_augmented)
{
	random_tree(true, 20000);
}
END_TEST

/* Ascending insertion, the worst case for an unbalanced tree, then erase all. */
START_TEST(test_rbtree_sequential)
{
	unsigned int i;

	root = RB_ROOT;
	for (i = 0; i < NR_ITEMS; i++) {
		items[i].key = i;
		items[i].value = i;
		tree_insert(&items[i], true);
		in_tree[i] = true;
	}
	check_tree(true);
	ck_assert_uint_eq(item_of(root.rb_node)->subtree_max, NR_ITEMS - 1);
	for (i = 0; i < NR_ITEMS; i++) {
		rb_erase_augmented(&items[i].node, &root, &item_augment);
		in_tree[i] = false;
	}
	ck_assert(RB_EMPTY_ROOT(&root));
}
END_TEST

/* ---- vmalloc ------------------------------------------------------------------------------- */

static void setup(void)
{
	native_mm_machine_init(PHYS_SIZE);
	kmem_cache_init();
	vmalloc_init();
}

/* Free pages once every cache has given back its empty slabs. */
static unsigned long total_free(void)
{
	struct kmem_cache *s;
	struct zone *zone;
	unsigned long n = 0;

	list_for_each_entry(s, &slab_caches, list)
		kmem_cache_shrink(s);
	drain_all_pages(NULL);
	for_each_zone(zone)
		n += zone->free_pages;
	return n;
}

/* The byte at a vmalloc address, through the frame the seam maps there. */
static u8 *vbyte(const void *addr)
{
	struct page *page = native_vmap_lookup((unsigned long)addr);

	fast_assert_msg(page, "nothing mapped at %p", addr);
	return (u8 *)page_address(page) + ((unsigned long)addr & ~PAGE_MASK);
}

/* Every page of the area at p mapped to its recorded frame, the guard page not. */
static void check_area(const void *p, unsigned long size)
{
	struct vm_struct *vm = find_vm_area(p);
	unsigned long a = (unsigned long)p, i, n = ALIGN(size, PAGE_SIZE) >> PAGE_SHIFT;

	fast_assert_msg(vm, "no area at %p", p);
	fast_assert_ptr_eq(vm->addr, p);
	fast_assert_uint_eq(vm->size, (n + 1) * PAGE_SIZE);
	fast_assert_uint_eq(vm->nr_pages, n);
	for (i = 0; i < n; i++) {
		fast_assert_ptr_eq(native_vmap_lookup(a + i * PAGE_SIZE), vm->pages[i]);
		fast_assert_ptr_eq(vmalloc_to_page((void *)(a + i * PAGE_SIZE + 123)), vm->pages[i]);
		fast_assert_int_eq(page_count(vm->pages[i]), 1);
	}
	fast_assert_ptr_null(native_vmap_lookup(a + n * PAGE_SIZE));
	fast_assert_ptr_null(vmalloc_to_page((void *)(a + n * PAGE_SIZE)));
}

/* Nothing busy, nothing mapped, the range one free area again. */
static void check_all_free(void)
{
	ck_assert_uint_eq(vmalloc_stats.nr_areas, 0);
	ck_assert_uint_eq(vmalloc_stats.nr_pages, 0);
	ck_assert_uint_eq(vmalloc_stats.nr_free_areas, 1);
	ck_assert_uint_eq(native_vmap_nr_mapped, 0);
	ck_assert_uint_eq(native_bad_page_count, 0);
	ck_assert_uint_eq(native_slab_report_count, 0);
}

START_TEST(test_fixed_size)
{
	void *p;
	unsigned int i;

	for (i = 0; i < 1000; i++) {
		p = vmalloc(3 * PAGE_SIZE);
		fast_assert_ptr_eq(p, (void *)VMALLOC_START);
		check_area(p, 3 * PAGE_SIZE);
		*vbyte(p) = 0;
		vfree(p);
	}
	check_all_free();
}
END_TEST

START_TEST(test_areas_and_guards)
{
	static const unsigned long sizes[] = { 1, PAGE_SIZE, 5000, 3 * PAGE_SIZE, SZ_1M + 1 };
	void *p[ARRAY_SIZE(sizes)];
	unsigned long expect = VMALLOC_START;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = vmalloc(sizes[i]);
		ck_assert_ptr_eq(p[i], (void *)expect);
		ck_assert(is_vmalloc_addr(p[i]));
		expect += ALIGN(sizes[i], PAGE_SIZE) + PAGE_SIZE;
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		check_area(p[i], sizes[i]);
	ck_assert_uint_eq(native_vmap_nr_mapped, vmalloc_stats.nr_pages);
	ck_assert_uint_eq(vmalloc_stats.nr_areas, ARRAY_SIZE(sizes));
	ck_assert_ptr_null(find_vm_area((void *)expect));
	ck_assert(!is_vmalloc_addr(page_address(pfn_to_page(1000))));
	/* Free the middle: its pages unmapped, the neighbours untouched. */
	vfree(p[2]);
	ck_assert_ptr_null(native_vmap_lookup((unsigned long)p[2]));
	check_area(p[1], sizes[1]);
	check_area(p[3], sizes[3]);
	ck_assert_uint_eq(vmalloc_stats.nr_free_areas, 2);
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		if (i != 2)
			vfree(p[i]);
	check_all_free();
}
END_TEST

START_TEST(test_vfree_returns_frames)
{
	unsigned long before;
	struct page *pages[100];
	struct vm_struct *vm;
	unsigned int i;
	void *p;

	vfree(vmalloc(PAGE_SIZE));	/* bookkeeping caches warm */
	before = total_free();
	p = vmalloc(100 * PAGE_SIZE);
	vm = find_vm_area(p);
	memcpy(pages, vm->pages, sizeof(pages));
	ck_assert_uint_le(total_free(), before - 100);
	vfree(p);
	for (i = 0; i < 100; i++)
		fast_assert_int_eq(page_count(pages[i]), 0);
	ck_assert_uint_eq(total_free(), before);
	check_all_free();
}
END_TEST

START_TEST(test_vzalloc)
{
	unsigned int i;
	u8 *p;

	p = vmalloc(10 * PAGE_SIZE);
	for (i = 0; i < 10 * PAGE_SIZE; i += PAGE_SIZE)
		memset(vbyte(p + i), 0xee, PAGE_SIZE);
	vfree(p);
	p = vzalloc(10 * PAGE_SIZE);
	for (i = 0; i < 10 * PAGE_SIZE; i += PAGE_SIZE)
		fast_assert_bytes(vbyte(p + i), 0, PAGE_SIZE, "vzalloc() = %p, page at %p",
				  (void *)p, (void *)(p + i));
	vfree(p);
	check_all_free();
}
END_TEST

/* Linux's full_fit_alloc_test: holes of exactly one area are found and filled, lowest first. */
START_TEST(test_exact_fit_holes)
{
	enum { N = 1000 };
	static void *ptr[N], *junk[N];
	unsigned int i;
	void *p;

	for (i = 0; i < N; i++) {
		ptr[i] = vmalloc(PAGE_SIZE);
		junk[i] = vmalloc(PAGE_SIZE);
	}
	for (i = 0; i < N; i++)
		vfree(junk[i]);
	ck_assert_uint_eq(vmalloc_stats.nr_free_areas, N);	/* the last hole joined the rest */
	for (i = 0; i < N; i++) {
		p = vmalloc(PAGE_SIZE);
		fast_assert_ptr_eq(p, junk[i]);
		check_area(p, PAGE_SIZE);
	}
	ck_assert_uint_eq(vmalloc_stats.nr_free_areas, 1);
	for (i = 0; i < N; i++) {
		vfree(ptr[i]);
		vfree(junk[i]);
	}
	check_all_free();
}
END_TEST

/* Linux's long_busy_list_alloc_test: 15,000 live areas, then alloc/free cycles past them. */
START_TEST(test_long_busy_list)
{
	enum { N = 15000 };
	static void *ptr[N];
	unsigned long top;
	unsigned int i;
	void *p;

	for (i = 0; i < N; i++)
		ptr[i] = vmalloc(PAGE_SIZE);
	top = VMALLOC_START + N * 2 * PAGE_SIZE;
	ck_assert_ptr_eq(ptr[N - 1], (void *)(top - 2 * PAGE_SIZE));
	ck_assert_uint_eq(vmalloc_stats.nr_areas, N);
	for (i = 0; i < 2000; i++) {
		p = vmalloc(PAGE_SIZE);
		fast_assert_ptr_eq(p, (void *)top);
		*vbyte(p) = 1;
		vfree(p);
	}
	/* Every other one freed: 7,500 holes, still found lowest first. */
	for (i = 0; i < N; i += 2)
		vfree(ptr[i]);
	ck_assert_uint_eq(vmalloc_stats.nr_free_areas, N / 2 + 1);
	p = vmalloc(PAGE_SIZE);
	ck_assert_ptr_eq(p, ptr[0]);
	vfree(p);
	p = vmalloc(2 * PAGE_SIZE);	/* fits no hole */
	ck_assert_ptr_eq(p, (void *)top);
	vfree(p);
	for (i = 1; i < N; i += 2)
		vfree(ptr[i]);
	check_all_free();
}
END_TEST

START_TEST(test_random_sizes)
{
	struct rnd_state rnd;
	unsigned int i, n;
	void *p;

	prandom_seed_state(&rnd, 3);
	for (i = 0; i < 2000; i++) {
		n = 1 + prandom_u32_below(&rnd, 100);
		p = vmalloc(n * PAGE_SIZE);
		fast_assert_ptr_nonnull(p);
		*vbyte(p) = 0;
		*vbyte((u8 *)p + n * PAGE_SIZE - 1) = 0;
		vfree(p);
	}
	check_all_free();
}
END_TEST

struct live_area {
	u8 *p;
	unsigned long size;
	unsigned long align;
};

/* No two live areas, guard pages included, overlap; each is mapped as recorded. */
static void check_live(const struct live_area *live, unsigned int n)
{
	unsigned long pages = 0;
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		check_area(live[i].p, live[i].size);
		fast_assert_uint_eq((unsigned long)live[i].p % live[i].align, 0);
		fast_assert_int_eq(*vbyte(live[i].p), (u8)((unsigned long)live[i].p >> 12));
		pages += ALIGN(live[i].size, PAGE_SIZE) >> PAGE_SHIFT;
		for (j = i + 1; j < n; j++)
			fast_assert(live[i].p + live[i].size + PAGE_SIZE <= live[j].p ||
				    live[j].p + live[j].size + PAGE_SIZE <= live[i].p);
	}
	fast_assert_uint_eq(vmalloc_stats.nr_areas, n);
	fast_assert_uint_eq(native_vmap_nr_mapped, pages);
}

/* Random sizes and alignments, alive together, against a list of what should be there. */
START_TEST(test_random_against_model)
{
	struct live_area live[64];
	struct rnd_state rnd;
	unsigned int i, n = 0, k;
	unsigned long before = total_free();

	prandom_seed_state(&rnd, 4);
	for (i = 0; i < 3000; i++) {
		if (n && (n == ARRAY_SIZE(live) || prandom_u32_below(&rnd, 2))) {
			k = prandom_u32_below(&rnd, n);
			vfree(live[k].p);
			live[k] = live[--n];
		} else {
			live[n].size = 1 + prandom_u32_below(&rnd, 40 * PAGE_SIZE);
			live[n].align = 1UL << (12 + prandom_u32_below(&rnd, 8));
			live[n].p = __vmalloc_node(live[n].size, live[n].align, GFP_KERNEL, 0, NULL);
			fast_assert_ptr_nonnull(live[n].p);
			*vbyte(live[n].p) = (u8)((unsigned long)live[n].p >> 12);
			n++;
		}
		if (i % 20 == 0)
			check_live(live, n);
	}
	while (n)
		vfree(live[--n].p);
	check_all_free();
	ck_assert_uint_eq(total_free(), before);
}
END_TEST

/* Linux's fix_align_alloc_test and random_size_align_alloc_test. */
START_TEST(test_alignments)
{
	struct rnd_state rnd;
	unsigned long align, size;
	void *filler = vmalloc(PAGE_SIZE), *p;
	unsigned int i;

	for (i = 0; i < 1000; i++) {
		p = __vmalloc_node(5 * PAGE_SIZE, 32 * 1024, GFP_KERNEL | __GFP_ZERO, 0, NULL);
		fast_assert_uint_eq((unsigned long)p % (32 * 1024), 0);
		fast_assert_ptr_eq(p, (void *)(VMALLOC_START + 32 * 1024));
		vfree(p);
	}
	prandom_seed_state(&rnd, 5);
	for (i = 0; i < 1000; i++) {
		align = 1UL << prandom_u32_below(&rnd, 24);
		size = (1 + prandom_u32_below(&rnd, 10)) * PAGE_SIZE;
		p = __vmalloc_node(size, align, GFP_KERNEL, 0, NULL);
		fast_assert_ptr_nonnull(p);
		fast_assert_uint_eq((unsigned long)p % max(align, PAGE_SIZE), 0);
		check_area(p, size);
		vfree(p);
	}
	vfree(filler);
	check_all_free();
}
END_TEST

/* Linux's align_shift_alloc_test: past what the range can hold, a clean failure. */
START_TEST(test_align_shift)
{
	unsigned long before = total_free();
	unsigned int i, ok = 0;
	void *p;

	for (i = 0; i < 64; i++) {
		p = __vmalloc_node(PAGE_SIZE, 1UL << i, GFP_KERNEL | __GFP_NOWARN, 0, NULL);
		if (!p)
			continue;
		ok++;
		ck_assert_uint_eq((unsigned long)p % (1UL << i), 0);
		vfree(p);
	}
	ck_assert_uint_eq(ok, 45);		/* aligns up to 2^44 fit in the range */
	ck_assert_uint_eq(vmalloc_stats.alloc_fail, 64 - 45);
	ck_assert_ptr_null(__vmalloc_node(PAGE_SIZE, 3 * PAGE_SIZE, GFP_KERNEL | __GFP_NOWARN, 0,
					  NULL));
	check_all_free();
	ck_assert_uint_eq(total_free(), before);
}
END_TEST

START_TEST(test_too_big)
{
	unsigned long managed = 0;
	struct zone *zone;

	for_each_zone(zone)
		managed += zone->managed_pages;
	ck_assert_ptr_null(vmalloc(0));
	ck_assert_ptr_null(__vmalloc_node(PHYS_SIZE + PAGE_SIZE, 1, GFP_KERNEL | __GFP_NOWARN, 0,
					  NULL));
	ck_assert_ptr_null(__vmalloc_node(~0UL, 1, GFP_KERNEL | __GFP_NOWARN, 0, NULL));
	/* Less than RAM, more than is free: fails when the pages run out, and gives them back. */
	ck_assert_ptr_null(__vmalloc_node((managed - 100) * PAGE_SIZE, 1, GFP_KERNEL | __GFP_NOWARN,
					  0, NULL));
	check_all_free();
}
END_TEST

START_TEST(test_vmap)
{
	struct page *pages[5];
	unsigned int i;
	void *p;

	for (i = 0; i < 5; i++)
		pages[i] = alloc_page(GFP_KERNEL);
	p = vmap(pages, 5, VM_MAP, 0);
	ck_assert_ptr_eq(p, (void *)VMALLOC_START);
	for (i = 0; i < 5; i++) {
		ck_assert_ptr_eq(native_vmap_lookup((unsigned long)p + i * PAGE_SIZE), pages[i]);
		ck_assert_ptr_eq(vmalloc_to_page((u8 *)p + i * PAGE_SIZE), pages[i]);
	}
	ck_assert_ptr_null(native_vmap_lookup((unsigned long)p + 5 * PAGE_SIZE));
	pages[0] = NULL;		/* vmap kept its own copy */
	ck_assert_ptr_nonnull(vmalloc_to_page(p));
	pages[0] = vmalloc_to_page(p);
	vunmap(p);
	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(page_count(pages[i]), 1);	/* still the caller's */
		__free_page(pages[i]);
	}
	ck_assert_ptr_null(vmap(pages, 0, VM_MAP, 0));
	check_all_free();
}
END_TEST

START_TEST(test_vmallocinfo)
{
	static char buf[4096];
	char expect[256];
	struct page *pages[2] = { alloc_page(GFP_KERNEL), alloc_page(GFP_KERNEL) };
	void *a = vmalloc(3 * PAGE_SIZE), *b = vmap(pages, 2, VM_MAP, 0);
	void *c = vmalloc(100);
	int len = vmallocinfo_show(buf, sizeof(buf));

	ck_assert_int_gt(len, 0);
	snprintf(expect, sizeof(expect), "0x%016lx-0x%016lx   16384 0x%lx pages=3 vmalloc\n"
		 "0x%016lx-0x%016lx   12288 0x%lx vmap\n"
		 "0x%016lx-0x%016lx    8192 0x%lx pages=1 vmalloc\n",
		 (unsigned long)a, (unsigned long)a + 16384, (unsigned long)find_vm_area(a)->caller,
		 (unsigned long)b, (unsigned long)b + 12288, (unsigned long)find_vm_area(b)->caller,
		 (unsigned long)c, (unsigned long)c + 8192, (unsigned long)find_vm_area(c)->caller);
	ck_assert_str_eq(buf, expect);
	ck_assert_str_eq(strstr(buf, "0xffffc90000000000-0xffffc90000004000   16384"), buf);
	ck_assert_int_eq(vmallocinfo_show(buf, 20), -1);
	vfree(a);
	vunmap(b);
	vfree(c);
	__free_page(pages[0]);
	__free_page(pages[1]);
	ck_assert_int_eq(vmallocinfo_show(buf, sizeof(buf)), 0);
	check_all_free();
}
END_TEST

struct walked {
	unsigned long last_end;
	unsigned int areas;
	unsigned long pages;
};

static void walk_fn(void *arg, unsigned long start, unsigned long size, unsigned int nr_pages,
		    struct page *const *pages)
{
	struct walked *w = arg;
	unsigned int i;

	ck_assert_uint_ge(start, w->last_end);
	ck_assert_uint_eq(size, (nr_pages + 1UL) * PAGE_SIZE);
	for (i = 0; i < nr_pages; i++)
		ck_assert_ptr_eq(native_vmap_lookup(start + i * PAGE_SIZE), pages[i]);
	ck_assert_ptr_null(native_vmap_lookup(start + size - PAGE_SIZE));
	w->last_end = start + size;
	w->areas++;
	w->pages += nr_pages;
}

START_TEST(test_walk)
{
	struct walked w = { 0, 0, 0 };
	void *p[10];
	unsigned int i;

	for (i = 0; i < 10; i++)
		p[i] = vmalloc((i + 1) * PAGE_SIZE);
	vfree(p[4]);
	walk_vmap_areas(walk_fn, &w);
	ck_assert_uint_eq(w.areas, 9);
	ck_assert_uint_eq(w.pages, 55 - 5);
	for (i = 0; i < 10; i++)
		if (i != 4)
			vfree(p[i]);
	check_all_free();
}
END_TEST

START_TEST(test_bad_vfree)
{
	u8 *p = vmalloc(2 * PAGE_SIZE);
	int x;

	vfree(NULL);
	vfree(p + PAGE_SIZE);
	vfree(&x);
	vunmap((void *)VMALLOC_END);
	ck_assert_uint_eq(vmalloc_stats.bad_frees, 3);
	check_area(p, 2 * PAGE_SIZE);
	vfree(p);
	vfree(p);
	ck_assert_uint_eq(vmalloc_stats.bad_frees, 4);
	check_all_free();
}
END_TEST

/* Every way an allocation can fail leaves nothing behind. */
START_TEST(test_failures)
{
	struct fault_config cfg = { .nth = 1 };
	unsigned long before;
	void *p;

	vfree(vmalloc(PAGE_SIZE));
	before = total_free();
	fail_vmalloc_configure(&cfg);
	ck_assert_ptr_null(vmalloc(PAGE_SIZE));
	ck_assert_uint_eq(vmalloc_stats.alloc_injected, 1);
	native_vmap_fail_nth = 1;			/* the mapping */
	ck_assert_ptr_null(vmalloc(8 * PAGE_SIZE));
	failslab_configure(&cfg);			/* the vm_struct */
	ck_assert_ptr_null(vmalloc(8 * PAGE_SIZE));
	cfg.nth = 3;					/* the pages array */
	failslab_configure(&cfg);
	ck_assert_ptr_null(vmalloc(8 * PAGE_SIZE));
	cfg.nth = 5;					/* the fifth page */
	fail_page_alloc_configure(&cfg);
	ck_assert_ptr_null(vmalloc(8 * PAGE_SIZE));
	ck_assert_uint_eq(vmalloc_stats.alloc_fail, 5);
	check_all_free();
	ck_assert_uint_eq(total_free(), before);
	p = vmalloc(8 * PAGE_SIZE);
	check_area(p, 8 * PAGE_SIZE);
	vfree(p);
}
END_TEST

/*
 * An aligned area in the middle of a free one splits it in two, which
 * takes a spare vmap_area: failing to get one fails the allocation
 * cleanly.  Slab allocations in order: vm_struct, busy area, spare.
 */
START_TEST(test_split_failure)
{
	struct fault_config cfg = { .nth = 3 };
	void *a = vmalloc(PAGE_SIZE), *p;

	failslab_configure(&cfg);
	ck_assert_ptr_null(__vmalloc_node(PAGE_SIZE, SZ_1M, GFP_KERNEL | __GFP_NOWARN, 0, NULL));
	ck_assert_uint_eq(vmalloc_stats.nr_areas, 1);
	ck_assert_uint_eq(vmalloc_stats.nr_free_areas, 1);
	p = __vmalloc_node(PAGE_SIZE, SZ_1M, GFP_KERNEL, 0, NULL);
	ck_assert_ptr_eq(p, (void *)(VMALLOC_START + SZ_1M));
	ck_assert_uint_eq(vmalloc_stats.nr_free_areas, 2);
	vfree(p);
	vfree(a);
	check_all_free();
}
END_TEST

static Suite *vmalloc_suite(void)
{
	Suite *s = suite_create("vmalloc");
	TCase *tc = tcase_create("rbtree");

	tcase_add_test(tc, test_rbtree);
	tcase_add_test(tc, test_rbtree_augmented);
	tcase_add_test(tc, test_rbtree_sequential);
	suite_add_tcase(s, tc);

	tc = tcase_create("test_vmalloc");
	tcase_add_checked_fixture(tc, setup, native_mm_machine_exit);
	tcase_add_test(tc, test_fixed_size);
	tcase_add_test(tc, test_areas_and_guards);
	tcase_add_test(tc, test_vfree_returns_frames);
	tcase_add_test(tc, test_vzalloc);
	tcase_add_test(tc, test_exact_fit_holes);
	tcase_add_test(tc, test_long_busy_list);
	tcase_add_test(tc, test_random_sizes);
	tcase_add_test(tc, test_random_against_model);
	tcase_add_test(tc, test_alignments);
	tcase_add_test(tc, test_align_shift);
	tcase_add_test(tc, test_too_big);
	tcase_add_test(tc, test_vmap);
	tcase_add_test(tc, test_vmallocinfo);
	tcase_add_test(tc, test_walk);
	tcase_add_test(tc, test_bad_vfree);
	tcase_add_test(tc, test_failures);
	tcase_add_test(tc, test_split_failure);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(vmalloc_suite)
