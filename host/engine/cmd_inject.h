/* SPDX-License-Identifier: MIT */
/* Fault injection's commands and subject, and what the sweep and --inject use of them. */
#ifndef HOST_ENGINE_CMD_INJECT_H
#define HOST_ENGINE_CMD_INJECT_H

#include "engine/inject_plan.h"
#include "run.h"

extern const char *const fault_fields[];
int inject_resolve(const struct scenario *sc, const struct stmt *s, struct scenario_error *err);
int task_fail_resolve(const struct scenario *sc, const struct stmt *s,
		      struct scenario_error *err);
enum step inject_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
		     char *msg, size_t msglen);
enum step fail_nth_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
		       char *msg, size_t msglen);
enum step make_it_fail_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			   char *msg, size_t msglen);
enum step subject_fault(struct run_ctx *ctx, const struct expr *arg, struct value *out,
			char *msg, size_t msglen);

/* Arms an attribute with a plan (--inject, the sweep). */
enum step inject_apply(struct run_ctx *ctx, const struct inject_plan *p, char *msg, size_t msglen);
/* An attribute's counters, checked. */
enum step inject_stats(struct run_ctx *ctx, unsigned int attr, struct vmm_fault_stats *st,
		       char *msg, size_t msglen);
/* The last injected failure's call chain, a symbol per line; its length. */
size_t inject_site(struct run_ctx *ctx, const struct vmm_fault_stats *st, char *buf, size_t size);

#endif
