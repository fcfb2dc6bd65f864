// SPDX-License-Identifier: MIT
/*
 * Scenario requests for the page allocator: allocate and free blocks,
 * /proc/buddyinfo and /proc/zoneinfo, zone counters, and the list of free
 * blocks that the host's verifier checks against the page tables.
 */
#include <linux/channel.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include "page_requests.h"

_Static_assert((int)ZONE_DMA == VMM_ZONE_DMA && (int)ZONE_DMA32 == VMM_ZONE_DMA32 &&
	       (int)ZONE_NORMAL == VMM_ZONE_NORMAL && (int)MAX_NR_ZONES == VMM_NR_ZONES,
	       "zone numbers are ABI");

static struct vmm_page_block *blocks(void)
{
	return (struct vmm_page_block *)channel_data();
}

long req_alloc_pages(const struct vmm_request *req, struct vmm_message *reply)
{
	u64 want = req->arg[2] && req->arg[2] < VMM_MAX_BLOCKS ? req->arg[2] : VMM_MAX_BLOCKS;
	struct vmm_page_block *b = blocks();
	u64 n = 0;

	if (req->arg[1] > MAX_PAGE_ORDER)
		return -EINVAL;
	for (; n < want; n++) {
		struct page *page = alloc_pages((gfp_t)req->arg[0], req->arg[1]);

		if (!page)
			break;
		b[n] = (struct vmm_page_block){ page_to_pfn(page), req->arg[1], page_zonenum(page) };
	}
	reply->val[0] = n;
	reply->len = n * sizeof(*b);
	return 0;
}

/* Every block is checked before any is freed: a bad list frees nothing. */
long req_free_pages(const struct vmm_request *req, struct vmm_message *reply)
{
	const struct vmm_page_block *b = blocks();
	u64 n = req->arg[0];

	if (n > VMM_MAX_BLOCKS)
		return -EINVAL;
	for (u64 i = 0; i < n; i++)
		if (b[i].order > MAX_PAGE_ORDER || !pfn_valid(b[i].pfn) ||
		    !pfn_valid(b[i].pfn + (1UL << b[i].order) - 1))
			return -EINVAL;
	for (u64 i = 0; i < n; i++)
		__free_pages(pfn_to_page(b[i].pfn), b[i].order);
	reply->val[0] = n;
	return 0;
}

long req_buddyinfo(const struct vmm_request *req, struct vmm_message *reply)
{
	(void)req;
	return channel_reply_text(buddyinfo_show, reply);
}

long req_zoneinfo(const struct vmm_request *req, struct vmm_message *reply)
{
	(void)req;
	return channel_reply_text(zoneinfo_show, reply);
}

long req_zones(const struct vmm_request *req, struct vmm_message *reply)
{
	struct vmm_zone_info *zi = (struct vmm_zone_info *)channel_data();
	struct zone *zone;

	(void)req;
	for_each_zone(zone) {
		*zi++ = (struct vmm_zone_info){
			.start_pfn = zone->zone_start_pfn,
			.spanned = zone->spanned_pages,
			.present = zone->present_pages,
			.managed = zone->managed_pages,
			.free = zone->free_pages,
			.pcp = zone->pcp.count,
			.min = min_wmark_pages(zone),
			.low = low_wmark_pages(zone),
			.high = high_wmark_pages(zone),
		};
	}
	reply->len = MAX_NR_ZONES * sizeof(*zi);
	return 0;
}

struct free_export {
	u64 skip, total, stored;
};

static void export_free_block(void *arg, const struct zone *zone, unsigned long pfn,
			      unsigned int order, bool pcp)
{
	struct free_export *x = arg;

	if (x->total++ < x->skip || x->stored == VMM_MAX_BLOCKS)
		return;
	blocks()[x->stored++] = (struct vmm_page_block){
		pfn, order, zone_idx(zone) | (pcp ? VMM_BLOCK_PCP : 0),
	};
}

long req_drain_pages(const struct vmm_request *req, struct vmm_message *reply)
{
	(void)req;
	(void)reply;
	drain_all_pages(NULL);
	return 0;
}

long req_free_blocks(const struct vmm_request *req, struct vmm_message *reply)
{
	struct free_export x = { .skip = req->arg[0] };

	walk_free_blocks(export_free_block, &x);
	reply->val[0] = x.total;
	reply->len = x.stored * sizeof(struct vmm_page_block);
	return 0;
}
