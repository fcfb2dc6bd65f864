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
 * verify_check() fetches a snapshot of all of it first (check_snapshot.c),
 * then runs the rules over the snapshot alone: the rules of the kernel
 * half and the free frames here, the others in verify_slab.c and
 * verify_user.c.  Rules and how to read a finding: docs/verification.md.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pagewalk.h"
#include "shared/layout.h"
#include "verify.h"
#include "shared/pte.h"

#define PROT_TRUTH		(_PAGE_RW | _PAGE_USER | _PAGE_NX)
#define PROT_CLAIM		(PROT_TRUTH | _PAGE_GLOBAL)

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

	if (!c->ram || pt_translate(c->ram, c->cr3, va, &t))
		return;
	for (int i = 0; i < t.nlevels && i < 4; i++)
		fprintf(c->out, "    %s entry at %#llx = %016llx\n", level[i],
			(unsigned long long)t.entry_gpa[i], (unsigned long long)t.entry[i]);
}

/* Past the limit, a finding is only counted, under its rule (the last slot takes the rest). */
static void count_more(struct checker *c, const char *rule, uint64_t n)
{
	struct rule_count *r = c->more;

	while (r < c->more + CHECK_RULES - 1 && r->rule && strcmp(r->rule, rule))
		r++;
	r->rule = r->rule ?: rule;
	r->more += n;
}

bool finding_shown(struct checker *c, const char *rule)
{
	c->findings++;
	if (c->shown < CHECK_FINDINGS_SHOWN) {
		c->shown++;
		return true;
	}
	count_more(c, rule, 1);
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

void check_print_more(struct checker *c)
{
	char n[32];

	for (const struct rule_count *r = c->more; r < c->more + CHECK_RULES && r->rule; r++)
		fprintf(c->out, "[%s] and %s more like it%s\n", r->rule, grouped(r->more, n, sizeof(n)),
			r == c->more + CHECK_RULES - 1 ? " (or of other rules)" : "");
}

void check_stop(struct checker *c, const char *why)
{
	stop_set(c->stop, why);
}

bool check_spend(struct checker *c, uint64_t *budget, uint64_t n, const char *what)
{
	return budget_spend(c->stop, budget, n, what);
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

static const char *level_name(enum pt_level level)
{
	return level == PT_PGD ? "PGD" : level == PT_PUD ? "PUD" : level == PT_PMD ? "PMD" : "PTE";
}

bool check_walk(struct checker *c, const struct check_snapshot *s, const struct snap_walk *w)
{
	c->cr3 = w->cr3;
	for (unsigned i = 0; i < w->nfound && i < CHECK_FINDINGS_SHOWN; i++) {
		const struct pt_finding *f = &w->found[i];

		finding(c, "walk", f->va, f->va, "%s: %s entry at %#llx = %016llx",
			pt_finding_str(f->kind), level_name(f->level),
			(unsigned long long)f->entry_gpa, (unsigned long long)f->entry);
	}
	/* past the findings kept, which are as many as one check prints */
	c->findings += w->more_found;
	if (w->more_found)
		count_more(c, "walk", w->more_found);
	if (!w->done && s->stop[0])
		check_stop(c, s->stop);
	return w->done;
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

/* The kernel half, the free frames, then slabs and every process, as far as s goes. */
void check_rules(struct checker *c, const struct check_snapshot *s)
{
	if (!check_walk(c, s, &s->kernel))
		return;
	check_kernel_half(c, &s->kernel.ranges, &s->truth, &s->claims, &s->vmalloc);
	check_free_mapped(c, &s->kernel.ranges, &s->free_blocks);
	check_slab_pages(c, s);
	if (s->slabs_done)
		check_user_spaces(c, s);
}

enum step verify_check(struct run_ctx *ctx, char **findings)
{
	struct check_snapshot s = { 0 };
	struct checker c = { .ram = &ctx->g.accel.ram, .records_left = CHECK_MAX_RECORDS };
	char msg[256] = "";
	size_t len = 0;
	enum step st;

	*findings = NULL;
	c.out = open_memstream(findings, &len);
	if (!c.out)
		return STEP_FAILED;
	st = check_fetch(ctx, &s, msg, sizeof(msg));
	check_rules(&c, &s);
	check_print_more(&c);
	if (c.stop[0]) {
		if (!msg[0])
			snprintf(msg, sizeof(msg), "check stopped short: %s", c.stop);
		st = STEP_FAILED;
	}
	if (msg[0])
		fprintf(c.out, "%s\n", msg);
	fclose(c.out);
	check_snapshot_free(&s);
	if (ctx->g.status != GUEST_OK)
		return STEP_DEAD;
	if (st == STEP_OK && c.findings)
		st = STEP_FAILED;
	return st;
}
