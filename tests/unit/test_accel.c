// SPDX-License-Identifier: MIT
/*
 * The parts of the accelerators that need no guest: QMP lines as QEMU 7.2
 * writes them, its register dump, the QEMU command line, and choosing an
 * accelerator by name.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "lib/kernel.h"
#include "vm/accel/accel.h"
#include "vm/accel/qemu_argv.h"
#include "vm/accel/qmp.h"
#include "check_main.h"

/* `info registers` of a guest halted in the kernel, as QEMU 7.2 prints it. */
static const char regs_dump[] =
	"RAX=0000000000000001 RBX=ffff8880000efcb0 RCX=ffff888000000000 RDX=0000000000000001\r\n"
	"RSI=0000000000000fff RDI=ffff8880000efcb0 RBP=ffffffff8011bff0 RSP=ffffffff8011bfe0\r\n"
	"R8 =0000000000000008 R9 =0000000000000009 R10=0000000000000010 R11=0000000000000011\r\n"
	"R12=ffff8880000efcb1 R13=0000000000000013 R14=0000000000000014 R15=0000000000000015\r\n"
	"RIP=ffffffff801010da RFL=00000097 [--S-APC] CPL=0 II=0 A20=1 SMM=0 HLT=1\r\n"
	"ES =0018 0000000000000000 ffffffff 00cf9300 DPL=0 DS   [-WA]\r\n"
	"CS =0010 0000000000000000 ffffffff 00af9a00 DPL=0 CS64 [-R-]\r\n"
	"SS =0018 0000000000000000 ffffffff 00cf9300 DPL=0 DS   [-WA]\r\n"
	"GDT=     0000000000114710 0000001f\r\n"
	"CR0=80010033 CR2=0000000000000abc CR3=000000000011d000 CR4=00000020\r\n"
	"DR0=0000000000000000 DR1=0000000000000000 DR2=0000000000000000 DR3=0000000000000000 \r\n";

START_TEST(test_greeting)
{
	struct qmp_msg m;

	ck_assert_int_eq(qmp_parse("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, "
				   "\"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7\"}, "
				   "\"capabilities\": [\"oob\"]}}\r", &m), 0);
	ck_assert_int_eq(m.kind, QMP_GREETING);
	ck_assert_int_eq(m.version[0], 7);
	ck_assert_int_eq(m.version[1], 2);
	ck_assert_int_eq(m.version[2], 22);
	qmp_msg_free(&m);
}
END_TEST

START_TEST(test_return_text)
{
	struct qmp_msg m;

	ck_assert_int_eq(qmp_parse("{\"return\": \"RIP=1 \\\"q\\\" \\\\ \\u0041\\r\\n\"}", &m), 0);
	ck_assert_int_eq(m.kind, QMP_RETURN);
	ck_assert_str_eq(m.text, "RIP=1 \"q\" \\ A\r\n");
	qmp_msg_free(&m);
	ck_assert_int_eq(qmp_parse("{\"return\": {}}", &m), 0);
	ck_assert_int_eq(m.kind, QMP_RETURN);
	ck_assert_ptr_null(m.text);
}
END_TEST

START_TEST(test_error_and_events)
{
	struct qmp_msg m;

	ck_assert_int_eq(qmp_parse("{\"error\": {\"class\": \"GenericError\", \"desc\": \"no\"}}", &m),
			 0);
	ck_assert_int_eq(m.kind, QMP_ERROR);
	ck_assert_int_eq(qmp_parse("{\"timestamp\": {\"seconds\": 1764900000, \"microseconds\": 5}, "
				   "\"event\": \"SHUTDOWN\", \"data\": {\"guest\": true, "
				   "\"reason\": \"guest-reset\"}}", &m), 0);
	ck_assert_int_eq(m.kind, QMP_EVENT);
	ck_assert_str_eq(m.event, "SHUTDOWN");
	ck_assert_str_eq(m.reason, "guest-reset");
	ck_assert_int_eq(qmp_parse("{\"event\": \"STOP\", \"timestamp\": {\"seconds\": 1, "
				   "\"microseconds\": -2.5e3}}", &m), 0);
	ck_assert_str_eq(m.event, "STOP");
}
END_TEST

START_TEST(test_malformed)
{
	static const char *const bad[] = {
		"", "[]", "{", "{\"return\"", "{\"return\": }", "{\"return\": \"open",
		"{\"return\": \"\\x41\"}", "{\"return\": \"\\u00\"}", "{\"a\" 1}", "{\"a\": 1,}",
		"{\"event\": \"X\" \"data\": {}}", "{\"return\": \"a\tb\"}",
	};
	struct qmp_msg m;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (qmp_parse(bad[i], &m) != -1 || m.kind != QMP_UNKNOWN || m.text)
			ck_abort_msg("accepted malformed QMP line %zu: '%s'", i, bad[i]);
}
END_TEST

/* Nesting beyond the scanner's depth limit is refused, not recursed into. */
START_TEST(test_deep_nesting)
{
	size_t n = 100000;
	char *line = malloc(2 * n + 16);
	struct qmp_msg m;

	ck_assert_ptr_nonnull(line);
	strcpy(line, "{\"data\": ");
	memset(line + 9, '[', n);
	memset(line + 9 + n, ']', n);
	strcpy(line + 9 + 2 * n, "}");
	ck_assert_int_eq(qmp_parse(line, &m), -1);
	free(line);
}
END_TEST

START_TEST(test_registers)
{
	struct cpu_regs r;
	bool halted = false;

	ck_assert_int_eq(qmp_parse_registers(regs_dump, &r, &halted), 0);
	ck_assert(halted);
	ck_assert_uint_eq(r.rip, 0xffffffff801010daULL);
	ck_assert_uint_eq(r.rsp, 0xffffffff8011bfe0ULL);
	ck_assert_uint_eq(r.rflags, 0x97);
	ck_assert_uint_eq(r.r8, 8);
	ck_assert_uint_eq(r.r9, 9);
	ck_assert_uint_eq(r.r15, 0x15);
	ck_assert_uint_eq(r.cs, 0x10);
	ck_assert_uint_eq(r.ss, 0x18);
	ck_assert_uint_eq(r.cr2, 0xabc);
	ck_assert_uint_eq(r.cr3, 0x11d000);
	ck_assert_uint_eq(r.cr4, 0x20);
}
END_TEST

START_TEST(test_registers_missing)
{
	struct cpu_regs r;
	bool halted = true;

	ck_assert_int_eq(qmp_parse_registers("RAX=1 HLT=0\r\n", &r, &halted), -1);
	ck_assert_int_eq(qmp_parse_registers("RIP=ffff HLT=0 CR3=\r\n", &r, &halted), -1);
	ck_assert_int_eq(qmp_parse_registers("XRIP=1 CR3=2 HLT=0", &r, &halted), -1);
	ck_assert_int_eq(qmp_parse_registers("RIP=1 CR3=2 HLT=0", &r, &halted), 0);
	ck_assert(!halted);
}
END_TEST

static const char *find_arg(const struct qemu_argv *qa, const char *opt)
{
	for (int i = 0; qa->argv[i] && qa->argv[i + 1]; i++)
		if (!strcmp(qa->argv[i], opt))
			return qa->argv[i + 1];
	return NULL;
}

START_TEST(test_argv)
{
	struct qemu_config c = {
		.binary = "/usr/bin/qemu-system-x86_64", .kernel = "guest/vmlinux",
		.ram_size = 64ULL << 20, .fdt = 0x10000, .ram_fd = 5, .doorbell_fd = 6, .qmp_fd = 7,
	};
	struct qemu_argv qa;

	ck_assert_int_eq(qemu_build_argv(&c, &qa), 0);
	ck_assert_str_eq(qa.argv[0], c.binary);
	ck_assert_str_eq(find_arg(&qa, "-accel"), "tcg");
	ck_assert_str_eq(find_arg(&qa, "-m"), "65536k");
	ck_assert_str_eq(find_arg(&qa, "-object"),
			 "memory-backend-file,id=ram,size=65536k,mem-path=/proc/self/fd/5,share=on");
	ck_assert_str_eq(find_arg(&qa, "-kernel"), "guest/vmlinux");
	ck_assert_str_eq(find_arg(&qa, "-append"), "vmm.fdt=0x10000");
	ck_assert_str_eq(find_arg(&qa, "-action"), "reboot=shutdown,shutdown=pause");
	ck_assert_ptr_null(find_arg(&qa, "-icount"));
	ck_assert_ptr_nonnull(strstr(find_arg(&qa, "-device"), "iobase=0x500"));
	c.icount = true;
	c.ram_size = 6148 << 10;	/* QEMU wants 8 KiB multiples */
	ck_assert_int_eq(qemu_build_argv(&c, &qa), 0);
	ck_assert_str_eq(find_arg(&qa, "-icount"), "shift=0");
	ck_assert_str_eq(find_arg(&qa, "-m"), "6152k");
}
END_TEST

START_TEST(test_argv_overflow)
{
	static char path[8192];
	struct qemu_config c = { .binary = "qemu", .kernel = path, .ram_size = 1 << 22 };
	struct qemu_argv qa;

	memset(path, 'k', sizeof(path) - 1);
	ck_assert_int_eq(qemu_build_argv(&c, &qa), -1);
}
END_TEST

START_TEST(test_choose)
{
	char why[512];

	ck_assert_ptr_null(accel_choose("hvf", why, sizeof(why)));
	ck_assert_str_eq(why, "");
	setenv("VMM_QEMU", "/nonexistent/qemu", 1);
	ck_assert_ptr_null(accel_choose("tcg", why, sizeof(why)));
	ck_assert_ptr_nonnull(strstr(why, "qemu-system-x86"));
	unsetenv("VMM_QEMU");
}
END_TEST

static Suite *accel_suite(void)
{
	Suite *s = suite_create("accel");
	TCase *tc = tcase_create("qmp");

	tcase_add_test(tc, test_greeting);
	tcase_add_test(tc, test_return_text);
	tcase_add_test(tc, test_error_and_events);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_deep_nesting);
	tcase_add_test(tc, test_registers);
	tcase_add_test(tc, test_registers_missing);
	suite_add_tcase(s, tc);
	tc = tcase_create("qemu");
	tcase_add_test(tc, test_argv);
	tcase_add_test(tc, test_argv_overflow);
	tcase_add_test(tc, test_choose);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(accel_suite)
