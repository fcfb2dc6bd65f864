/* SPDX-License-Identifier: MIT */
/* System calls made by a process's user program, for the commands of every file. */
#ifndef HOST_ENGINE_SYSCALL_H
#define HOST_ENGINE_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

#include "run.h"

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

#endif
