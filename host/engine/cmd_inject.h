/* SPDX-License-Identifier: MIT */
/* What --inject and the sweep use of fault injection's commands (cmd_inject.c). */
#ifndef HOST_ENGINE_CMD_INJECT_H
#define HOST_ENGINE_CMD_INJECT_H

#include "inject_plan.h"
#include "run.h"

/* Arms an attribute with a plan (--inject, the sweep). */
enum step inject_apply(struct run_ctx *ctx, const struct inject_plan *p, char *msg, size_t msglen);
/* An attribute's counters, checked. */
enum step inject_stats(struct run_ctx *ctx, unsigned int attr, struct vmm_fault_stats *st,
		       char *msg, size_t msglen);
/* The last injected failure's call chain, a symbol per line; its length. */
size_t inject_site(struct run_ctx *ctx, const struct vmm_fault_stats *st, char *buf, size_t size);

#endif
