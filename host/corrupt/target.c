// SPDX-License-Identifier: MIT
/* vmm corrupt's targets and verdicts (target.h). */
#include <stdio.h>
#include <string.h>

#include "target.h"
#include "shared/layout.h"
#include "vm/guest.h"

uint64_t corrupt_rand(struct corrupt_rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

struct corrupt_rng corrupt_boot_rng(uint64_t seed, unsigned int boot)
{
	struct corrupt_rng r = { seed };

	r.state = corrupt_rand(&r) ^ (0xd1342543de82ef95ULL * (boot + 1ULL));
	r.state = corrupt_rand(&r);
	return r;
}

uint64_t corrupt_below(struct corrupt_rng *r, uint64_t n)
{
	return n ? corrupt_rand(r) % n : 0;
}

int corrupt_pick_class(struct corrupt_rng *r, unsigned int avail)
{
	unsigned int n = __builtin_popcount(avail & ((1u << CORRUPT_CLASS_NR) - 1));
	uint64_t k;

	if (!n)
		return -1;
	k = corrupt_below(r, n);
	for (int c = 0; c < CORRUPT_CLASS_NR; c++)
		if ((avail & (1u << c)) && !k--)
			return c;
	return -1;
}

const char *corrupt_class_name(int cls)
{
	static const char *const name[CORRUPT_CLASS_NR] = {
		"pte-user", "pte-kernel", "struct-page", "slab",
	};

	return cls >= 0 && cls < CORRUPT_CLASS_NR ? name[cls] : "?";
}

const char *corrupt_outcome_name(int o)
{
	static const char *const name[CORRUPT_OUTCOME_NR] = {
		"check", "slab", "bad-page", "crashed", "hung", "missed",
	};

	return o >= 0 && o < CORRUPT_OUTCOME_NR ? name[o] : "?";
}

const char *corrupt_pte_field(unsigned int bit)
{
	static const char *const low[9] = {
		"present", "rw", "user", "pwt", "pcd", "accessed", "dirty", "pse/pat", "global",
	};

	if (bit < 9)
		return low[bit];
	if (bit < 12)
		return "avail-low";
	if (bit < 52)
		return "pfn";
	if (bit < 59)
		return "avail-high";
	return bit < 63 ? "pkey" : "nx";
}

/* struct page's words (guest/include/linux/mm_types.h; the counts' offsets in layout.h). */
const char *corrupt_page_field(unsigned int word, unsigned int bit)
{
	switch (word) {
	case 0: return "flags";
	case 8: case 16: return "lru";
	case 24: return "mapping";
	case 32: return "private";
	case VMM_PAGE_MAPCOUNT_OFFSET:
		return bit < 32 ? "mapcount" : "refcount";
	case 48: return "index";
	default: return "pad";
	}
}

uint64_t corrupt_slab_slot(const struct vmm_slab *sl, uint64_t slot)
{
	uint64_t bytes, size;

	if (!sl->objects || slot >= sl->objects || sl->order > 10 ||
	    sl->pfn > (UINT64_MAX >> PAGE_SHIFT) - (1ULL << sl->order))
		return 0;
	bytes = PAGE_SIZE << sl->order;
	size = bytes / sl->objects & ~7ULL;
	return size ? (sl->pfn << PAGE_SHIFT) + slot * size : 0;
}

/* Whether text has the line l[0..n) as one of its lines. */
static bool has_line(const char *text, const char *l, size_t n)
{
	while (text && *text) {
		size_t m = strcspn(text, "\n");

		if (m == n && !memcmp(text, l, n))
			return true;
		text += m + (text[m] == '\n');
	}
	return false;
}

/* The rule of the first line of findings that base has not: "[rule] ..." or "stopped". */
static bool first_new_rule(const char *findings, const char *base, char *rule, size_t len)
{
	for (const char *l = findings; *l;) {
		size_t n = strcspn(l, "\n");

		if (n && !has_line(base, l, n)) {
			size_t r = l[0] == '[' ? strcspn(l + 1, "]\n") : 0;

			if (r && l[1 + r] == ']')
				snprintf(rule, len, "%.*s", (int)r, l + 1);
			else
				snprintf(rule, len, "stopped");
			return true;
		}
		l += n + (l[n] == '\n');
	}
	return false;
}

enum corrupt_outcome corrupt_classify(const struct corrupt_obs *o, char *rule, size_t len)
{
	rule[0] = '\0';
	if (o->findings && first_new_rule(o->findings, o->base, rule, len))
		return CORRUPT_CHECK;
	if (o->slab_reports)
		return CORRUPT_GUEST_SLAB;
	if (o->bad_pages)
		return CORRUPT_GUEST_BAD_PAGE;
	if (o->guest_status == GUEST_TIMEOUT)
		return CORRUPT_HUNG;
	return o->guest_status != GUEST_OK ? CORRUPT_CRASHED : CORRUPT_UNDETECTED;
}
