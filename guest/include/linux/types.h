/* SPDX-License-Identifier: MIT */
/* Basic types; freestanding headers only, so the same file serves the native build. */
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

typedef u64 phys_addr_t;
typedef unsigned int gfp_t;

#ifndef __ssize_t_defined
typedef long ssize_t;
#endif

#endif
