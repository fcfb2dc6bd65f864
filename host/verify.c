// SPDX-License-Identifier: MIT
/*
 * `check`: the host's independent witness.
 *
 * The host walks the page tables the CPU is really using (CR3 from the
 * accelerator, not from the guest's word) and compares what it finds with
 * two other accounts:
 *   - the truth the host itself knows: RAM (it built the device tree) and
 *     the kernel image (it loaded the ELF), and
 *   - what the guest claims it built (VMM_REQ_KERNEL_MAPS).
 * Rules and how to read a finding: docs/verification.md.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pagewalk.h"
#include "reply.h"
#include "shared/layout.h"
#include "verify.h"
#include "shared/pte.h"

#define PROT_TRUTH		(_PAGE_RW | _PAGE_USER | _PAGE_NX)
#define PROT_CLAIM		(PROT_TRUTH | _PAGE_GLOBAL)
#define PF_X			1
#define PF_W			2

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

void prot_str(uint64_t prot, char *buf, size_t size)
{
	snprintf(buf, size, "r%c%c%s%s", prot & _PAGE_RW ? 'w' : '-', prot & _PAGE_NX ? '-' : 'x',
		 prot & _PAGE_USER ? " user" : "", prot & _PAGE_GLOBAL ? " global" : "");
}

/* Each level's entry for va, as `vtop` would print it. */
static void print_translation(struct checker *c, uint64_t va)
{
	static const char *const level[] = { "PGD", "PUD", "PMD", "PTE" };
	struct pt_translation t;

	if (pt_translate(&c->ctx->g.accel.ram, c->cr3, va, &t))
		return;
	for (int i = 0; i < t.nlevels && i < 4; i++)
		fprintf(c->out, "    %s entry at %#llx = %016llx\n", level[i],
			(unsigned long long)t.entry_gpa[i], (unsigned long long)t.entry[i]);
}

/* Past the limit, a finding is only counted, under its rule (the last slot takes the rest). */
static void count_more(struct checker *c, const char *rule)
{
	struct rule_count *r = c->more;

	while (r < c->more + CHECK_RULES - 1 && r->rule && strcmp(r->rule, rule))
		r++;
	r->rule = r->rule ?: rule;
	r->more++;
}

bool finding_shown(struct checker *c, const char *rule)
{
	c->findings++;
	if (c->shown < CHECK_FINDINGS_SHOWN) {
		c->shown++;
		return true;
	}
	count_more(c, rule);
	return false;
}

/* 535821812 as "535,821,812". */
static const char *grouped(uint64_t n, char *buf, size_t size)
{
	char digits[24];
	int len = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)n);
	size_t o = 0;

	for (int i = 0; i < len && o + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

static void print_more(struct checker *c)
{
	char n[32];

	for (const struct rule_count *r = c->more; r < c->more + CHECK_RULES && r->rule; r++)
		fprintf(c->out, "[%s] and %s more like it%s\n", r->rule, grouped(r->more, n, sizeof(n)),
			r == c->more + CHECK_RULES - 1 ? " (or of other rules)" : "");
}

void check_stop(struct checker *c, const char *why)
{
	if (!c->stop[0])
		snprintf(c->stop, sizeof(c->stop), "%s", why);
}

bool check_spend(struct checker *c, uint64_t *budget, uint64_t n, const char *what)
{
	char why[sizeof(c->stop)];

	if (c->stop[0])
		return false;
	if (*budget >= n) {
		*budget -= n;
		return true;
	}
	snprintf(why, sizeof(why), "more %s than one check may hold; the guest's tables or "
		 "accounts are too large to be real", what);
	check_stop(c, why);
	return false;
}

void finding(struct checker *c, const char *rule, uint64_t va, uint64_t end,
	     const char *fmt, ...)
{
	va_list ap;

	if (!finding_shown(c, rule))
		return;
	fprintf(c->out, "[%s] %016llx-%016llx (cr3 %#llx): ", rule, (unsigned long long)va,
		(unsigned long long)end, (unsigned long long)c->cr3);
	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);
	va_end(ap);
	fputc('\n', c->out);
	print_translation(c, va);
}

static uint64_t last_of(const struct map *m)
{
	return m->va + (m->size - 1);	/* inclusive: a range may end at 2^64 */
}

/*
 * Compare the walk (w) with an account (e), piece by piece between
 * consecutive range boundaries of either list.  Both lists are sorted and
 * free of overlaps.
 */
static void diff_maps(struct checker *c, const char *rule, const char *account,
		      const struct map_list *w, const struct map_list *e, uint64_t mask)
{
	size_t i = 0, j = 0;
	uint64_t x = 0;
	char p1[48], p2[48];

	while (i < w->n || j < e->n) {
		/* Overlaps in an account: what lies wholly behind x was compared already. */
		if (i < w->n && last_of(&w->v[i]) < x) {
			i++;
			continue;
		}
		if (j < e->n && last_of(&e->v[j]) < x) {
			j++;
			continue;
		}
		const struct map *a = i < w->n ? &w->v[i] : NULL, *b = j < e->n ? &e->v[j] : NULL;
		uint64_t a_start = a ? (a->va > x ? a->va : x) : UINT64_MAX;
		uint64_t b_start = b ? (b->va > x ? b->va : x) : UINT64_MAX;
		uint64_t start = a_start < b_start ? a_start : b_start, last = UINT64_MAX;
		bool in_a = a && a_start == start, in_b = b && b_start == start;

		if (a)
			last = in_a ? last_of(a) : a_start - 1;
		if (b && (in_b ? last_of(b) : b_start - 1) < last)
			last = in_b ? last_of(b) : b_start - 1;
		if (in_a && !in_b) {
			prot_str(a->prot, p1, sizeof(p1));
			finding(c, rule, start, last, "mapped (%s, phys %#llx), but %s has nothing here",
				p1, (unsigned long long)(a->pa + (start - a->va)), account);
		} else if (in_b && !in_a) {
			finding(c, rule, start, last, "not mapped, but %s says: %s at phys %#llx",
				account, b->what, (unsigned long long)(b->pa + (start - b->va)));
		} else if (in_a && in_b && (a->pa - a->va != b->pa - b->va ||
					    (a->prot & mask) != (b->prot & mask))) {
			prot_str(a->prot & mask, p1, sizeof(p1));
			prot_str(b->prot & mask, p2, sizeof(p2));
			finding(c, rule, start, last,
				"the tables map phys %#llx %s; %s says %s: phys %#llx %s",
				(unsigned long long)(a->pa + (start - a->va)), p1, account, b->what,
				(unsigned long long)(b->pa + (start - b->va)), p2);
		}
		if (a && last >= last_of(a))
			i++;
		if (b && last >= last_of(b))
			j++;
		if (last == UINT64_MAX)
			break;
		x = last + 1;
	}
}

struct walk_ctx {
	struct checker *c;
	struct map_list *list;
};

#define TIME_CHECK_EVERY	(1u << 16)	/* ranges between looks at the clock */

static int walk_range_cb(void *arg, const struct pt_range *r)
{
	struct walk_ctx *wc = arg;
	struct checker *c = wc->c;

	if (!check_spend(c, &c->ranges_left, 1, "walked ranges"))
		return 1;
	if (c->ranges_left % TIME_CHECK_EVERY == 0 && guest_out_of_time(&c->ctx->g)) {
		check_stop(c, "out of time");
		return 1;
	}
	if (map_push(wc->list, (struct map){ r->va, r->pa, r->size, r->prot, "walk" })) {
		check_stop(c, "out of memory");
		return 1;
	}
	return 0;
}

static void walk_finding_cb(void *arg, const struct pt_finding *f)
{
	struct checker *c = ((struct walk_ctx *)arg)->c;

	finding(c, "walk", f->va, f->va, "%s: %s entry at %#llx = %016llx",
		pt_finding_str(f->kind), f->level == PT_PGD ? "PGD" : f->level == PT_PUD ? "PUD" :
		f->level == PT_PMD ? "PMD" : "PTE", (unsigned long long)f->entry_gpa,
		(unsigned long long)f->entry);
}

int walk(struct checker *c, uint64_t lo, uint64_t hi, struct map_list *out)
{
	const struct pt_walk_ops ops = { walk_range_cb, walk_finding_cb, &c->tables_left };
	struct walk_ctx wc = { c, out };

	if (c->stop[0])
		return 1;
	return pt_walk(&c->ctx->g.accel.ram, c->cr3, lo, hi, &ops, &wc) < 0 ? -1 : c->stop[0] != 0;
}

#define PAGE_UP(x)	(((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))

/* What must be mapped, from what the host itself set up. */
static int host_truth(struct checker *c, struct map_list *e)
{
	const struct elf_image *img = &c->ctx->g.img;
	int r = map_push(e, (struct map){ PAGE_OFFSET, 0, c->ctx->g.accel.ram.size,
				      _PAGE_RW | _PAGE_NX, "the direct map of RAM" });

	for (unsigned i = 0; !r && i < img->nseg; i++) {
		const struct elf_segment *s = &img->seg[i];
		uint64_t prot = (s->flags & PF_W ? _PAGE_RW : 0) | (s->flags & PF_X ? 0 : _PAGE_NX);

		r = map_push(e, (struct map){ s->vaddr, s->paddr, PAGE_UP(s->memsz), prot,
					  "the kernel ELF's segment" });
	}
	if (e->n)
		qsort(e->v, e->n, sizeof(e->v[0]), map_by_va);
	return r;
}

/* A refusal is not a lie, but leaves the check without an account. */
static enum step refused(const struct guest_reply *r, uint32_t code, char *msg, size_t len)
{
	snprintf(msg, len, "the guest could not export %s: error %lld", reply_request_name(code),
		 (long long)r->status);
	return STEP_FAILED;
}

/* What the guest says it mapped. */
static enum step guest_claims(struct checker *c, struct map_list *claims, char *msg, size_t len)
{
	struct guest_reply reply;
	const struct vmm_kmap *k;
	size_t n;
	char why[160];
	enum step st = call_guest(c->ctx, VMM_REQ_KERNEL_MAPS, NULL, NULL, 0, &reply);

	if (st != STEP_OK)
		return st;
	if (reply.status)
		return refused(&reply, VMM_REQ_KERNEL_MAPS, msg, len);
	if (reply_kernel_maps(&reply, &k, &n, why, sizeof(why)))
		return guest_lied(c->ctx, VMM_REQ_KERNEL_MAPS, why);
	for (size_t i = 0; i < n; i++)
		if (map_push(claims, (struct map){ k[i].va, k[i].pa, PAGE_UP(k[i].size), k[i].prot,
					       "its own record" }))
			return STEP_FAILED;
	if (claims->n)
		qsort(claims->v, claims->n, sizeof(claims->v[0]), map_by_va);
	return STEP_OK;
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
static enum step free_ranges(struct checker *c, struct map_list *out, char *msg, size_t len)
{
	struct reply_pages pg = { 0 };
	char why[160];

	do {
		struct guest_reply reply;
		const struct vmm_page_block *b;
		size_t n;
		enum step st = call_guest(c->ctx, VMM_REQ_FREE_BLOCKS, (uint64_t[6]){ pg.got }, NULL,
					  0, &reply);

		if (st != STEP_OK)
			return st;
		if (reply.status)
			return refused(&reply, VMM_REQ_FREE_BLOCKS, msg, len);
		if (reply_free_blocks(&reply, c->ctx->g.accel.ram.size, &pg, &b, &n, why,
				      sizeof(why)))
			return guest_lied(c->ctx, VMM_REQ_FREE_BLOCKS, why);
		for (size_t i = 0; i < n; i++)
			if (map_push(out, (struct map){ b[i].pfn << PAGE_SHIFT, b[i].pfn << PAGE_SHIFT,
						    PAGE_SIZE << b[i].order, 0, "free" }))
				return STEP_FAILED;
	} while (pg.got < pg.total);
	if (out->n)
		qsort(out->v, out->n, sizeof(out->v[0]), map_by_va);
	merge_overlaps(out);
	return STEP_OK;
}

const struct map *free_after(const struct map_list *free, uint64_t pa)
{
	size_t lo = 0, hi = free->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (free->v[mid].va + free->v[mid].size <= pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < free->n ? &free->v[lo] : NULL;
}

/*
 * A frame the guest counts as free must not be mapped anywhere but the
 * direct map: the allocator would hand it out while someone still uses it.
 */
void check_free_mapped(struct checker *c, const struct map_list *mapped,
			      const struct map_list *free)
{
	for (size_t i = 0; i < mapped->n; i++) {
		const struct map *m = &mapped->v[i];
		const struct map *f = free_after(free, m->pa);

		if (m->va >= PAGE_OFFSET && m->va < VMALLOC_START)
			continue;
		if (f && f->va < m->pa + m->size) {
			uint64_t pa = f->va > m->pa ? f->va : m->pa;

			finding(c, "free-mapped", m->va + (pa - m->pa), m->va + (pa - m->pa) + PAGE_SIZE - 1,
				"maps phys %#llx, which the guest's page allocator counts as free",
				(unsigned long long)pa);
		}
	}
}

/* The guest's vmalloc areas, page by page; guard pages are simply absent. */
static enum step vmalloc_account(struct checker *c, struct map_list *out, char *msg, size_t len)
{
	struct guest_reply reply;
	const struct vmm_vmap_area *a;
	const uint64_t *pfn;
	size_t n, npfns, used = 0;
	char why[160];
	enum step st = call_guest(c->ctx, VMM_REQ_VMAP_AREAS, NULL, NULL, 0, &reply);

	if (st != STEP_OK)
		return st;
	if (reply.status)
		return refused(&reply, VMM_REQ_VMAP_AREAS, msg, len);
	if (reply_vmap_areas(&reply, c->ctx->g.accel.ram.size, &a, &n, &pfn, &npfns, why,
			     sizeof(why)))
		return guest_lied(c->ctx, VMM_REQ_VMAP_AREAS, why);
	for (size_t i = 0; i < n; i++)
		for (uint64_t p = 0; p < a[i].nr_pages; p++, used++)
			if (map_push(out, (struct map){ a[i].start + p * PAGE_SIZE,
							pfn[used] << PAGE_SHIFT, PAGE_SIZE,
							_PAGE_RW | _PAGE_NX, "a vmalloc area's page" }))
				return STEP_FAILED;
	if (out->n)
		qsort(out->v, out->n, sizeof(out->v[0]), map_by_va);
	return STEP_OK;
}

static void check_kernel_half(struct checker *c, const struct map_list *w,
			      const struct map_list *truth, const struct map_list *claims,
			      const struct map_list *vmalloc)
{
	struct map_list rest = { 0 }, in_vmalloc = { 0 };

	for (size_t i = 0; i < w->n; i++) {
		if (w->v[i].prot & _PAGE_USER)
			finding(c, "kernel-user", w->v[i].va, w->v[i].va + w->v[i].size - 1,
				"user-accessible mapping in the kernel half");
		map_push(w->v[i].va >= VMALLOC_START && w->v[i].va <= VMALLOC_END ? &in_vmalloc :
			 &rest, w->v[i]);
	}
	diff_maps(c, "kernel-truth", "the host", &rest, truth, PROT_TRUTH);
	diff_maps(c, "kernel-claims", "the guest", &rest, claims, PROT_CLAIM);
	diff_maps(c, "vmalloc", "the guest's vmalloc areas", &in_vmalloc, vmalloc, PROT_TRUTH);
	free(rest.v);
	free(in_vmalloc.v);
}

/* The kernel half, the free frames, then slabs and every process, while the budgets hold. */
static enum step check_all(struct checker *c, const struct map_list *claims,
			   const struct map_list *free_blocks, const struct map_list *vmalloc,
			   char *msg, size_t len)
{
	struct map_list walked = { 0 }, truth = { 0 };
	enum step st = STEP_OK;
	int r = walk(c, KERNEL_HALF_START, UINT64_MAX, &walked);

	if (r < 0 || host_truth(c, &truth)) {
		snprintf(msg, len, "the walk could not start (CR3 outside RAM?) or ran out of memory");
		st = STEP_FAILED;
	} else if (!r) {
		check_kernel_half(c, &walked, &truth, claims, vmalloc);
		check_free_mapped(c, &walked, free_blocks);
		st = check_slab_pages(c, free_blocks, msg, len);
		if (st == STEP_OK)
			st = check_user_spaces(c, c->ctx->g.pgd, free_blocks, msg, len);
	}
	free(walked.v);
	free(truth.v);
	return st;
}

enum step verify_check(struct run_ctx *ctx, char **findings)
{
	struct map_list claims = { 0 }, free_blocks = { 0 }, vmalloc = { 0 };
	struct checker c = {
		.ctx = ctx, .tables_left = CHECK_MAX_TABLES, .ranges_left = CHECK_MAX_RANGES,
		.records_left = CHECK_MAX_RECORDS,
	};
	char msg[256] = "";
	size_t len = 0;
	enum step st;

	*findings = NULL;
	c.out = open_memstream(findings, &len);
	if (!c.out)
		return STEP_FAILED;
	st = guest_claims(&c, &claims, msg, sizeof(msg));
	if (st == STEP_OK)
		st = free_ranges(&c, &free_blocks, msg, sizeof(msg));
	if (st == STEP_OK)
		st = vmalloc_account(&c, &vmalloc, msg, sizeof(msg));
	if (st == STEP_OK && guest_cr3(&ctx->g, &c.cr3, msg, sizeof(msg)))
		st = STEP_FAILED;
	if (st == STEP_OK)
		st = check_all(&c, &claims, &free_blocks, &vmalloc, msg, sizeof(msg));
	print_more(&c);
	if (c.stop[0]) {
		if (!msg[0])
			snprintf(msg, sizeof(msg), "check stopped short: %s", c.stop);
		st = STEP_FAILED;
	}
	if (msg[0])
		fprintf(c.out, "%s\n", msg);
	fclose(c.out);
	free(claims.v);
	free(free_blocks.v);
	free(vmalloc.v);
	if (ctx->g.status != GUEST_OK)
		return STEP_DEAD;
	if (st == STEP_OK && c.findings)
		st = STEP_FAILED;
	return st;
}
