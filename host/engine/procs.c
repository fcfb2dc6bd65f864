// SPDX-License-Identifier: MIT
/* The host's side of the process table (procs.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "call.h"
#include "procs.h"
#include "registry.h"

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

/* ---- creating one, from a statement ------------------------------------------ */

int want_word(const struct stmt *s, size_t i, const char *what, struct scenario_error *err)
{
	if (i < s->nargs && s->args[i].kind == ARG_VALUE && s->args[i].value->kind == EXPR_WORD)
		return 0;
	scenario_error_at(err, s, i < s->nargs ? s->args[i].pos : s->name_pos,
			  "expected %s, a name", what);
	return -1;
}

int want_new_process(const struct scope *sc, const struct stmt *s, size_t i,
		     struct scenario_error *err)
{
	if (want_request_fits(s, i, err))
		return -1;
	if (!scope_has_process(sc, s->args[i].value->str))
		return 0;
	scenario_error_at(err, s, s->args[i].pos, "a process named %s exists already",
			  s->args[i].value->str);
	return -1;
}

int parent_child_resolve(const struct scope *sc, const struct stmt *s,
			 struct scenario_error *err)
{
	if (s->nargs != 3 || s->args[1].kind != ARG_ARROW) {
		scenario_error_at(err, s, s->name_pos, "usage: %s", command_find(s->name)->usage);
		return -1;
	}
	if (want_word(s, 0, "the parent", err) || want_word(s, 2, "the new task's name", err))
		return -1;
	if (!scope_has_process(sc, s->args[0].value->str)) {
		scenario_error_at(err, s, s->args[0].pos, "no process %s (spawn it first)",
				  s->args[0].value->str);
		return -1;
	}
	return want_new_process(sc, s, 2, err);
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
