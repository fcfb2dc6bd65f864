/* SPDX-License-Identifier: MIT */
/*
 * The integer limits libfdt's headers use.  gcc's own <limits.h> would
 * fall through to the C library's, which a freestanding kernel must not see.
 */
#ifndef _GUEST_LIMITS_H
#define _GUEST_LIMITS_H

#define CHAR_BIT	8
#define INT_MAX		__INT_MAX__
#define INT_MIN		(-INT_MAX - 1)
#define UINT_MAX	(INT_MAX * 2U + 1U)
#define LONG_MAX	__LONG_MAX__
#define ULONG_MAX	(LONG_MAX * 2UL + 1UL)

#endif
