// SPDX-License-Identifier: MIT
/*
 * /proc/buddyinfo and /proc/zoneinfo, byte for byte in Linux's layout
 * (mm/vmstat.c; zoneinfo as of Linux 6.6, a uniprocessor build).  What we
 * do not keep is left out rather than faked: zoneinfo has no per-node
 * counters and, of the per-zone counters, only nr_free_pages.  lowmem
 * reserves are not implemented, so "protection" is all zeros.
 */
#include <linux/mm.h>
#include <linux/seq_buf.h>

static int seq_buf_result(const struct seq_buf *s)
{
	return s->overflow ? -1 : (int)s->len;
}

/* Populated zones only, one line each: free blocks per order. */
int buddyinfo_show(char *buf, size_t size)
{
	struct seq_buf s;
	struct zone *zone;
	unsigned int order;

	seq_buf_init(&s, buf, size);
	for_each_zone(zone) {
		if (!populated_zone(zone))
			continue;
		seq_buf_printf(&s, "Node %d, zone %8s ", contig_page_data.node_id, zone->name);
		for (order = 0; order < NR_PAGE_ORDERS; order++)
			seq_buf_printf(&s, "%6lu ", zone->free_area[order].nr_free);
		seq_buf_printf(&s, "\n");
	}
	return seq_buf_result(&s);
}

static void zoneinfo_show_zone(struct seq_buf *s, const struct zone *zone)
{
	int i;

	seq_buf_printf(s, "Node %d, zone %8s", contig_page_data.node_id, zone->name);
	seq_buf_printf(s,
		       "\n  pages free     %lu"
		       "\n        boost    %lu"
		       "\n        min      %lu"
		       "\n        low      %lu"
		       "\n        high     %lu"
		       "\n        promo    %lu"
		       "\n        spanned  %lu"
		       "\n        present  %lu"
		       "\n        managed  %lu"
		       "\n        cma      %lu",
		       zone->free_pages, 0UL, min_wmark_pages(zone), low_wmark_pages(zone),
		       high_wmark_pages(zone), promo_wmark_pages(zone), zone->spanned_pages,
		       zone->present_pages, zone->managed_pages, 0UL);
	seq_buf_printf(s, "\n        protection: (0");
	for (i = 1; i < MAX_NR_ZONES; i++)
		seq_buf_printf(s, ", 0");
	seq_buf_printf(s, ")");
	if (!populated_zone(zone)) {
		seq_buf_printf(s, "\n");
		return;
	}
	seq_buf_printf(s, "\n      %-12s %lu", "nr_free_pages", zone->free_pages);
	seq_buf_printf(s,
		       "\n  pagesets"
		       "\n    cpu: %d"
		       "\n              count: %d"
		       "\n              high:  %d"
		       "\n              batch: %d",
		       0, zone->pcp.count, zone->pcp.high, zone->pcp.batch);
	seq_buf_printf(s,
		       "\n  node_unreclaimable:  %u"
		       "\n  start_pfn:           %lu\n",
		       0U, zone->zone_start_pfn);
}

/* Every zone, populated or not, as Linux does. */
int zoneinfo_show(char *buf, size_t size)
{
	struct seq_buf s;
	struct zone *zone;

	seq_buf_init(&s, buf, size);
	for_each_zone(zone)
		zoneinfo_show_zone(&s, zone);
	return seq_buf_result(&s);
}
