// SPDX-License-Identifier: MIT
/*
 * Tasks that are not plain processes, in scenarios:
 *   clone A -> T       clone(CLONE_VM): a thread of A, the same mm (A.users
 *                      2), the same tables
 *   kthread K          a kernel thread with no mm, run at once: it borrows
 *                      the mm of the task that ran last (K.active_mm)
 *   kthread_stop K     it ends and lets go of what it borrowed
 * They are then named like processes (T.active_mm, K.pid, K.alive); a
 * kernel thread has no user program, so `K: touch` and the system calls
 * are refused.
 */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "call.h"
#include "procs.h"
#include "registry.h"
#include "lib/kernel.h"
#include "shared/unistd.h"

static int name_arg(const struct stmt *s, struct scenario_error *err)
{
	if (want_args(s, 1, 1, err))
		return -1;
	if (s->args[0].kind != ARG_VALUE || s->args[0].value->kind != EXPR_WORD) {
		scenario_error_at(err, s, s->args[0].pos, "expected the kernel thread's name");
		return -1;
	}
	return 0;
}

static int kthread_resolve(const struct scope *sc, const struct stmt *s,
			   struct scenario_error *err)
{
	return name_arg(s, err) ?: want_new_process(sc, s, 0, err);
}

static enum step kthread_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			     char *msg, size_t msglen)
{
	(void)result;
	return proc_create(ctx, s->args[0].value->str, VMM_REQ_KTHREAD, NULL, msg, msglen);
}

static int kthread_stop_resolve(const struct scope *sc, const struct stmt *s,
				struct scenario_error *err)
{
	if (name_arg(s, err))
		return -1;
	if (!scope_has_process(sc, s->args[0].value->str)) {
		scenario_error_at(err, s, s->args[0].pos, "no kernel thread %s (kthread it first)",
				  s->args[0].value->str);
		return -1;
	}
	return 0;
}

static enum step kthread_stop_run(struct run_ctx *ctx, const struct stmt *s,
				  struct value *result, char *msg, size_t msglen)
{
	struct proc *k = live_proc(ctx, s->args[0].value->str, msg, msglen);
	struct guest_reply reply;
	enum step st;

	(void)result;
	if (!k)
		return STEP_FAILED;
	st = call_guest(ctx, VMM_REQ_KTHREAD_STOP, (uint64_t[6]){ k->pid }, NULL, 0, &reply);
	if (st != STEP_OK)
		return st;
	if (reply.status) {
		snprintf(msg, msglen, "%s is not a kernel thread: error %lld", k->name,
			 (long long)reply.status);
		return STEP_FAILED;
	}
	k->alive = false;
	return STEP_OK;
}

/* clone(CLONE_VM): the fork request with the flag, a thread sharing the parent's mm. */
static enum step clone_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			   char *msg, size_t msglen)
{
	struct proc *parent = live_proc(ctx, s->args[0].value->str, msg, msglen);

	(void)result;
	if (!parent)
		return STEP_FAILED;
	return proc_create(ctx, s->args[2].value->str, VMM_REQ_FORK,
			   (uint64_t[6]){ (uint64_t)parent->pid, CLONE_VM }, msg, msglen);
}

static const struct command task_commands[] = {
	{ .name = "clone", .usage = "clone PARENT -> THREAD", .resolve = parent_child_resolve,
	  .run = clone_run, .defines_process = true },
	{ .name = "kthread", .usage = "kthread NAME", .resolve = kthread_resolve,
	  .run = kthread_run, .defines_process = true },
	{ .name = "kthread_stop", .usage = "kthread_stop NAME", .resolve = kthread_stop_resolve,
	  .run = kthread_stop_run },
};
COMMANDS(task_commands);
