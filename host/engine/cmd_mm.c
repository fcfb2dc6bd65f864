// SPDX-License-Identifier: MIT
/*
 * Address-space system calls beyond mmap, munmap, mprotect and brk:
 *   A: n = mremap ADDR OLD_LEN NEW_LEN [flags=MREMAP_MAYMOVE|MREMAP_FIXED] [new_addr=ADDR]
 *   A: madvise ADDR LEN MADV_...       A: mlock ADDR LEN      A: munlock ADDR LEN
 *   A: mlockall MCL_CURRENT|MCL_FUTURE A: munlockall
 * Each runs in the process's user program (cmd_process.c's runner) and
 * gives the raw result with its errno by name.
 */
#include <stdio.h>

#include "args.h"
#include "eval.h"
#include "registry.h"
#include "syscall.h"
#include "lib/kernel.h"
#include "shared/mman.h"
#include "shared/unistd.h"

static const struct flag_name mremap_flags[] = {
	{ "MREMAP_MAYMOVE", MREMAP_MAYMOVE }, { "MREMAP_FIXED", MREMAP_FIXED },
	{ "MREMAP_DONTUNMAP", MREMAP_DONTUNMAP }, { NULL, 0 },
};

static int mremap_resolve(const struct scope *sc, const struct stmt *s,
			  struct scenario_error *err)
{
	static const char *const keys[] = { "flags", "new_addr", NULL };
	const struct arg *flags = keyed_arg(s, "flags"), *to = keyed_arg(s, "new_addr");

	if (s->nargs < 3)
		return want_args(s, 3, 5, err);
	for (size_t i = 0; i < 3; i++)
		if (want_value(sc, s, i, err))
			return -1;
	return want_keys(s, 3, keys, err) ?:
	       (flags ? flags_resolve(s, flags->value, mremap_flags, err) : 0) ?:
	       (to ? expr_resolve(sc, s, to->value, false, err) : 0);
}

static enum step mremap_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			    char *msg, size_t msglen)
{
	const struct arg *flags = keyed_arg(s, "flags"), *to = keyed_arg(s, "new_addr");
	uint64_t args[6] = { 0 };
	enum step st = eval_positional(ctx, s, 3, args, msg, msglen);

	if (flags)
		args[3] = flags_eval(flags->value, mremap_flags);
	if (st == STEP_OK && to)
		st = eval_num(ctx, to->value, NULL, 0, &args[4], msg, msglen);
	return st == STEP_OK ? do_syscall(ctx, s, __NR_mremap, args, result, msg, msglen) : st;
}

/* madvise's advice is one value, not flags: a name or a number. */
static const struct flag_name madvise_advice[] = {
	{ "MADV_NORMAL", MADV_NORMAL }, { "MADV_RANDOM", MADV_RANDOM },
	{ "MADV_SEQUENTIAL", MADV_SEQUENTIAL }, { "MADV_WILLNEED", MADV_WILLNEED },
	{ "MADV_DONTNEED", MADV_DONTNEED }, { "MADV_DONTFORK", MADV_DONTFORK },
	{ "MADV_DOFORK", MADV_DOFORK }, { NULL, 0 },
};

static const struct flag_name mlockall_flags[] = {
	{ "MCL_CURRENT", MCL_CURRENT }, { "MCL_FUTURE", MCL_FUTURE },
	{ "MCL_ONFAULT", MCL_ONFAULT }, { NULL, 0 },
};

static const struct command mm_commands[] = {
	{ .name = "mremap",
	  .usage = "P: mremap ADDR OLD_LENGTH NEW_LENGTH [flags=MREMAP_...] [new_addr=ADDR]",
	  .fields = syscall_fields, .resolve = mremap_resolve, .run = mremap_run,
	  .in_process = true },
	SYSCALL_COMMAND("madvise", "P: madvise ADDR LENGTH MADV_...", __NR_madvise, 2,
			madvise_advice),
	SYSCALL_COMMAND("mlock", "P: mlock ADDR LENGTH", __NR_mlock, 2, NULL),
	SYSCALL_COMMAND("munlock", "P: munlock ADDR LENGTH", __NR_munlock, 2, NULL),
	SYSCALL_COMMAND("mlockall", "P: mlockall MCL_...", __NR_mlockall, 0, mlockall_flags),
	SYSCALL_COMMAND("munlockall", "P: munlockall", __NR_munlockall, 0, NULL),
};
COMMANDS(mm_commands);
