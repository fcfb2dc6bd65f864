/* SPDX-License-Identifier: MIT */
/*
 * Which accelerators the vmm under test can run a guest on, as its
 * `vmm info` says: "NAME available" or "NAME unavailable: REASON" a line.
 * Asked of the binary that will run the scenarios (--vmm), not of this
 * one, since that is the one whose answer matters.
 */
#ifndef HOST_SUITE_INFO_H
#define HOST_SUITE_INFO_H

#include "suite.h"

struct accel_info {
	struct strv names;		/* every accelerator named, in vmm's order */
	struct strv reasons;		/* "" where it is available */
};

int accel_info_read(const char *vmm, struct accel_info *ai, char *err, size_t errlen);
/* NULL: not named; "": available; else why not. */
const char *accel_info_reason(const struct accel_info *ai, const char *name);
void accel_info_free(struct accel_info *ai);

#endif
