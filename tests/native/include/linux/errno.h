/* SPDX-License-Identifier: MIT */
/*
 * Natively, the system's errno values (the same numbers on Linux).  This
 * file also stands in for the kernel header that glibc's <errno.h>
 * includes, which is why it names the kernel's <asm/errno.h> and not
 * <errno.h>.
 */
#ifndef _LINUX_ERRNO_H
#define _LINUX_ERRNO_H

#include <asm/errno.h>

#endif
