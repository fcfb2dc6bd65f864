// SPDX-License-Identifier: MIT
/* The host's side of the process table (procs.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Is name a process that a statement before s creates? */
bool process_defined(const struct scenario *sc, const struct stmt *s, const char *name)
{
	for (const struct stmt *b = sc->stmts; b < s; b++) {
		const struct arg *last = b->nargs ? &b->args[b->nargs - 1] : NULL;

		if (b->kind == STMT_COMMAND && !strcmp(b->name, "clone") && b->nargs >= 3)
			last = &b->args[2];	/* the child, before flags= */
		if (b->kind != STMT_COMMAND || !last || last->kind != ARG_VALUE ||
		    last->value->kind != EXPR_WORD || strcmp(last->value->str, name))
			continue;
		if (!strcmp(b->name, "spawn") || !strcmp(b->name, "fork") ||
		    !strcmp(b->name, "kthread") || !strcmp(b->name, "clone"))
			return true;
	}
	return false;
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
