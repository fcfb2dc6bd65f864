/* SPDX-License-Identifier: MIT */
/*
 * System calls made by a process's user program, for the commands of every
 * file (cmd_process.c has the runner).
 */
#ifndef HOST_ENGINE_SYSCALL_H
#define HOST_ENGINE_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

#include "args.h"
#include "run.h"
#include "scope.h"

/* Bytes a call points at (a path, a struct stat): in, and back out as the call left them. */
struct syscall_buf {
	void *data;
	size_t len;
	unsigned arg;		/* which of the 6 arguments gets their user address */
};

/*
 * System call nr with args in the process of s (its `P:` prefix): the
 * result is the raw return value with field errno (`EBADF`, or `none`).
 * A process killed during the call fails the step.
 */
enum step process_syscall(struct run_ctx *ctx, const struct stmt *s, uint64_t nr,
			  const uint64_t args[6], struct syscall_buf *buf, struct value *result,
			  char *msg, size_t msglen);

/* The fields of a system call's result: its errno by name, or "none". */
extern const char *const syscall_fields[];

/* A raw result, 0 or -errno, as a value with its errno by name. */
enum step syscall_result(struct value *result, uint64_t ret, char *msg, size_t msglen);
/* process_syscall() without a buffer. */
enum step do_syscall(struct run_ctx *ctx, const struct stmt *s, uint64_t nr, const uint64_t args[6],
		     struct value *result, char *msg, size_t msglen);
/* The first n positional arguments, as numbers. */
enum step eval_positional(struct run_ctx *ctx, const struct stmt *s, size_t n, uint64_t *out,
			  char *msg, size_t msglen);
/* Exactly n positional arguments, each a value. */
int numbers_resolve(const struct scope *sc, const struct stmt *s, size_t n,
		    struct scenario_error *err);

/*
 * A system call whose arguments are numbers and then, for some, one set of
 * flags: munmap, mprotect, madvise, mlock, close, read, ftruncate...  Its
 * command row is SYSCALL_COMMAND(); one resolve and one run serve them all.
 */
struct syscall_shape {
	uint64_t nr;
	unsigned nums;				/* positional numbers */
	const struct flag_name *flags;		/* then one flags argument, or NULL */
};

int plain_syscall_resolve(const struct scope *sc, const struct stmt *s,
			  struct scenario_error *err);
enum step plain_syscall_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			    char *msg, size_t msglen);

#define SYSCALL_COMMAND(n, u, nr_, nums_, flags_)				\
	COMMAND(n, u, syscall_fields, plain_syscall_resolve, plain_syscall_run,	\
		.in_process = true,						\
		.priv = &(const struct syscall_shape){ nr_, nums_, flags_ })

#endif
