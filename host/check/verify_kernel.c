// SPDX-License-Identifier: MIT
/*
 * The rules of the kernel half and of free frames: the walk against the
 * host's truth (RAM, the kernel image), against the guest's claims and its
 * vmalloc areas; and no free frame mapped outside the direct map.
 */
#include <stdlib.h>

#include "rules.h"
#include "shared/layout.h"
#include "shared/pte.h"

#define PROT_TRUTH		(_PAGE_RW | _PAGE_USER | _PAGE_NX)
#define PROT_CLAIM		(PROT_TRUTH | _PAGE_GLOBAL)

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

void check_kernel_half(struct checker *c, const struct map_list *w,
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
