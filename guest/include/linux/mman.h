/* SPDX-License-Identifier: MIT */
/*
 * mmap(2), mprotect(2) flags with Linux's x86-64 values (shared/mman.h),
 * translated into VM_* flags by linux/mm_vma.h.
 *
 * The native build must not include the C library's <sys/mman.h> in the
 * same file: a few of its macros are spelt differently (0x100 vs 0x0100)
 * and would be redefinitions.
 */
#ifndef _LINUX_MMAN_H
#define _LINUX_MMAN_H

/* The values are ABI: scenarios name them too. */
#include "shared/mman.h"

#define MAP_FAILED		((void *)-1)

#endif
