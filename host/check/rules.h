/* SPDX-License-Identifier: MIT */
/*
 * The rules of `check`, as functions over a snapshot (check_snapshot.h)
 * that write findings through a checker.  No rule calls the guest: they
 * read the snapshot, and guest RAM only to print each finding's entries
 * at every level.  verify_kernel.c holds the kernel half and the free
 * frames, verify_slab.c the slabs and verify_user.c the address spaces of
 * processes.  docs/verification.md lists the rules.
 */
#ifndef HOST_CHECK_RULES_H
#define HOST_CHECK_RULES_H

#include "checker.h"

/* verify_kernel.c: the kernel half of one walk against the host's truth and the guest's accounts. */
void check_kernel_half(struct checker *c, const struct map_list *w,
		       const struct map_list *truth, const struct map_list *claims,
		       const struct map_list *vmalloc);
/* Rule free-mapped over one walk (verify_kernel.c). */
void check_free_mapped(struct checker *c, const struct map_list *mapped,
		       const struct map_list *free_blocks);

/* The first free range that ends after pa, or NULL (verify_kernel.c). */
const struct map *free_after(const struct map_list *free_blocks, uint64_t pa);

/* verify_slab.c: rule slab-free, over the slabs fetched. */
void check_slab_pages(struct checker *c, const struct check_snapshot *s);

/* verify_user.c: every process's address space, as far as s goes. */
void check_user_spaces(struct checker *c, const struct check_snapshot *s);

#endif
