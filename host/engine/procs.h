/* SPDX-License-Identifier: MIT */
/* The host's side of the process table: the processes a scenario names. */
#ifndef HOST_ENGINE_PROCS_H
#define HOST_ENGINE_PROCS_H

#include <stdbool.h>

#include "run.h"
#include "scope.h"

struct proc *proc_find(struct run_ctx *ctx, const char *name);
/* A new live process; NULL when out of memory. */
struct proc *proc_add(struct run_ctx *ctx, const char *name, int pid);
/* The process, alive; else NULL with why in msg (exited, or never created). */
struct proc *live_proc(struct run_ctx *ctx, const char *name, char *msg, size_t msglen);

/* Resolve helpers: argument i is a bare word; a name no process has yet. */
int want_word(const struct stmt *s, size_t i, const char *what, struct scenario_error *err);
int want_new_process(const struct scope *sc, const struct stmt *s, size_t i,
		     struct scenario_error *err);
/* `CMD PARENT -> NEW`: fork and clone. */
int parent_child_resolve(const struct scope *sc, const struct stmt *s,
			 struct scenario_error *err);
/*
 * Ask the guest (code, args, the name as data) for a new task and record it
 * under name; the guest's reply carries its pid.
 */
enum step proc_create(struct run_ctx *ctx, const char *name, uint32_t code,
		      const uint64_t args[6], char *msg, size_t msglen);

#endif
