/* SPDX-License-Identifier: MIT */
/*
 * The physical address map as /proc/iomem shows it (Linux's struct
 * resource): RAM and what lies in it from the device tree, and the
 * regions drivers claim with request_mem_region() (guest/kernel/resource.c).
 */
#ifndef _LINUX_IOPORT_H
#define _LINUX_IOPORT_H

#include <linux/types.h>

struct resource {
	u64 start, end;		/* inclusive, as /proc/iomem prints them */
	const char *name;
};

#define MAX_REQUESTED_REGIONS	16

/*
 * Claims [start, start + n) for name (copied; at most 31 bytes kept).
 * Linux's rules for a tree whose RAM and kernel image are busy: the
 * region must lie inside one reserved range of RAM (it nests there) or
 * wholly outside RAM, and overlap no other claimed region.  0, -EBUSY
 * when it conflicts, -EINVAL for an empty or wrapping range, -ENOMEM when
 * the table is full.
 */
int request_mem_region(u64 start, u64 n, const char *name, u32 name_len);
/* Gives back the region claimed at exactly [start, start + n); -EINVAL if there is none. */
int release_mem_region(u64 start, u64 n);
/* The claimed regions in address order: the ith, or NULL past the last. */
const struct resource *requested_region(unsigned int i);

#endif
