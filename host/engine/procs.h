/* SPDX-License-Identifier: MIT */
/* The host's side of the process table: the processes a scenario names. */
#ifndef HOST_ENGINE_PROCS_H
#define HOST_ENGINE_PROCS_H

#include <stdbool.h>

#include "run.h"

struct proc *proc_find(struct run_ctx *ctx, const char *name);
/* A new live process; NULL when out of memory. */
struct proc *proc_add(struct run_ctx *ctx, const char *name, int pid);
/* The process, alive; else NULL with why in msg (exited, or never created). */
struct proc *live_proc(struct run_ctx *ctx, const char *name, char *msg, size_t msglen);

/*
 * Ask the guest (code, args, the name as data) for a new task and record it
 * under name; the guest's reply carries its pid.
 */
enum step proc_create(struct run_ctx *ctx, const char *name, uint32_t code,
		      const uint64_t args[6], char *msg, size_t msglen);

#endif
