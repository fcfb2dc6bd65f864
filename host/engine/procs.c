// SPDX-License-Identifier: MIT
/* The host's side of the process table (procs.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "procs.h"

struct proc *proc_find(struct run_ctx *ctx, const char *name)
{
	for (size_t i = ctx->nprocs; i-- > 0;)
		if (!strcmp(ctx->procs[i].name, name))
			return &ctx->procs[i];
	return NULL;
}

struct proc *proc_add(struct run_ctx *ctx, const char *name, int pid)
{
	struct proc *p = realloc(ctx->procs, (ctx->nprocs + 1) * sizeof(*p));

	if (!p)
		return NULL;
	ctx->procs = p;
	p = &p[ctx->nprocs++];
	*p = (struct proc){ .name = strdup(name), .pid = pid, .alive = true };
	return p->name ? p : NULL;
}

struct proc *live_proc(struct run_ctx *ctx, const char *name, char *msg, size_t msglen)
{
	struct proc *p = proc_find(ctx, name);

	if (p && p->alive)
		return p;
	if (!p)
		snprintf(msg, msglen, "process %s does not exist: its creation failed", name);
	else
		snprintf(msg, msglen, "process %s has exited%s", name,
			 p->fault.signo ? " (killed by a signal)" : "");
	return NULL;
}

enum step proc_create(struct run_ctx *ctx, const char *name, uint32_t code,
		      const uint64_t args[6], char *msg, size_t msglen)
{
	struct guest_reply reply;
	enum step st = call_guest(ctx, code, args, name, strlen(name), &reply);

	if (st != STEP_OK)
		return st;
	if (reply.status) {
		snprintf(msg, msglen, "the guest could not create %s: error %lld", name,
			 (long long)reply.status);
		return STEP_FAILED;
	}
	if (!proc_add(ctx, name, (int)reply.val[0])) {
		snprintf(msg, msglen, "out of memory");
		return STEP_FAILED;
	}
	return STEP_OK;
}
