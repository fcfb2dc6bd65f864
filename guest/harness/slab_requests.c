// SPDX-License-Identifier: MIT
/*
 * Scenario requests for slab caches, kmalloc and vmalloc, and `poke`, the
 * kernel write a scenario uses to commit a memory bug on purpose (a red
 * zone overrun, a write after free) so that the debug checks can be seen
 * to catch it.
 */
#include <linux/channel.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <asm/pgtable.h>
#include <string.h>
#include "slab_requests.h"

#define MAX_SCENARIO_CACHES	16

/* Caches a scenario created, by id (index + 1): the host never sees a pointer. */
static struct kmem_cache *scenario_caches[MAX_SCENARIO_CACHES];

static struct kmem_cache *cache_by_id(u64 id)
{
	return id >= 1 && id <= MAX_SCENARIO_CACHES ? scenario_caches[id - 1] : NULL;
}

long req_kmalloc(const struct vmm_request *req, struct vmm_message *reply)
{
	void *p = kmalloc(req->arg[0], (gfp_t)req->arg[1]);
	const char *name = kmalloc_cache_name(req->arg[0], (gfp_t)req->arg[1]);
	struct kmem_cache *s = kmalloc_slab(req->arg[0], (gfp_t)req->arg[1]);

	/* Not ksize(): it hands the caller the whole object and so ends slack checking. */
	reply->val[0] = (unsigned long)p;
	reply->val[1] = s ? kmem_cache_size(s) : 0;
	reply->len = strlcpy(channel_data(), name ? name : "", channel_data_size());
	return 0;
}

long req_kfree(const struct vmm_request *req, struct vmm_message *reply)
{
	(void)reply;
	kfree((const void *)req->arg[0]);
	return 0;
}

long req_krealloc(const struct vmm_request *req, struct vmm_message *reply)
{
	reply->val[0] = (unsigned long)krealloc((const void *)req->arg[0], req->arg[1],
					       (gfp_t)req->arg[2]);
	return 0;
}

long req_cache_create(const struct vmm_request *req, struct vmm_message *reply)
{
	char name[KMEM_CACHE_NAME_MAX];
	int i = 0;

	while (i < MAX_SCENARIO_CACHES && scenario_caches[i])
		i++;
	if (i == MAX_SCENARIO_CACHES)
		return -ENOSPC;
	memcpy(name, mailbox->req_data, min(req->data_len, (u32)sizeof(name) - 1));
	name[min(req->data_len, (u32)sizeof(name) - 1)] = '\0';
	scenario_caches[i] = kmem_cache_create(name, req->arg[0], req->arg[1],
					       (slab_flags_t)req->arg[2], NULL);
	if (!scenario_caches[i])
		return -ENOMEM;
	reply->val[0] = i + 1;
	return 0;
}

long req_cache_alloc(const struct vmm_request *req, struct vmm_message *reply)
{
	struct kmem_cache *s = cache_by_id(req->arg[0]);

	if (!s)
		return -EINVAL;
	reply->val[0] = (unsigned long)kmem_cache_alloc(s, (gfp_t)req->arg[1]);
	return 0;
}

long req_cache_free(const struct vmm_request *req, struct vmm_message *reply)
{
	struct kmem_cache *s = cache_by_id(req->arg[0]);

	(void)reply;
	/* NULL is what a failed allocation returned: callers check for it, as Linux's do. */
	if (!s || !req->arg[1])
		return -EINVAL;
	kmem_cache_free(s, (void *)req->arg[1]);
	return 0;
}

long req_cache_destroy(const struct vmm_request *req, struct vmm_message *reply)
{
	struct kmem_cache *s = cache_by_id(req->arg[0]);

	(void)reply;
	if (!s)
		return -EINVAL;
	kmem_cache_destroy(s);	/* a cache with live objects is reported and kept */
	return 0;
}

long req_cache_shrink(const struct vmm_request *req, struct vmm_message *reply)
{
	struct kmem_cache *s = cache_by_id(req->arg[0]);

	if (!s)
		return -EINVAL;
	reply->val[0] = kmem_cache_shrink(s);
	return 0;
}

long req_slabinfo(const struct vmm_request *req, struct vmm_message *reply)
{
	(void)req;
	return channel_reply_text(slabinfo_show, reply);
}

long req_vmallocinfo(const struct vmm_request *req, struct vmm_message *reply)
{
	(void)req;
	return channel_reply_text(vmallocinfo_show, reply);
}

long req_vmalloc(const struct vmm_request *req, struct vmm_message *reply)
{
	reply->val[0] = (unsigned long)(req->arg[1] ? vzalloc(req->arg[0]) : vmalloc(req->arg[0]));
	return 0;
}

long req_vfree(const struct vmm_request *req, struct vmm_message *reply)
{
	(void)reply;
	vfree((const void *)req->arg[0]);
	return 0;
}

/* Only where the kernel has a mapping: a poke is a bug on purpose, not an oops. */
long req_poke(const struct vmm_request *req, struct vmm_message *reply)
{
	unsigned long addr = req->arg[0], end = addr + req->arg[2];
	enum pg_level level;

	(void)reply;
	if (end < addr || req->arg[2] > PAGE_SIZE || addr < TASK_SIZE_MAX)
		return -EINVAL;
	for (unsigned long a = addr & PAGE_MASK; a < end; a += PAGE_SIZE) {
		pteval_t *e = lookup_address_in_pgd(init_top_pgt, a, &level);

		if (!e || !(*e & _PAGE_RW))
			return -EFAULT;
	}
	memset((void *)addr, (int)req->arg[1], req->arg[2]);
	return 0;
}

struct area_export {
	u64 areas, pfns, max;
	struct vmm_vmap_area *a;
};

/* Areas first, then pfns after them: the host reads both from one reply. */
static void export_area(void *arg, unsigned long start, unsigned long size,
			unsigned int nr_pages, struct page *const *pages)
{
	struct area_export *x = arg;

	(void)pages;
	if (x->areas < x->max)
		x->a[x->areas] = (struct vmm_vmap_area){ start, size, nr_pages };
	x->areas++;
	x->pfns += nr_pages;
}

struct pfn_export {
	u64 *out, n, max;
};

static void export_pfns(void *arg, unsigned long start, unsigned long size,
			unsigned int nr_pages, struct page *const *pages)
{
	struct pfn_export *x = arg;

	(void)start;
	(void)size;
	for (unsigned i = 0; i < nr_pages && x->n < x->max; i++)
		x->out[x->n++] = page_to_pfn(pages[i]);
}

long req_vmap_areas(const struct vmm_request *req, struct vmm_message *reply)
{
	struct area_export a = {
		.a = (struct vmm_vmap_area *)channel_data(),
		.max = channel_data_size() / sizeof(struct vmm_vmap_area),
	};
	struct pfn_export p;
	u64 bytes;

	(void)req;
	walk_vmap_areas(export_area, &a);
	bytes = a.areas * sizeof(struct vmm_vmap_area) + a.pfns * sizeof(u64);
	if (bytes > channel_data_size())
		return -ENOSPC;
	p = (struct pfn_export){ (u64 *)(a.a + a.areas), 0, a.pfns };
	walk_vmap_areas(export_pfns, &p);
	reply->val[0] = a.areas;
	reply->val[1] = p.n;
	reply->len = bytes;
	return 0;
}

struct slab_export {
	u64 skip, total, stored;
};

static void export_slab(void *arg, const char *cache, unsigned long pfn, unsigned int order,
			unsigned int inuse, unsigned int objects)
{
	struct slab_export *x = arg;
	struct vmm_slab *out = (struct vmm_slab *)channel_data();

	if (x->total++ < x->skip || x->stored == VMM_MAX_SLABS)
		return;
	out[x->stored] = (struct vmm_slab){
		.pfn = pfn, .order = order, .inuse = (u16)inuse, .objects = (u16)objects,
	};
	strlcpy(out[x->stored].cache, cache, sizeof(out[x->stored].cache));
	x->stored++;
}

long req_slabs(const struct vmm_request *req, struct vmm_message *reply)
{
	struct slab_export x = { .skip = req->arg[0] };

	walk_slabs(export_slab, &x);
	reply->val[0] = x.total;
	reply->len = x.stored * sizeof(struct vmm_slab);
	return 0;
}
