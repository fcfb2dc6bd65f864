/* SPDX-License-Identifier: MIT */
/*
 * The first phase of `check`: everything its rules look at, fetched from
 * the guest and read from its RAM before any rule runs.
 *
 * check_fetch() asks the guest for its accounts through the checked reply
 * layer (host/reply.h), reads the vCPU's CR3 from the accelerator, walks
 * the page tables (host/pagewalk.h) and copies out what the rules read of
 * guest RAM (PGD slots, struct pages).  The rules (verify.h) then run over
 * the snapshot alone: they make no guest call, so each can be tested on a
 * snapshot made by hand.
 *
 * The fetch asks in the order the rules look, and stops at the first
 * failure (a refusal, a lie, a dead guest, a budget spent); the snapshot
 * then holds what came before it, flagged, and the rules stop at the same
 * point, so that a check that fails halfway prints what it found until
 * then.
 */
#ifndef HOST_CHECK_SNAPSHOT_H
#define HOST_CHECK_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pagewalk.h"
#include "vm/guest.h"
#include "shared/channel.h"
#include "shared/layout.h"

/* A mapping, or an account of one: va -> pa for size bytes with prot. */
struct map {
	uint64_t va, pa, size, prot;
	const char *what;		/* where the expectation comes from */
};

struct map_list {
	struct map *v;
	size_t n, cap;
};

/*
 * What one `check` may cost the host, whatever the guest built: tables
 * visited by all its walks, walked ranges and user frame records held at
 * once, and findings printed in full (the rest are counted by rule and
 * summarised).  docs/verification.md gives the figures.
 */
#define CHECK_MAX_TABLES	(1ULL << 16)
#define CHECK_MAX_RANGES	(1ULL << 19)
#define CHECK_MAX_RECORDS	(1ULL << 18)
#define CHECK_FINDINGS_SHOWN	100
#define CHECK_STOP_LEN		160

#define KERNEL_HALF_START	0xffff800000000000ULL
#define USER_HALF_END		0x00007fffffffffffULL
#define KERNEL_HALF_SLOTS	(PTRS_PER_TABLE - KERNEL_HALF_FIRST_PGD)

/*
 * One walk of one address space: its ranges, sorted, and the walker's
 * findings in the order it made them.  No more of those are kept than one
 * check can print in full; the rest are counted.
 */
struct snap_walk {
	uint64_t cr3;
	struct map_list ranges;
	struct pt_finding found[CHECK_FINDINGS_SHOWN];
	unsigned nfound;
	uint64_t more_found;
	bool done;			/* it ran to its end */
};

/* The kernel half of a PGD (slots 256..511) as read from RAM. */
struct pgd_half {
	bool read;			/* false: the PGD lies outside RAM */
	uint64_t slot[KERNEL_HALF_SLOTS];
};

struct snap_task {
	struct vmm_task task;
	struct vmm_vma *vmas;		/* sorted, disjoint (reply_vmas()) */
	size_t nvmas;
	struct snap_walk walk;		/* the user half, from task.pgd */
	struct pgd_half pgd;
	bool have_mm;
	struct vmm_mm_info mm;
};

/* What a struct page counts, as the host read it from mem_map. */
struct page_counts {
	int32_t mapcount, refcount;
};

struct check_snapshot {
	/* The accounts; each list sorted by va. */
	struct map_list truth;		/* the host's own: RAM, the kernel ELF */
	struct map_list claims;		/* VMM_REQ_KERNEL_MAPS */
	struct map_list free_blocks;	/* physical ranges (va = pa), disjoint */
	struct map_list vmalloc;	/* VMM_REQ_VMAP_AREAS, page by page */
	uint64_t cr3;			/* the vCPU's, from the accelerator */
	uint64_t kernel_pgd;		/* the guest's word (READY) */
	struct snap_walk kernel;	/* the kernel half, from cr3 */
	struct vmm_slab *slabs;
	size_t nslabs;
	bool slabs_done;
	bool tasks_listed;		/* mem_map and the tasks' list came */
	uint64_t zero_pfn;
	struct page_counts *pages;	/* mem_map[0..npages) */
	size_t npages;
	struct snap_task *tasks;
	size_t ntasks;			/* fetched, the last maybe in part */
	bool tasks_done;		/* every listed task, whole */
	struct pgd_half kernel_half;	/* the kernel's own PGD */
	struct snap_walk kernel_user;	/* the user half of the kernel's tables */
	char stop[CHECK_STOP_LEN];	/* why the fetch stopped short, or empty */
};

enum fetch {
	FETCH_OK,
	FETCH_FAILED,	/* a refusal or a budget spent: msg says why, or the stop does */
	FETCH_DEAD,	/* the guest died or lied on the way: g->diag says why */
};

/*
 * Fetch the snapshot from g.  The snapshot holds what came until the fetch
 * ended, whatever the outcome.
 */
enum fetch check_fetch(struct guest *g, struct check_snapshot *s, char *msg, size_t msglen);
void check_snapshot_free(struct check_snapshot *s);

int map_push(struct map_list *l, struct map m);
int map_by_va(const void *a, const void *b);

/* Why a check stops short: the first reason only. */
void stop_set(char *stop, const char *why);
/* Take n from a budget; false (and stop set) if it does not hold n. */
bool budget_spend(char *stop, uint64_t *budget, uint64_t n, const char *what);

#endif
