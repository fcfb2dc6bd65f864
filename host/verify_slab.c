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
#include "verify.h"

#define MAX_SLAB_ORDER	10	/* MAX_PAGE_ORDER: a larger slab is a lie */

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

enum step check_slab_pages(struct checker *c, const struct map_list *free_blocks, char *msg,
			   size_t msglen)
{
	uint64_t total = 1;

	for (uint64_t got = 0; got < total;) {
		struct guest_reply reply;
		const struct vmm_slab *s;
		enum step st = call_guest(c->ctx, VMM_REQ_SLABS, (uint64_t[6]){ got }, NULL, 0,
					  &reply);
		size_t n = reply.len / sizeof(*s);

		if (st != STEP_OK)
			return st;
		total = reply.val[0];
		if (reply.status || reply.len % sizeof(*s) || (!n && got < total)) {
			snprintf(msg, msglen, "the guest's slab export is malformed");
			return STEP_FAILED;
		}
		s = (const void *)reply.data;
		for (size_t i = 0; i < n; i++) {
			if (s[i].order > MAX_SLAB_ORDER ||
			    s[i].pfn >= c->ctx->g.accel.ram.size >> PAGE_SHIFT) {
				snprintf(msg, msglen, "the guest lists a slab outside RAM or of order %u",
					 s[i].order);
				return STEP_FAILED;
			}
			check_one_slab(c, &s[i], free_blocks);
		}
		got += n;
	}
	return STEP_OK;
}
