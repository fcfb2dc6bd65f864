// SPDX-License-Identifier: MIT
/* Where a flip lands (pick.h). */
#include <stdio.h>

#include "pick.h"

static bool walk_has_ranges(const struct snap_walk *w)
{
	return w->cr3 && w->ranges.n;
}

unsigned int corrupt_classes(const struct corrupt_arena *a)
{
	unsigned int avail = 0;

	for (size_t i = 0; i < a->snap.ntasks; i++)
		if (walk_has_ranges(&a->snap.tasks[i].walk))
			avail |= 1u << CORRUPT_PTE_USER;
	if (walk_has_ranges(&a->snap.kernel))
		avail |= 1u << CORRUPT_PTE_KERNEL;
	if (a->have_mem_map && a->pages_in_use)
		avail |= 1u << CORRUPT_PAGE;
	if (a->snap.nslabs)
		avail |= 1u << CORRUPT_SLAB;
	return avail;
}

/* An entry on the way to a page of walk w, at a level drawn too. */
static int pick_pte(struct corrupt_rng *rng, const struct guest_ram *ram,
		    const struct snap_walk *w, struct corrupt_target *t)
{
	static const char *const level[4] = { "pgd", "pud", "pmd", "pte" };
	const struct map *r = &w->ranges.v[corrupt_below(rng, w->ranges.n)];
	uint64_t va = r->va + (corrupt_below(rng, r->size >> PAGE_SHIFT) << PAGE_SHIFT);
	struct pt_translation tr;
	int l;

	if (pt_translate(ram, w->cr3, va, &tr) || tr.nlevels < 1 || tr.nlevels > 4)
		return -1;
	l = corrupt_below(rng, tr.nlevels);
	t->gpa = tr.entry_gpa[l];
	t->bit = corrupt_below(rng, 64);
	snprintf(t->field, sizeof(t->field), "%s.%s", level[l], corrupt_pte_field(t->bit));
	return 0;
}

static const struct snap_walk *pick_user_walk(struct corrupt_rng *rng,
					      const struct corrupt_arena *a)
{
	size_t n = 0, k;

	for (size_t i = 0; i < a->snap.ntasks; i++)
		n += walk_has_ranges(&a->snap.tasks[i].walk);
	k = corrupt_below(rng, n);
	for (size_t i = 0; i < a->snap.ntasks; i++)
		if (walk_has_ranges(&a->snap.tasks[i].walk) && !k--)
			return &a->snap.tasks[i].walk;
	return NULL;
}

/* A word of the struct page of a frame in use: free ones are the buddy's to check. */
static int pick_page(struct corrupt_rng *rng, const struct corrupt_arena *a,
		     struct corrupt_target *t)
{
	uint64_t k = corrupt_below(rng, a->pages_in_use);
	size_t n = a->mem_map.size / VMM_STRUCT_PAGE_SIZE;
	unsigned int word = 8 * corrupt_below(rng, VMM_STRUCT_PAGE_SIZE / 8);

	for (size_t pfn = 0; pfn < a->snap.npages && pfn < n; pfn++) {
		if (a->snap.pages[pfn].refcount <= 0 || k--)
			continue;
		t->gpa = a->mem_map.gpa + pfn * VMM_STRUCT_PAGE_SIZE + word;
		t->bit = corrupt_below(rng, 64);
		snprintf(t->field, sizeof(t->field), "%s", corrupt_page_field(word, t->bit));
		return 0;
	}
	return -1;
}

static int pick_slab(struct corrupt_rng *rng, const struct corrupt_arena *a, bool slab_debug,
		     struct corrupt_target *t)
{
	const struct vmm_slab *sl = &a->snap.slabs[corrupt_below(rng, a->snap.nslabs)];

	t->gpa = corrupt_slab_slot(sl, corrupt_below(rng, sl->objects));
	t->bit = corrupt_below(rng, 64);
	snprintf(t->field, sizeof(t->field), "%s", slab_debug ? "redzone" : "freeptr");
	return t->gpa ? 0 : -1;
}

int corrupt_pick(struct corrupt_rng *rng, const struct guest_ram *ram,
		 const struct corrupt_arena *a, bool slab_debug, struct corrupt_target *t)
{
	const struct snap_walk *w;

	t->cls = corrupt_pick_class(rng, corrupt_classes(a));
	switch (t->cls) {
	case CORRUPT_PTE_USER:
		w = pick_user_walk(rng, a);
		return w ? pick_pte(rng, ram, w, t) : -1;
	case CORRUPT_PTE_KERNEL:
		return pick_pte(rng, ram, &a->snap.kernel, t);
	case CORRUPT_PAGE:
		return pick_page(rng, a, t);
	case CORRUPT_SLAB:
		return pick_slab(rng, a, slab_debug, t);
	}
	return -1;
}
