// SPDX-License-Identifier: MIT
/*
 * The host's tables of names for numbers the guest uses: each number
 * maps to Linux's name for it, so `A.signal` reads as Linux would print it.
 * The usage of plant and provoke and the process fields, made from their
 * tables.  And
 * eval_num(), the one way commands take a number from an argument.
 */

#include <string.h>

#include "check_main.h"
#include "engine/eval.h"
#include "engine/registry.h"
#include "engine/signal_name.h"
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

START_TEST(usage_lists_every_row)
{
	ck_assert_str_eq(command_find("provoke")->usage,
			 "provoke panic [\"TEXT\"] | hang | fault [ADDR] | triple-fault | "
			 "bad-message | halt");
	ck_assert_str_eq(command_find("plant")->usage,
			 "[P:] plant user-page|free-user-page|kernel-user|kernel-writable|"
			 "bad-frame|loop|unmap|writable|kernel-diff|mapcount|refcount|"
			 "free-slab-page|free-vmalloc-page|rss|file-pte|pfnmap-pte|"
			 "free-cache-page|rss-file|pfnmap-ref ADDR");
}
END_TEST

/* The 'P:' error names exactly the commands the table marks in_process. */
START_TEST(process_commands_from_flags)
{
	char names[256];

	command_names(names, sizeof(names), true);
	ck_assert_str_eq(names, "plant, open, close, read, write, ftruncate, lseek, unlink, fstat, "
			 "msync, fail_nth, make_it_fail, mremap, madvise, mlock, munlock, mlockall, "
			 "munlockall, exit, touch, mmap, munmap, mprotect, brk");
	for (char *name = strtok(names, ", "); name; name = strtok(NULL, ", "))
		ck_assert(command_find(name)->in_process);
	ck_assert(!command_find("spawn")->in_process);
}
END_TEST

/* The names resolve accepts and lists in its error, in their order. */
START_TEST(process_fields_listed)
{
	static const char *const want[] = {
		"maps", "smaps", "rss", "rss_anon", "rss_shmem", "vma_count", "total_vm",
		"locked_vm", "brk", "start_brk", "start_stack", "mmap_base", "pid", "alive",
		"signal", "fault_addr", "users", "rss_file", "mm_count", "data_vm", "exec_vm",
		"stack_vm", "hiwater_rss", "pgtables_bytes", "active_mm", NULL,
	};
	size_t i;

	for (i = 0; want[i]; i++)
		ck_assert_str_eq(process_subject()->fields[i], want[i]);
	ck_assert_ptr_null(process_subject()->fields[i]);
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
	tcase_add_test(tc, usage_lists_every_row);
	tcase_add_test(tc, process_fields_listed);
	tcase_add_test(tc, process_commands_from_flags);
	suite_add_tcase(s, tc);
	tc = tcase_create("eval_num");
	tcase_add_test(tc, eval_num_takes_numbers);
	tcase_add_test(tc, eval_num_refuses_text);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN_NOFORK(tables_suite)
