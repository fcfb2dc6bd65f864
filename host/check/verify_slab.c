// SPDX-License-Identifier: MIT
/*
 * Rule slab-free of `check`: every page a slab cache lists as its own must
 * be out of the page allocator's hands.  Two accounts the guest keeps
 * apart (the slab allocator's lists and the buddy and per-CPU free lists)
 * are compared by the host; a page on both is memory the next
 * alloc_pages() would hand out while objects still live in it.
 */
#include <stdio.h>
#include <string.h>

#include "shared/layout.h"
#include "shared/pte.h"
#include "rules.h"

static void check_one_slab(struct checker *c, const struct vmm_slab *s,
			   const struct map_list *free_blocks)
{
	uint64_t pa = s->pfn << PAGE_SHIFT, end = pa + (PAGE_SIZE << s->order);
	const struct map *f = free_after(free_blocks, pa);
	int name_len = (int)strnlen(s->cache, sizeof(s->cache));

	for (; f && f < free_blocks->v + free_blocks->n && f->va < end; f++) {
		uint64_t from = f->va > pa ? f->va : pa;
		uint64_t to = f->va + f->size < end ? f->va + f->size : end;

		finding(c, "slab-free", PAGE_OFFSET + from, PAGE_OFFSET + to - 1,
			"phys %#llx-%#llx is free in the page allocator, but belongs to a slab of "
			"%.*s (order %u, %u of %u objects in use)", (unsigned long long)from,
			(unsigned long long)to - 1, name_len, s->cache, s->order, s->inuse,
			s->objects);
	}
}

/* reply_slabs() held every slab to RAM, so the pages' arithmetic above cannot wrap. */
void check_slab_pages(struct checker *c, const struct check_snapshot *s)
{
	for (size_t i = 0; i < s->nslabs; i++)
		check_one_slab(c, &s->slabs[i], &s->free_blocks);
}
