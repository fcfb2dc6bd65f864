// SPDX-License-Identifier: MIT
/*
 * The guest's vsnprintf (guest/lib/vsprintf.c), built here under other
 * names beside the C library's, against which every case is checked: the
 * same text, the same NUL-terminated truncation, the same return value.
 * The C library is the reference for the subset the guest supports
 * (flags '-' and '0', widths and string precisions, also from '*',
 * length modifiers l, ll, z; d i u x X s c %); %p differs on purpose
 * (always 0x and hex, also for NULL) and is checked by itself.
 */
#undef VMM_NATIVE	/* the guest's declarations, not the C library's */
#define vsnprintf guest_vsnprintf
#define snprintf guest_snprintf
#define scnprintf guest_scnprintf
#include "guest/lib/vsprintf.c"
#undef vsnprintf
#undef snprintf
#undef scnprintf

#include <stdio.h>

#include "check_main.h"

/* Truncation is what these tests are about. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

/* Both into buffers of every size from 0 to 40, compared. */
#define SAME(fmt, ...)								\
	do {									\
		char want[64], got[64];						\
		for (size_t size = 0; size <= 40; size++) {			\
			int w, g;						\
			memset(want, '#', sizeof(want));			\
			memset(got, '#', sizeof(got));				\
			w = snprintf(want, size, fmt, ##__VA_ARGS__);		\
			g = guest_snprintf(got, size, fmt, ##__VA_ARGS__);	\
			if (w != g || memcmp(want, got, sizeof(want)))		\
				ck_abort_msg("\"%s\" into %zu bytes: \"%.*s\" (%d), "	\
					     "the C library \"%.*s\" (%d)", fmt, size,	\
					     (int)size, got, g, (int)size, want, w);	\
		}								\
	} while (0)

START_TEST(test_literal_text)
{
	SAME("%s", "");
	SAME("plain text, longer than the smaller buffers");
	SAME("100%% sure, %%%% twice");
	SAME("vmm guest kernel: %llu MiB RAM in %u range(s), command line: %s\n",
	     64ULL, 1U, "memory=64M");
}
END_TEST

START_TEST(test_numbers)
{
	SAME("%d %i %u", -42, 2147483647, 4294967295U);
	SAME("%ld %lu %lld %llu", -1L, 123456789UL, -9223372036854775807LL - 1,
	     18446744073709551615ULL);
	SAME("%zu %zx", (size_t)4096, (size_t)0xdeadbeef);
	SAME("%x %X %lx", 0xabcU, 0xabcU, 0xffff888000000000UL);
	SAME("[%5d] [%-5d] [%05d]", 42, 42, 42);
	SAME("[%08lx] [%*u] [%-*u]", 0x1234UL, 7, 99U, 7, 99U);
	SAME("[%05d] [%5d] [%-6d]|", -42, -42, -42);
	SAME("%d%d%d", 0, 0, 0);
}
END_TEST

START_TEST(test_strings_and_chars)
{
	SAME("[%s] [%10s] [%-10s]", "abc", "abc", "abc");
	SAME("[%.2s] [%.*s] [%8.3s]", "abcdef", 4, "abcdef", "abcdef");
	SAME("[%c%c%c]", 'v', 'm', 'm');
	SAME("%s%s", "first half, ", "second half of a long line");
}
END_TEST

/* %p: 0x and lower-case hex, NULL too (the C library says "(nil)"). */
START_TEST(test_pointers)
{
	char buf[32];

	ck_assert_int_eq(guest_snprintf(buf, sizeof(buf), "%p", (void *)0xffff888003e01000UL), 18);
	ck_assert_str_eq(buf, "0xffff888003e01000");
	ck_assert_int_eq(guest_snprintf(buf, sizeof(buf), "at %p.", NULL), 7);
	ck_assert_str_eq(buf, "at 0x0.");
}
END_TEST

/*
 * A lone '%' at the end, and an unknown conversion, are printed as they
 * stand (formats the compiler would refuse, so passed as variables).
 */
START_TEST(test_odd_formats)
{
	const char *volatile trailing = "50%", *volatile unknown = "a%qb";
	char buf[32];

	ck_assert_int_eq(guest_snprintf(buf, sizeof(buf), trailing, 0), 3);
	ck_assert_str_eq(buf, "50%");
	ck_assert_int_eq(guest_snprintf(buf, sizeof(buf), unknown, 0), 4);
	ck_assert_str_eq(buf, "a%qb");
}
END_TEST

START_TEST(test_scnprintf)
{
	char buf[8];

	ck_assert_int_eq(guest_scnprintf(buf, sizeof(buf), "%s", "0123456789"), 7);
	ck_assert_str_eq(buf, "0123456");
	ck_assert_int_eq(guest_scnprintf(buf, sizeof(buf), "%d", 12), 2);
	ck_assert_int_eq(guest_scnprintf(buf, 0, "%d", 12), 0);
}
END_TEST

static Suite *vsprintf_suite(void)
{
	Suite *s = suite_create("vsprintf");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_literal_text);
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_strings_and_chars);
	tcase_add_test(tc, test_pointers);
	tcase_add_test(tc, test_odd_formats);
	tcase_add_test(tc, test_scnprintf);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN_NOFORK(vsprintf_suite)
