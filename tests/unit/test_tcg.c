// SPDX-License-Identifier: MIT
/*
 * The TCG accelerator's run loop against a scripted QEMU
 * (tests/qemu/fake-qemu.sh): what QEMU reports becomes the right neutral
 * event.  No guest runs here; the scenarios prove the same with a real one.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "vm/accel/accel.h"
#include "check_main.h"

static struct accel a;
static char err[512];

/* A TCG "guest" whose QEMU does what FAKE_QEMU says. */
static void start(const char *mode)
{
	const struct accel_boot b = { .kernel = "guest/vmlinux", .fdt = 0x10000 };

	setenv("VMM_QEMU", "tests/qemu/fake-qemu.sh", 1);
	setenv("FAKE_QEMU", mode, 1);
	a = (struct accel){ .ops = &tcg_accel_ops };
	if (a.ops->create(&a, 4 << 20, err, sizeof(err)) || a.ops->start(&a, &b, err, sizeof(err)))
		ck_abort_msg("fake QEMU did not start: %s", err);
	ck_assert_str_eq(a.description, "tcg (QEMU 7.2)");
}

static void teardown(void)
{
	if (a.ops)
		a.ops->destroy(&a);
}

START_TEST(test_doorbell)
{
	struct vcpu_event ev = { 0 };
	struct cpu_regs r;

	start("doorbell");
	a.ops->run(&a, 5000, &ev);
	ck_assert_int_eq(ev.kind, VCPU_DOORBELL);
	ck_assert_uint_eq(ev.value, 7);
	ck_assert_int_eq(a.ops->get_regs(&a, &r, err, sizeof(err)), 0);
	ck_assert_uint_eq(r.cr3, 0x1000);
	ck_assert_uint_eq(r.rip, 0xffffffff80100000ULL);
}
END_TEST

START_TEST(test_shutdown)
{
	struct vcpu_event ev = { 0 };

	start("shutdown");
	a.ops->run(&a, 5000, &ev);
	ck_assert_int_eq(ev.kind, VCPU_SHUTDOWN);
}
END_TEST

START_TEST(test_halt)
{
	struct vcpu_event ev = { 0 };

	start("halt");
	a.ops->run(&a, 5000, &ev);
	ck_assert_int_eq(ev.kind, VCPU_HALT);
}
END_TEST

START_TEST(test_qemu_exits)
{
	struct vcpu_event ev = { 0 };

	start("exit");
	a.ops->run(&a, 5000, &ev);
	ck_assert_int_eq(ev.kind, VCPU_FAULT);
	ck_assert_msg(strstr(ev.why, "QEMU exited with status 3"), "why: %s", ev.why);
	ck_assert_msg(strstr(ev.why, "fake qemu: giving up"), "why: %s", ev.why);
}
END_TEST

/* Silent but not halted: the watchdog, not a halt. */
START_TEST(test_timeout)
{
	struct vcpu_event ev = { 0 };

	start("doorbell");
	a.ops->run(&a, 5000, &ev);
	a.ops->run(&a, 300, &ev);
	ck_assert_int_eq(ev.kind, VCPU_TIMEOUT);
}
END_TEST

START_TEST(test_too_much_ram)
{
	a = (struct accel){ .ops = &tcg_accel_ops };
	ck_assert_int_eq(a.ops->create(&a, 4ULL << 30, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "at most 3072 MiB"));
}
END_TEST

static Suite *tcg_suite(void)
{
	Suite *s = suite_create("tcg");
	TCase *tc = tcase_create("events");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_doorbell);
	tcase_add_test(tc, test_shutdown);
	tcase_add_test(tc, test_halt);
	tcase_add_test(tc, test_qemu_exits);
	tcase_add_test(tc, test_timeout);
	tcase_add_test(tc, test_too_much_ram);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(tcg_suite)
