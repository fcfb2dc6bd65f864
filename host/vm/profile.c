// SPDX-License-Identifier: MIT
/* A histogram of guest RIPs by function symbol (profile.h). */
#include <stdlib.h>
#include <string.h>

#include "profile.h"

/* The canonical lower half: user space, whatever the process. */
#define USER_END		0x800000000000ULL
/* A label without a size covers up to this far, as in elf_symbolize(). */
#define NEAREST_MAX		0x10000

enum { SLOT_UNKNOWN, SLOT_USER, NR_EXTRA_SLOTS };

static size_t slot_of_extra(const struct profile *p, unsigned extra)
{
	return p->img->nsyms + extra;
}

int profile_init(struct profile *p, const struct elf_image *img)
{
	*p = (struct profile){ .img = img };
	p->hits = calloc(img->nsyms + NR_EXTRA_SLOTS, sizeof(*p->hits));
	return p->hits ? 0 : -1;
}

void profile_free(struct profile *p)
{
	free(p->hits);
	p->hits = NULL;
}

void profile_reset(struct profile *p)
{
	memset(p->hits, 0, (p->img->nsyms + NR_EXTRA_SLOTS) * sizeof(*p->hits));
	p->steps = 0;
}

/* The symbol covering rip, by binary search over the sorted table. */
static size_t slot_of(const struct profile *p, uint64_t rip)
{
	const struct elf_symbol *syms = p->img->syms;
	size_t lo = 0, hi = p->img->nsyms, mid;
	uint64_t off;

	if (rip < USER_END)
		return slot_of_extra(p, SLOT_USER);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (syms[mid].addr <= rip)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return slot_of_extra(p, SLOT_UNKNOWN);
	off = rip - syms[lo - 1].addr;
	if (syms[lo - 1].size ? off < syms[lo - 1].size : off < NEAREST_MAX)
		return lo - 1;
	return slot_of_extra(p, SLOT_UNKNOWN);
}

void profile_record(struct profile *p, uint64_t rip)
{
	p->hits[slot_of(p, rip)]++;
	p->steps++;
}

static const char *slot_name(const struct profile *p, size_t slot)
{
	if (slot < p->img->nsyms)
		return p->img->syms[slot].name;
	return slot == slot_of_extra(p, SLOT_USER) ? "[user]" : "[unknown]";
}

/* Most steps first; ties by slot, so that the order is stable. */
static int by_hits(const void *a, const void *b, void *arg)
{
	const uint64_t *hits = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (hits[x] != hits[y])
		return hits[x] > hits[y] ? -1 : 1;
	return x < y ? -1 : 1;
}

/* The width of the count column: no function has more steps than the total. */
static int digits(uint64_t n)
{
	int d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

void profile_report(const struct profile *p, struct report *rep, unsigned top)
{
	size_t nslots = p->img->nsyms + NR_EXTRA_SLOTS, n = 0;
	size_t *order = malloc(nslots * sizeof(*order));

	report_note(rep, "profile %llu instructions single-stepped, by function:",
		    (unsigned long long)p->steps);
	if (!order)
		return;
	for (size_t i = 0; i < nslots; i++)
		if (p->hits[i])
			order[n++] = i;
	qsort_r(order, n, sizeof(*order), by_hits, p->hits);
	for (size_t i = 0; i < n && i < top; i++)
		report_note(rep, "profile %*llu %5.1f%%  %s", digits(p->steps),
			    (unsigned long long)p->hits[order[i]],
			    100.0 * p->hits[order[i]] / p->steps, slot_name(p, order[i]));
	free(order);
}
