// SPDX-License-Identifier: MIT
/*
 * The host end of the mailbox against a lying guest: every field the guest
 * controls, set to a value that must be refused or contained.
 */
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "vm/channel.h"

static struct vmm_mailbox mb;
static struct channel_msg cm;
static char why[256];

static void fresh(uint32_t type, uint32_t len)
{
	memset(&mb, 0, sizeof(mb));
	mb.magic = VMM_MAILBOX_MAGIC;
	mb.version = VMM_MAILBOX_VERSION;
	mb.data_size = VMM_MAILBOX_DATA_SIZE;
	mb.msg.type = type;
	mb.msg.len = len;
	why[0] = '\0';
}

START_TEST(reply_accepted)
{
	fresh(VMM_MSG_REPLY, 100);
	mb.msg.seq = 7;
	mb.msg.val[0] = 42;
	ck_assert_int_eq(channel_receive(&mb, VMM_MSG_REPLY, &cm, why, sizeof(why)), 0);
	ck_assert_uint_eq(cm.m.seq, 7);
	ck_assert_uint_eq(cm.m.val[0], 42);
	ck_assert_uint_eq(cm.m.len, 100);
}
END_TEST

START_TEST(reply_full_data_area_accepted)
{
	fresh(VMM_MSG_REPLY, VMM_MAILBOX_DATA_SIZE);
	ck_assert_int_eq(channel_receive(&mb, VMM_MSG_REPLY, &cm, why, sizeof(why)), 0);
}
END_TEST

START_TEST(reply_longer_than_data_area)
{
	fresh(VMM_MSG_REPLY, VMM_MAILBOX_DATA_SIZE + 1);
	ck_assert_int_eq(channel_receive(&mb, VMM_MSG_REPLY, &cm, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "reply claims 65537 data bytes, the mailbox holds 65536");
}
END_TEST

START_TEST(doorbell_disagrees_with_type)
{
	fresh(VMM_MSG_REPLY, 0);
	ck_assert_int_eq(channel_receive(&mb, VMM_MSG_CONSOLE, &cm, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "doorbell 3 for a message of type 2");
}
END_TEST

START_TEST(unknown_types)
{
	const uint32_t types[] = { VMM_MSG_NONE, VMM_MSG_NR, 0xffffffffu };

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		fresh(types[i], 0);
		ck_assert_int_eq(channel_receive(&mb, types[i], &cm, why, sizeof(why)), -1);
		ck_assert_ptr_nonnull(strstr(why, "doorbell"));
	}
}
END_TEST

START_TEST(header_overwritten)
{
	char want[100];

	fresh(VMM_MSG_REPLY, 0);
	mb.magic = 0xdeadbeef;
	ck_assert_int_eq(channel_receive(&mb, VMM_MSG_REPLY, &cm, why, sizeof(why)), -1);
	snprintf(want, sizeof(want), "mailbox header overwritten (magic deadbeef, version %u)",
		 VMM_MAILBOX_VERSION);
	ck_assert_str_eq(why, want);
	fresh(VMM_MSG_REPLY, 0);
	mb.version = VMM_MAILBOX_VERSION + 1;
	ck_assert_int_eq(channel_receive(&mb, VMM_MSG_REPLY, &cm, why, sizeof(why)), -1);
}
END_TEST

START_TEST(console_text_escaped)
{
	fresh(VMM_MSG_CONSOLE, 6);
	memcpy(mb.console, "ok\n\x1b\x00!", 6);
	ck_assert_int_eq(channel_receive(&mb, VMM_MSG_CONSOLE, &cm, why, sizeof(why)), 0);
	ck_assert_str_eq(cm.text, "ok\\x0a\\x1b\\x00!");
	ck_assert_uint_eq(cm.text_len, strlen(cm.text));
}
END_TEST

START_TEST(console_too_long)
{
	fresh(VMM_MSG_CONSOLE, VMM_CONSOLE_SIZE + 1);
	ck_assert_int_eq(channel_receive(&mb, VMM_MSG_CONSOLE, &cm, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "a message with 1025 bytes of text (at most 1024)");
}
END_TEST

START_TEST(console_all_control_bytes_fit)
{
	/* The worst case: every byte escaped to four characters. */
	fresh(VMM_MSG_CONSOLE, VMM_CONSOLE_SIZE);
	memset(mb.console, 0x01, sizeof(mb.console));
	ck_assert_int_eq(channel_receive(&mb, VMM_MSG_CONSOLE, &cm, why, sizeof(why)), 0);
	ck_assert_uint_eq(cm.text_len, 4u * VMM_CONSOLE_SIZE);
	ck_assert_int_eq(cm.text[cm.text_len], '\0');
}
END_TEST

START_TEST(report_kinds)
{
	fresh(VMM_MSG_REPORT, 3);
	memcpy(mb.console, "bad", 3);
	mb.msg.val[0] = VMM_REPORT_BAD_PAGE;
	ck_assert_int_eq(channel_receive(&mb, VMM_MSG_REPORT, &cm, why, sizeof(why)), 0);
	ck_assert_str_eq(cm.text, "bad");
	mb.msg.val[0] = 0;
	ck_assert_int_eq(channel_receive(&mb, VMM_MSG_REPORT, &cm, why, sizeof(why)), -1);
	mb.msg.val[0] = VMM_REPORT_NR;
	ck_assert_int_eq(channel_receive(&mb, VMM_MSG_REPORT, &cm, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "a report of unknown kind"));
}
END_TEST

START_TEST(panic_contained)
{
	/* A dying guest's report is used as far as it is sane, never refused. */
	fresh(VMM_MSG_PANIC, 0xffffffffu);
	memcpy(mb.console, "line one\nline two", 17);
	mb.crash.nr_frames = 1000000;
	mb.crash.rip = 0xffffffff80100000ULL;
	ck_assert_int_eq(channel_receive(&mb, VMM_MSG_PANIC, &cm, why, sizeof(why)), 0);
	ck_assert_uint_eq(cm.crash.nr_frames, VMM_BACKTRACE_DEPTH);
	ck_assert_uint_eq(cm.claimed_frames, 1000000);
	ck_assert_uint_eq(cm.m.len, VMM_CONSOLE_SIZE);
	ck_assert_uint_eq(cm.crash.rip, 0xffffffff80100000ULL);
	ck_assert_ptr_nonnull(strstr(cm.text, "line one\nline two"));
}
END_TEST

START_TEST(sanitize_bounds)
{
	char small[8];

	/* Whatever fits, always NUL-terminated, never a partial escape. */
	ck_assert_uint_eq(channel_sanitize(small, sizeof(small), "abcdefghij", 10, 0), 7);
	ck_assert_str_eq(small, "abcdefg");
	ck_assert_uint_eq(channel_sanitize(small, sizeof(small), "ab\x7f\x01", 4, 0), 6);
	ck_assert_str_eq(small, "ab\\x7f");
}
END_TEST

static Suite *channel_suite(void)
{
	Suite *s = suite_create("channel");
	TCase *tc = tcase_create("receive");

	tcase_add_test(tc, reply_accepted);
	tcase_add_test(tc, reply_full_data_area_accepted);
	tcase_add_test(tc, reply_longer_than_data_area);
	tcase_add_test(tc, doorbell_disagrees_with_type);
	tcase_add_test(tc, unknown_types);
	tcase_add_test(tc, header_overwritten);
	tcase_add_test(tc, console_text_escaped);
	tcase_add_test(tc, console_too_long);
	tcase_add_test(tc, console_all_control_bytes_fit);
	tcase_add_test(tc, report_kinds);
	tcase_add_test(tc, panic_contained);
	tcase_add_test(tc, sanitize_bounds);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN_NOFORK(channel_suite)
