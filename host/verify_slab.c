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

#include "reply.h"
#include "shared/layout.h"
#include "shared/pte.h"
#include "verify.h"

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

/*
 * The slabs, a mailbox-full at a time; reply_slabs() holds the total to
 * what RAM can have and every slab to RAM, so the pages' arithmetic below
 * cannot wrap.
 */
enum step check_slab_pages(struct checker *c, const struct map_list *free_blocks, char *msg,
			   size_t msglen)
{
	struct reply_pages pg = { 0 };
	char why[160];

	do {
		struct guest_reply reply;
		const struct vmm_slab *s;
		size_t n;
		enum step st = call_guest(c->ctx, VMM_REQ_SLABS, (uint64_t[6]){ pg.got }, NULL, 0,
					  &reply);

		if (st != STEP_OK)
			return st;
		if (reply.status) {
			snprintf(msg, msglen, "the guest could not export its slabs: error %lld",
				 (long long)reply.status);
			return STEP_FAILED;
		}
		if (reply_slabs(&reply, c->ctx->g.accel.ram.size, &pg, &s, &n, why, sizeof(why)))
			return guest_lied(c->ctx, VMM_REQ_SLABS, why);
		for (size_t i = 0; i < n; i++)
			check_one_slab(c, &s[i], free_blocks);
	} while (pg.got < pg.total);
	return STEP_OK;
}
