/* SPDX-License-Identifier: MIT */
/*
 * Where guest instructions go: a histogram of single-stepped RIPs by guest
 * function, a tiny `perf report` for one scenario command.
 *
 * The run loop (guest.c) feeds it one RIP per KVM_EXIT_DEBUG while
 * guest_profile() has single-stepping on; profile_report() then names the
 * functions that took the most steps.  The histogram knows nothing about
 * KVM: only addresses and the kernel's symbol table.
 */
#ifndef HOST_PROFILE_H
#define HOST_PROFILE_H

#include <stdint.h>

#include "elf.h"
#include "report/report.h"

struct profile {
	const struct elf_image *img;
	uint64_t *hits;			/* per symbol, then [unknown], then [user] */
	uint64_t steps;			/* RIPs recorded since profile_reset() */
};

/* Returns 0, or -1 if out of memory.  img must outlive the profile. */
int profile_init(struct profile *p, const struct elf_image *img);
void profile_free(struct profile *p);
void profile_reset(struct profile *p);
void profile_record(struct profile *p, uint64_t rip);
/* The total steps and the top functions, one report note each. */
void profile_report(const struct profile *p, struct report *rep, unsigned top);

#endif
