// SPDX-License-Identifier: MIT
/*
 * The host's tables of names for numbers the guest uses: each number
 * maps to Linux's name for it, so `A.signal` reads as Linux would print it.
 * And eval_num(), the one way commands take a number from an argument.
 */

#include "check_main.h"
#include "host/commands.h"
#include "shared/signal.h"

START_TEST(signals_by_linux_name)
{
	ck_assert_str_eq(signal_name(SIGILL, 0), "SIGILL");
	ck_assert_str_eq(signal_name(SIGBUS, 0), "SIGBUS");
	ck_assert_str_eq(signal_name(SIGFPE, 0), "SIGFPE");
	ck_assert_str_eq(signal_name(SIGSEGV, 0), "SIGSEGV");
	ck_assert_int_eq(SIGILL, 4);
	ck_assert_int_eq(SIGBUS, 7);
	ck_assert_int_eq(SIGFPE, 8);
	ck_assert_int_eq(SIGSEGV, 11);
}
END_TEST

START_TEST(si_codes_by_signal)
{
	ck_assert_str_eq(signal_name(SIGSEGV, SEGV_MAPERR), "SEGV_MAPERR");
	ck_assert_str_eq(signal_name(SIGSEGV, SEGV_ACCERR), "SEGV_ACCERR");
	ck_assert_str_eq(signal_name(SIGBUS, BUS_ADRERR), "BUS_ADRERR");
	/* The same number is another code, or none, under another signal. */
	ck_assert_ptr_null(signal_name(SIGILL, ILL_ILLOPN));
	ck_assert_ptr_null(signal_name(SIGFPE, FPE_INTDIV));
	ck_assert_ptr_null(signal_name(SIGSEGV, SI_KERNEL));
	ck_assert_int_eq(SEGV_MAPERR, 1);
	ck_assert_int_eq(SEGV_ACCERR, 2);
	ck_assert_int_eq(BUS_ADRERR, 2);
}
END_TEST

START_TEST(unknown_signal_unnamed)
{
	ck_assert_ptr_null(signal_name(0, 0));
	ck_assert_ptr_null(signal_name(9, 0));
	ck_assert_ptr_null(signal_name(-1, SEGV_MAPERR));
}
END_TEST

/* Literals need no run: eval() reads nothing of ctx for them. */
START_TEST(eval_num_takes_numbers)
{
	struct expr e = { .kind = EXPR_NUMBER, .number = 0x1000 };
	char msg[64] = "";
	uint64_t n = 0;

	ck_assert_int_eq(eval_num(NULL, &e, NULL, 7, &n, msg, sizeof(msg)), STEP_OK);
	ck_assert_uint_eq(n, 0x1000);
	ck_assert_int_eq(eval_num(NULL, NULL, "order", 7, &n, msg, sizeof(msg)), STEP_OK);
	ck_assert_uint_eq(n, 7);
	ck_assert_str_eq(msg, "");
}
END_TEST

START_TEST(eval_num_refuses_text)
{
	struct expr e = { .kind = EXPR_STRING, .str = "x" };
	char msg[64];
	uint64_t n;

	ck_assert_int_eq(eval_num(NULL, &e, NULL, 0, &n, msg, sizeof(msg)), STEP_FAILED);
	ck_assert_str_eq(msg, "expected a number");
	ck_assert_int_eq(eval_num(NULL, &e, "order", 0, &n, msg, sizeof(msg)), STEP_FAILED);
	ck_assert_str_eq(msg, "order= takes a number");
}
END_TEST

static Suite *tables_suite(void)
{
	Suite *s = suite_create("tables");
	TCase *tc = tcase_create("names");

	tcase_add_test(tc, signals_by_linux_name);
	tcase_add_test(tc, si_codes_by_signal);
	tcase_add_test(tc, unknown_signal_unnamed);
	suite_add_tcase(s, tc);
	tc = tcase_create("eval_num");
	tcase_add_test(tc, eval_num_takes_numbers);
	tcase_add_test(tc, eval_num_refuses_text);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN_NOFORK(tables_suite)
