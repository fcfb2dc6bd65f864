/* SPDX-License-Identifier: MIT */
/*
 * Guest RAM as the host sees it: one anonymous mapping backing guest
 * physical addresses [0, size).  Every access the host makes on behalf of
 * guest-provided addresses goes through gpa_ptr(), which refuses any range
 * that is not wholly inside RAM, with overflow-safe arithmetic.
 */
#ifndef HOST_GUEST_RAM_H
#define HOST_GUEST_RAM_H

#include <stddef.h>
#include <stdint.h>

struct guest_ram {
	uint8_t *mem;		/* host mapping of guest-physical 0 */
	uint64_t size;		/* bytes */
};

/* Host pointer to [gpa, gpa + len), or NULL if any byte lies outside RAM. */
static inline void *gpa_ptr(const struct guest_ram *ram, uint64_t gpa, uint64_t len)
{
	if (gpa > ram->size || len > ram->size - gpa)
		return NULL;
	return ram->mem + gpa;
}

/* Read one little-endian u64 at gpa; returns -1 if outside RAM or misaligned. */
static inline int gpa_read_u64(const struct guest_ram *ram, uint64_t gpa, uint64_t *val)
{
	const uint64_t *p;

	if (gpa & 7)
		return -1;
	p = gpa_ptr(ram, gpa, sizeof(*p));
	if (!p)
		return -1;
	*val = *p;
	return 0;
}

#endif
