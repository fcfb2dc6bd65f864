/* SPDX-License-Identifier: MIT */
/*
 * vmm corrupt's pure parts: where a flip lands, what the flipped bit
 * means, and which detector caught it.
 *
 * A target is one 64-bit word of guest RAM and a bit in it: a leaf
 * page-table entry of a process or of the kernel, a word of a struct page
 * in mem_map, or the first word of a slab slot (the free pointer of a free
 * object in a cache without debug flags, the left red zone with
 * slab_debug=Z).  Every choice is drawn from one seeded generator, so a
 * seed repeats a run.
 */
#ifndef HOST_CORRUPT_TARGET_H
#define HOST_CORRUPT_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shared/channel.h"

enum corrupt_class {
	CORRUPT_PTE_USER,
	CORRUPT_PTE_KERNEL,
	CORRUPT_PAGE,
	CORRUPT_SLAB,
	CORRUPT_CLASS_NR
};

enum corrupt_outcome {
	CORRUPT_CHECK,		/* a `check` rule: the flip's rule names it */
	CORRUPT_GUEST_SLAB,	/* the guest's slab debugging reported it */
	CORRUPT_GUEST_BAD_PAGE,	/* the guest's bad-page check reported it */
	CORRUPT_CRASHED,
	CORRUPT_HUNG,
	CORRUPT_UNDETECTED,
	CORRUPT_OUTCOME_NR
};

#define CORRUPT_NAME_LEN	24

/* One flip and what came of it: what a run hands back, record by record. */
struct corrupt_flip {
	uint64_t gpa;			/* the word's guest-physical address */
	uint64_t before;		/* the word before the flip */
	uint32_t line;			/* the statement it followed */
	uint32_t stmt;			/* its ordinal in the run, from 0 */
	uint8_t cls;			/* enum corrupt_class */
	uint8_t bit;			/* in the word, 0..63 */
	uint8_t outcome;		/* enum corrupt_outcome */
	uint8_t killed;			/* the guest died of it, whatever caught it first */
	char field[CORRUPT_NAME_LEN];	/* what the bit is: "pfn", "refcount", ... */
	char rule[CORRUPT_NAME_LEN];	/* CORRUPT_CHECK: the first new rule */
	char why[64];			/* crashed, hung: the diagnosis's first line */
};

/* splitmix64: small, seedable, and every seed is a good one. */
struct corrupt_rng {
	uint64_t state;
};

uint64_t corrupt_rand(struct corrupt_rng *r);
/*
 * Boot boot's generator under seed: the seed and the boot pass through the
 * mixer, so that no two boots' streams are one another's shifted.
 */
struct corrupt_rng corrupt_boot_rng(uint64_t seed, unsigned int boot);
/* Uniform in [0, n); 0 when n is 0. */
uint64_t corrupt_below(struct corrupt_rng *r, uint64_t n);

/* Which classes have somewhere to land: bit c of avail for class c. */
int corrupt_pick_class(struct corrupt_rng *r, unsigned int avail);

const char *corrupt_class_name(int cls);
const char *corrupt_outcome_name(int o);

/* What bit means in a page-table entry (Intel SDM vol. 3, 4.5). */
const char *corrupt_pte_field(unsigned int bit);
/* What bit of the word at byte offset word (a multiple of 8) of a struct page is. */
const char *corrupt_page_field(unsigned int word, unsigned int bit);

/*
 * The guest-physical address of slot's first word in slab sl; its slot
 * size is taken as the slab's bytes over its objects, to the word below,
 * which is exact when the slack is smaller than a slot.  0: no slot.
 */
uint64_t corrupt_slab_slot(const struct vmm_slab *sl, uint64_t slot);

/* What the detectors saw after one flip. */
struct corrupt_obs {
	int guest_status;		/* enum guest_status */
	const char *findings;		/* `check` after the flip; NULL or "": none */
	const char *base;		/* `check` before it: what was there anyway */
	unsigned int slab_reports;	/* new ones since the flip */
	unsigned int bad_pages;
};

/*
 * The verdict, the first detector in this order: a `check` finding the
 * check before the flip did not have (its rule into rule), a slab report,
 * a bad-page report, the guest's death, nothing.
 */
enum corrupt_outcome corrupt_classify(const struct corrupt_obs *o, char *rule, size_t len);

#endif
