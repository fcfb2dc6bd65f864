/* SPDX-License-Identifier: MIT */
/*
 * The C string functions the kernel implements (guest/lib/string.c): what
 * our own code uses and what Debian's libfdt.a links against.  This
 * directory is on the guest's include path only, so libfdt_env.h's
 * <string.h> finds it there; the native build uses the C library's header.
 */
#ifndef _GUEST_STRING_H
#define _GUEST_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
size_t strlcpy(char *dst, const char *src, size_t size);

#endif
