// SPDX-License-Identifier: MIT
/*
 * `check`, first phase: the snapshot the rules run over (check_snapshot.h).
 *
 * Every reply passes through its accessor in host/reply.c; a refusal
 * fails the check, a lie ends the run (guest_reply_lied()).  The walks spend the
 * check's budgets of tables and ranges, and look at the run's clock.
 */
#include <stdlib.h>
#include <string.h>

#include "check_snapshot.h"
#include "vm/reply.h"
#include "shared/pte.h"

#define PF_X			1
#define PF_W			2
#define PAGE_UP(x)		(((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define TIME_CHECK_EVERY	(1u << 16)	/* ranges between looks at the clock */

struct fetcher {
	struct guest *g;
	struct check_snapshot *s;
	uint64_t tables_left;		/* the budgets, as they are spent */
	uint64_t ranges_left;
	struct reply_mem_map mem_map;
	char *msg;
	size_t msglen;
};

int map_push(struct map_list *l, struct map m)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct map *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = m;
	return 0;
}

int map_by_va(const void *a, const void *b)
{
	const struct map *x = a, *y = b;

	return x->va < y->va ? -1 : x->va > y->va;
}

static void map_sort(struct map_list *l)
{
	if (l->n)
		qsort(l->v, l->n, sizeof(l->v[0]), map_by_va);
}

void stop_set(char *stop, const char *why)
{
	if (!stop[0])
		snprintf(stop, CHECK_STOP_LEN, "%s", why);
}

bool budget_spend(char *stop, uint64_t *budget, uint64_t n, const char *what)
{
	char why[CHECK_STOP_LEN];

	if (stop[0])
		return false;
	if (*budget >= n) {
		*budget -= n;
		return true;
	}
	snprintf(why, sizeof(why), "more %s than one check may hold; the guest's tables or "
		 "accounts are too large to be real", what);
	stop_set(stop, why);
	return false;
}

/* A guest call: a guest that died on it ends the fetch. */
static enum fetch guest_ask(struct guest *g, uint32_t code, const uint64_t args[6],
			    const void *data, uint32_t len, struct guest_reply *reply)
{
	return guest_call(g, code, args, data, len, reply) == GUEST_OK ? FETCH_OK : FETCH_DEAD;
}

/* A reply that failed its check in reply.c: the guest lied, and is ended. */
static enum fetch lied(struct guest *g, uint32_t code, const char *why)
{
	guest_reply_lied(g, code, why);
	return FETCH_DEAD;
}

/* A refusal is not a lie, but leaves the check without an account. */
static enum fetch refused(struct fetcher *f, const char *fmt, long long status)
{
	snprintf(f->msg, f->msglen, fmt, status);
	return FETCH_FAILED;
}

/* The guest's reply to code, with status 0; anything else ends the fetch. */
static enum fetch ask(struct fetcher *f, uint32_t code, const uint64_t args[6],
		     struct guest_reply *reply, const char *refusal)
{
	enum fetch st = guest_ask(f->g, code, args, NULL, 0, reply);

	if (st == FETCH_OK && reply->status)
		return refused(f, refusal, (long long)reply->status);
	return st;
}

/* A table the guest returned, copied out: the next call reuses the reply buffer. */
static int copy_out(const void *table, size_t n, size_t elem, void **out)
{
	*out = malloc(n ? n * elem : 1);	/* n * elem <= the reply's length */
	if (!*out)
		return -1;
	memcpy(*out, table, n * elem);
	return 0;
}

struct walk_ctx {
	struct fetcher *f;
	struct snap_walk *w;
};

static int walk_range_cb(void *arg, const struct pt_range *r)
{
	struct walk_ctx *wc = arg;
	struct fetcher *f = wc->f;

	if (!budget_spend(f->s->stop, &f->ranges_left, 1, "walked ranges"))
		return 1;
	if (f->ranges_left % TIME_CHECK_EVERY == 0 && guest_out_of_time(f->g)) {
		stop_set(f->s->stop, "out of time");
		return 1;
	}
	if (map_push(&wc->w->ranges, (struct map){ r->va, r->pa, r->size, r->prot, "walk" })) {
		stop_set(f->s->stop, "out of memory");
		return 1;
	}
	return 0;
}

/* Past what one check prints, the walker's findings are only counted. */
static void walk_finding_cb(void *arg, const struct pt_finding *pf)
{
	struct snap_walk *w = ((struct walk_ctx *)arg)->w;

	if (w->nfound < CHECK_FINDINGS_SHOWN)
		w->found[w->nfound++] = *pf;
	else
		w->more_found++;
}

/* Walk cr3's tables over [lo, hi] into w: -1 if cr3 lies outside RAM, 1 if stopped. */
static int walk(struct fetcher *f, uint64_t cr3, uint64_t lo, uint64_t hi,
		struct snap_walk *w)
{
	const struct pt_walk_ops ops = { walk_range_cb, walk_finding_cb, &f->tables_left };
	struct walk_ctx wc = { f, w };

	w->cr3 = cr3;
	if (f->s->stop[0])
		return 1;
	if (pt_walk(&f->g->accel.ram, cr3, lo, hi, &ops, &wc) < 0)
		return -1;
	w->done = !f->s->stop[0];
	return !w->done;
}

/* What must be mapped, from what the host itself set up. */
static int host_truth(struct fetcher *f, struct map_list *e)
{
	const struct elf_image *img = &f->g->img;
	int r = map_push(e, (struct map){ PAGE_OFFSET, 0, f->g->accel.ram.size,
				      _PAGE_RW | _PAGE_NX, "the direct map of RAM" });

	for (unsigned i = 0; !r && i < img->nseg; i++) {
		const struct elf_segment *seg = &img->seg[i];
		uint64_t prot = (seg->flags & PF_W ? _PAGE_RW : 0) |
				(seg->flags & PF_X ? 0 : _PAGE_NX);

		r = map_push(e, (struct map){ seg->vaddr, seg->paddr, PAGE_UP(seg->memsz), prot,
					  "the kernel ELF's segment" });
	}
	map_sort(e);
	return r;
}

/* What the guest says it mapped. */
static enum fetch fetch_claims(struct fetcher *f)
{
	struct guest_reply reply;
	const struct vmm_kmap *k;
	size_t n;
	char why[160];
	enum fetch st = ask(f, VMM_REQ_KERNEL_MAPS, NULL, &reply,
			   "the guest could not export KERNEL_MAPS: error %lld");

	if (st != FETCH_OK)
		return st;
	if (reply_kernel_maps(&reply, &k, &n, why, sizeof(why)))
		return lied(f->g, VMM_REQ_KERNEL_MAPS, why);
	for (size_t i = 0; i < n; i++)
		if (map_push(&f->s->claims, (struct map){ k[i].va, k[i].pa, PAGE_UP(k[i].size),
						       k[i].prot, "its own record" }))
			return FETCH_FAILED;
	map_sort(&f->s->claims);
	return FETCH_OK;
}

/*
 * Blocks on two lists at once are one range: the lookups in free_after()
 * need disjoint ranges, and the rules then cost a step per frame at most.
 */
static void merge_overlaps(struct map_list *l)
{
	size_t kept = 0;

	for (size_t i = 0; i < l->n; i++) {
		struct map *last = kept ? &l->v[kept - 1] : NULL;
		uint64_t end = l->v[i].va + l->v[i].size;	/* inside RAM: no overflow */

		if (!last || l->v[i].va >= last->va + last->size)
			l->v[kept++] = l->v[i];
		else if (end > last->va + last->size)
			last->size = end - last->va;
	}
	l->n = kept;
}

/*
 * Free blocks from the guest, as sorted physical ranges (pa = start, size),
 * a mailbox-full at a time; reply_free_blocks() holds the total to what
 * RAM can have and makes every page count.
 */
static enum fetch fetch_free_blocks(struct fetcher *f)
{
	struct map_list *out = &f->s->free_blocks;
	struct reply_pages pg = { 0 };
	char why[160];

	do {
		struct guest_reply reply;
		const struct vmm_page_block *b;
		size_t n;
		enum fetch st = ask(f, VMM_REQ_FREE_BLOCKS, (uint64_t[6]){ pg.got }, &reply,
				   "the guest could not export FREE_BLOCKS: error %lld");

		if (st != FETCH_OK)
			return st;
		if (reply_free_blocks(&reply, f->g->accel.ram.size, &pg, &b, &n, why,
				      sizeof(why)))
			return lied(f->g, VMM_REQ_FREE_BLOCKS, why);
		for (size_t i = 0; i < n; i++)
			if (map_push(out, (struct map){ b[i].pfn << PAGE_SHIFT, b[i].pfn << PAGE_SHIFT,
						    PAGE_SIZE << b[i].order, 0, "free" }))
				return FETCH_FAILED;
	} while (pg.got < pg.total);
	map_sort(out);
	merge_overlaps(out);
	return FETCH_OK;
}

/* The guest's vmalloc areas, page by page; guard pages are simply absent. */
static enum fetch fetch_vmalloc(struct fetcher *f)
{
	struct guest_reply reply;
	const struct vmm_vmap_area *a;
	const uint64_t *pfn;
	size_t n, npfns, used = 0;
	char why[160];
	enum fetch st = ask(f, VMM_REQ_VMAP_AREAS, NULL, &reply,
			   "the guest could not export VMAP_AREAS: error %lld");

	if (st != FETCH_OK)
		return st;
	if (reply_vmap_areas(&reply, f->g->accel.ram.size, &a, &n, &pfn, &npfns, why,
			     sizeof(why)))
		return lied(f->g, VMM_REQ_VMAP_AREAS, why);
	for (size_t i = 0; i < n; i++)
		for (uint64_t p = 0; p < a[i].nr_pages; p++, used++)
			if (map_push(&f->s->vmalloc, (struct map){ a[i].start + p * PAGE_SIZE,
							pfn[used] << PAGE_SHIFT, PAGE_SIZE,
							_PAGE_RW | _PAGE_NX, "a vmalloc area's page" }))
				return FETCH_FAILED;
	map_sort(&f->s->vmalloc);
	return FETCH_OK;
}

/* The accounts of the kernel half, the vCPU's CR3, and the walk from it. */
static enum fetch fetch_kernel(struct fetcher *f)
{
	struct check_snapshot *s = f->s;
	enum fetch st = fetch_claims(f);
	int r;

	if (st == FETCH_OK)
		st = fetch_free_blocks(f);
	if (st == FETCH_OK)
		st = fetch_vmalloc(f);
	if (st == FETCH_OK && guest_cr3(f->g, &s->cr3, f->msg, f->msglen))
		st = FETCH_FAILED;
	if (st != FETCH_OK)
		return st;
	r = walk(f, s->cr3, KERNEL_HALF_START, UINT64_MAX, &s->kernel);
	if (r < 0 || host_truth(f, &s->truth)) {
		s->kernel.done = false;
		snprintf(f->msg, f->msglen,
			 "the walk could not start (CR3 outside RAM?) or ran out of memory");
		return FETCH_FAILED;
	}
	return r ? FETCH_FAILED : FETCH_OK;
}

/*
 * The slabs, a mailbox-full at a time; reply_slabs() holds the total to
 * what RAM can have and every slab to RAM, so the rule's arithmetic on
 * their pages cannot wrap.
 */
static enum fetch fetch_slabs(struct fetcher *f)
{
	struct check_snapshot *s = f->s;
	struct reply_pages pg = { 0 };
	char why[160];

	do {
		struct guest_reply reply;
		const struct vmm_slab *sl;
		struct vmm_slab *v;
		size_t n;
		enum fetch st = ask(f, VMM_REQ_SLABS, (uint64_t[6]){ pg.got }, &reply,
				   "the guest could not export its slabs: error %lld");

		if (st != FETCH_OK)
			return st;
		if (reply_slabs(&reply, f->g->accel.ram.size, &pg, &sl, &n, why, sizeof(why)))
			return lied(f->g, VMM_REQ_SLABS, why);
		/* all pages together hold no more slabs than RAM has frames: no overflow */
		v = realloc(s->slabs, (s->nslabs + n ?: 1) * sizeof(*v));
		if (!v)
			return FETCH_FAILED;
		memcpy(v + s->nslabs, sl, n * sizeof(*v));
		s->slabs = v;
		s->nslabs += n;
	} while (pg.got < pg.total);
	s->slabs_done = true;
	return FETCH_OK;
}

/* The PGD's kernel half; only its frame counts, as for the CPU's CR3. */
static void read_pgd_half(struct fetcher *f, uint64_t pgd, struct pgd_half *h)
{
	const uint64_t *slots = gpa_ptr(&f->g->accel.ram,
					(pgd & PTE_PFN_MASK) + KERNEL_HALF_FIRST_PGD * 8,
					sizeof(h->slot));

	h->read = slots;
	if (slots)
		memcpy(h->slot, slots, sizeof(h->slot));
}

/* One process: its VMAs (sorted: reply_vmas() makes sure), its walk, its mm. */
static enum fetch fetch_task(struct fetcher *f, const struct vmm_task *task)
{
	struct check_snapshot *s = f->s;
	struct snap_task *t = &s->tasks[s->ntasks];
	struct guest_reply reply;
	const struct vmm_vma *vmas;
	char why[160];
	enum fetch st = guest_ask(f->g, VMM_REQ_VMAS, (uint64_t[6]){ task->pid }, NULL, 0,
				  &reply);
	int r;

	if (st != FETCH_OK)
		return st;
	if (reply.status) {
		snprintf(f->msg, f->msglen,
			 "the guest has no VMAs for pid %d it listed: error %lld",
			 (int)task->pid, (long long)reply.status);
		return FETCH_FAILED;
	}
	if (reply_vmas(&reply, &vmas, &t->nvmas, why, sizeof(why)))
		return lied(f->g, VMM_REQ_VMAS, why);
	if (copy_out(vmas, t->nvmas, sizeof(*vmas), (void **)&t->vmas))
		return FETCH_FAILED;
	t->task = *task;
	s->ntasks++;
	r = walk(f, task->pgd, 0, USER_HALF_END, &t->walk);
	if (r < 0)
		snprintf(f->msg, f->msglen, "pid %d's page tables are outside RAM (pgd %#llx)",
			 (int)task->pid, (unsigned long long)task->pgd);
	if (r)
		return FETCH_FAILED;
	read_pgd_half(f, task->pgd, &t->pgd);
	st = guest_ask(f->g, VMM_REQ_MM, (uint64_t[6]){ task->pid }, NULL, 0, &reply);
	if (st != FETCH_OK)
		return st;
	if (reply.status) {
		snprintf(f->msg, f->msglen, "the guest has no mm for pid %d it listed: error %lld",
			 (int)task->pid, (long long)reply.status);
		return FETCH_FAILED;
	}
	if (reply_mm(&reply, &t->mm, why, sizeof(why)))
		return lied(f->g, VMM_REQ_MM, why);
	t->have_mm = true;
	return FETCH_OK;
}

/* The processes the guest lists, copied out. */
static enum fetch fetch_tasks(struct fetcher *f, struct vmm_task **t, size_t *n)
{
	struct guest_reply reply;
	const struct vmm_task *tasks;
	char why[160];
	enum fetch st = ask(f, VMM_REQ_TASKS, NULL, &reply,
			   "the guest could not list its processes: error %lld");

	if (st != FETCH_OK)
		return st;
	if (reply_tasks(&reply, &tasks, n, why, sizeof(why)))
		return lied(f->g, VMM_REQ_TASKS, why);
	if (copy_out(tasks, *n, sizeof(*tasks), (void **)t))
		return FETCH_FAILED;
	f->s->tasks = calloc(*n ?: 1, sizeof(*f->s->tasks));
	return f->s->tasks ? FETCH_OK : FETCH_FAILED;
}

static enum fetch fetch_mem_map(struct fetcher *f)
{
	struct guest_reply reply;
	char why[160];
	enum fetch st = guest_ask(f->g, VMM_REQ_MEM_MAP, NULL, NULL, 0, &reply);

	if (st == FETCH_OK && reply_mem_map(&reply, f->g->accel.ram.size, &f->mem_map, why,
					   sizeof(why)))
		return lied(f->g, VMM_REQ_MEM_MAP, why);
	f->s->zero_pfn = f->mem_map.zero_pfn;
	return st;
}

/* What every struct page counts; reply_mem_map() put mem_map wholly in RAM. */
static enum fetch read_pages(struct fetcher *f)
{
	struct check_snapshot *s = f->s;
	size_t n = f->mem_map.size / VMM_STRUCT_PAGE_SIZE;
	const uint8_t *page = gpa_ptr(&f->g->accel.ram, f->mem_map.gpa, f->mem_map.size);

	s->pages = malloc((n ?: 1) * sizeof(*s->pages));
	if (!s->pages)
		return FETCH_FAILED;
	for (size_t pfn = 0; page && pfn < n; pfn++, page += VMM_STRUCT_PAGE_SIZE) {
		memcpy(&s->pages[pfn].mapcount, page + VMM_PAGE_MAPCOUNT_OFFSET, 4);
		memcpy(&s->pages[pfn].refcount, page + VMM_PAGE_REFCOUNT_OFFSET, 4);
	}
	s->npages = page ? n : 0;
	return FETCH_OK;
}

static int by_pfn(const void *a, const void *b)
{
	const struct vmm_cache_page *x = a, *y = b;

	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

static int by_key(const void *a, const void *b)
{
	const struct vmm_cache_page *x = a, *y = b;

	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

int cache_index(struct check_snapshot *s)
{
	s->cache_shmem = malloc((s->ncache + 1) * sizeof(*s->cache_shmem));
	if (!s->cache_shmem)
		return -1;
	qsort(s->cache_by_pfn, s->ncache, sizeof(*s->cache_by_pfn), by_pfn);
	qsort(s->cache_by_key, s->ncache, sizeof(*s->cache_by_key), by_key);
	s->cache_shmem[0] = 0;
	for (size_t i = 0; i < s->ncache; i++)
		s->cache_shmem[i + 1] = s->cache_shmem[i] +
					!!(s->cache_by_pfn[i].flags & VMM_CACHE_SHMEM);
	return 0;
}

/* The first page of cache_by_pfn at pfn or above. */
static size_t cache_lower(const struct check_snapshot *s, uint64_t pfn)
{
	size_t lo = 0, hi = s->ncache;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->cache_by_pfn[mid].pfn < pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct vmm_cache_page *cache_at_pfn(const struct check_snapshot *s, uint64_t pfn)
{
	size_t i = cache_lower(s, pfn);

	return i < s->ncache && s->cache_by_pfn[i].pfn == pfn ? &s->cache_by_pfn[i] : NULL;
}

const struct vmm_cache_page *cache_lookup(const struct check_snapshot *s, uint64_t ino,
					  uint64_t index)
{
	struct vmm_cache_page key = { .ino = ino, .index = index };

	return s->ncache ? bsearch(&key, s->cache_by_key, s->ncache, sizeof(key), by_key) : NULL;
}

void cache_count(const struct check_snapshot *s, uint64_t pfn, uint64_t n, uint64_t *pages,
		 uint64_t *shmem)
{
	size_t lo = cache_lower(s, pfn), hi = cache_lower(s, pfn + n);	/* pfn + n within RAM */

	*pages = hi - lo;
	*shmem = s->ncache ? s->cache_shmem[hi] - s->cache_shmem[lo] : 0;
}

/* The page cache and the driver's raw frames, which the rules of processes compare with. */
static enum fetch fetch_page_cache(struct fetcher *f)
{
	struct check_snapshot *s = f->s;
	const struct vmm_cache_page *pages;
	struct guest_reply reply;
	uint64_t index_pages;	/* the sweep's concern, not a rule's */
	char why[160];
	enum fetch st = ask(f, VMM_REQ_PAGE_CACHE, NULL, &reply,
			    "the guest refused its page cache: error %lld");

	if (st != FETCH_OK)
		return st;
	if (reply_page_cache(&reply, f->g->accel.ram.size, &pages, &s->ncache, s->raw,
			     &index_pages, why, sizeof(why)))
		return lied(f->g, VMM_REQ_PAGE_CACHE, why);
	if (copy_out(pages, s->ncache, sizeof(*pages), (void **)&s->cache_by_pfn) ||
	    copy_out(pages, s->ncache, sizeof(*pages), (void **)&s->cache_by_key) ||
	    cache_index(s))
		return FETCH_FAILED;
	s->cache_done = true;
	return FETCH_OK;
}

/* Every process, then the kernel's own user half, then the struct pages. */
static enum fetch fetch_user(struct fetcher *f)
{
	struct check_snapshot *s = f->s;
	struct vmm_task *t = NULL;
	size_t n = 0;
	enum fetch st = fetch_mem_map(f);

	if (st == FETCH_OK)
		st = fetch_page_cache(f);
	if (st == FETCH_OK)
		st = fetch_tasks(f, &t, &n);
	s->tasks_listed = st == FETCH_OK;
	if (st == FETCH_OK)
		read_pgd_half(f, s->kernel_pgd, &s->kernel_half);
	for (size_t i = 0; st == FETCH_OK && i < n; i++)
		st = fetch_task(f, &t[i]);
	free(t);
	if (st != FETCH_OK)
		return st;
	s->tasks_done = true;
	walk(f, s->kernel_pgd, 0, USER_HALF_END, &s->kernel_user);
	st = read_pages(f);
	return st == FETCH_OK && s->stop[0] ? FETCH_FAILED : st;
}

enum fetch check_fetch(struct guest *g, struct check_snapshot *s, char *msg, size_t msglen)
{
	struct fetcher f = {
		.g = g, .s = s, .tables_left = CHECK_MAX_TABLES,
		.ranges_left = CHECK_MAX_RANGES, .msg = msg, .msglen = msglen,
	};
	enum fetch st;

	s->kernel_pgd = g->pgd;
	st = fetch_kernel(&f);
	if (st == FETCH_OK)
		st = fetch_slabs(&f);
	if (st == FETCH_OK)
		st = fetch_user(&f);
	return st;
}

static void walk_free(struct snap_walk *w)
{
	free(w->ranges.v);
}

void check_snapshot_free(struct check_snapshot *s)
{
	free(s->truth.v);
	free(s->claims.v);
	free(s->free_blocks.v);
	free(s->vmalloc.v);
	walk_free(&s->kernel);
	free(s->slabs);
	free(s->pages);
	free(s->cache_by_pfn);
	free(s->cache_by_key);
	free(s->cache_shmem);
	for (size_t i = 0; i < s->ntasks; i++) {
		free(s->tasks[i].vmas);
		walk_free(&s->tasks[i].walk);
	}
	free(s->tasks);
	walk_free(&s->kernel_user);
}
