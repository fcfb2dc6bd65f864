/* SPDX-License-Identifier: MIT */
/*
 * Assertions that cost nothing when they pass.
 *
 * The convention: check in plain C, call Check only on a mismatch; no
 * ck_assert_* in a hot loop (per byte, per object, per tree node, per
 * step of a random sequence).  A passing ck_assert_* is not free: Check
 * records it as the test's last known position, and in fork mode that is
 * a write() to its message file each time.  Tens of millions of them made
 * a test of milliseconds run for minutes.
 *
 * So bulk data is scanned in C (first_byte_not(), first_diff()) and the
 * fast_assert*() macros below test in C and call ck_abort_msg() only when
 * the check fails, with the message the ck_assert_* of the same name
 * gives, or for buffers the object, the offset, the byte expected and the
 * byte found.  Outside hot loops, use Check's own macros as usual.
 */
#ifndef TESTS_CHECK_FAST_H
#define TESTS_CHECK_FAST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <check.h>

/* Offset of the first byte of buf[0, len) that is not c; len if there is none. */
static inline size_t first_byte_not(const void *buf, int c, size_t len)
{
	const unsigned char *p = buf;
	size_t i;

	/* All bytes are c iff the first is and each equals the next: one memcmp. */
	if (!len || (p[0] == (unsigned char)c && !memcmp(p, p + 1, len - 1)))
		return len;
	for (i = 0; p[i] == (unsigned char)c; i++)
		;
	return i;
}

/* Offset of the first byte where a and b differ; len if they do not. */
static inline size_t first_diff(const void *a, const void *b, size_t len)
{
	const unsigned char *p = a, *q = b;
	size_t i;

	if (!memcmp(p, q, len))
		return len;
	for (i = 0; p[i] == q[i]; i++)
		;
	return i;
}

/* The caller's description of what is being checked ("object %p"), for a message. */
static inline __attribute__((format(printf, 3, 4)))
const char *fast_what(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return buf;
}

/*
 * The len bytes at buf are all c.  The rest of the arguments, a printf
 * format and its values, say what buf is: "object %p", p.  A failure reads
 * "object 0x... byte 17 of 40: expected 0x2b, found 0x00".
 */
#define fast_assert_bytes(buf, c, len, ...)					\
	do {									\
		const unsigned char *fb_p = (const void *)(buf);		\
		unsigned char fb_c = (c);					\
		size_t fb_n = (len), fb_at = first_byte_not(fb_p, fb_c, fb_n);	\
		char fb_what[160];						\
										\
		if (fb_at < fb_n)						\
			ck_abort_msg("%s byte %zu of %zu: expected 0x%02x, found 0x%02x", \
				     fast_what(fb_what, sizeof(fb_what), __VA_ARGS__), \
				     fb_at, fb_n, fb_c, fb_p[fb_at]);		\
	} while (0)

/* The len bytes at got are those at want; described as for fast_assert_bytes(). */
#define fast_assert_mem(got, want, len, ...)					\
	do {									\
		const unsigned char *fm_g = (const void *)(got);		\
		const unsigned char *fm_w = (const void *)(want);		\
		size_t fm_n = (len), fm_at = first_diff(fm_g, fm_w, fm_n);	\
		char fm_what[160];						\
										\
		if (fm_at < fm_n)						\
			ck_abort_msg("%s byte %zu of %zu: expected 0x%02x, found 0x%02x", \
				     fast_what(fm_what, sizeof(fm_what), __VA_ARGS__), \
				     fm_at, fm_n, fm_w[fm_at], fm_g[fm_at]);	\
	} while (0)

/* ck_assert() and ck_assert_msg(), with Check called only on failure. */
#define fast_assert(expr)							\
	do {									\
		if (!(expr))							\
			ck_abort_msg("Assertion '%s' failed", #expr);		\
	} while (0)

#define fast_assert_msg(expr, ...)						\
	do {									\
		if (!(expr))							\
			ck_abort_msg(__VA_ARGS__);				\
	} while (0)

/* ck_assert_int_*(), ck_assert_uint_*(), ck_assert_ptr_*(): the same messages. */
#define fast_assert_int_(X, OP, Y)						\
	do {									\
		intmax_t fa_x = (X), fa_y = (Y);				\
										\
		if (!(fa_x OP fa_y))						\
			ck_abort_msg("Assertion '%s' failed: %s == %jd, %s == %jd", \
				     #X " " #OP " " #Y, #X, fa_x, #Y, fa_y);	\
	} while (0)

#define fast_assert_uint_(X, OP, Y)						\
	do {									\
		uintmax_t fa_x = (X), fa_y = (Y);				\
										\
		if (!(fa_x OP fa_y))						\
			ck_abort_msg("Assertion '%s' failed: %s == %ju, %s == %ju", \
				     #X " " #OP " " #Y, #X, fa_x, #Y, fa_y);	\
	} while (0)

#define fast_assert_ptr_(X, OP, Y)						\
	do {									\
		const void *fa_x = (X), *fa_y = (Y);				\
										\
		if (!(fa_x OP fa_y))						\
			ck_abort_msg("Assertion '%s' failed: %s == %#lx, %s == %#lx", \
				     #X " " #OP " " #Y, #X, (unsigned long)fa_x, \
				     #Y, (unsigned long)fa_y);			\
	} while (0)

#define fast_assert_int_eq(X, Y)	fast_assert_int_(X, ==, Y)
#define fast_assert_int_ne(X, Y)	fast_assert_int_(X, !=, Y)
#define fast_assert_int_lt(X, Y)	fast_assert_int_(X, <, Y)
#define fast_assert_int_le(X, Y)	fast_assert_int_(X, <=, Y)
#define fast_assert_int_gt(X, Y)	fast_assert_int_(X, >, Y)
#define fast_assert_int_ge(X, Y)	fast_assert_int_(X, >=, Y)
#define fast_assert_uint_eq(X, Y)	fast_assert_uint_(X, ==, Y)
#define fast_assert_uint_ne(X, Y)	fast_assert_uint_(X, !=, Y)
#define fast_assert_uint_lt(X, Y)	fast_assert_uint_(X, <, Y)
#define fast_assert_uint_le(X, Y)	fast_assert_uint_(X, <=, Y)
#define fast_assert_uint_gt(X, Y)	fast_assert_uint_(X, >, Y)
#define fast_assert_uint_ge(X, Y)	fast_assert_uint_(X, >=, Y)
#define fast_assert_ptr_eq(X, Y)	fast_assert_ptr_(X, ==, Y)
#define fast_assert_ptr_ne(X, Y)	fast_assert_ptr_(X, !=, Y)
#define fast_assert_ptr_null(X)		fast_assert_ptr_(X, ==, NULL)
#define fast_assert_ptr_nonnull(X)	fast_assert_ptr_(X, !=, NULL)

/* ck_assert_str_eq(), for strings compared in a loop. */
#define fast_assert_str_eq(X, Y)						\
	do {									\
		const char *fa_x = (X), *fa_y = (Y);				\
										\
		if (!fa_x || !fa_y || strcmp(fa_x, fa_y))			\
			ck_abort_msg("Assertion '%s' failed: %s == \"%s\", %s == \"%s\"", \
				     #X " == " #Y, #X, fa_x ? fa_x : "(null)",	\
				     #Y, fa_y ? fa_y : "(null)");		\
	} while (0)

#endif
