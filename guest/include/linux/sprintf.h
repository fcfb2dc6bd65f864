/* SPDX-License-Identifier: MIT */
/* Formatted output into buffers: the kernel's own in the guest, the C library's natively. */
#ifndef _LINUX_SPRINTF_H
#define _LINUX_SPRINTF_H

#ifdef VMM_NATIVE
#include <stdio.h>
#else
#include <stdarg.h>
#include <linux/compiler.h>
#include <linux/types.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int scnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
#endif

#endif
