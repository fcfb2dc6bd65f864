/* SPDX-License-Identifier: MIT */
/* What libfdt_env.h needs of <stdlib.h>. */
#ifndef _GUEST_STDLIB_H
#define _GUEST_STDLIB_H

unsigned long strtoul(const char *s, char **end, int base);

#endif
