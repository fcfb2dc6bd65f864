// SPDX-License-Identifier: MIT
/*
 * Processes in scenarios:
 *   spawn A                      fork A -> B                A: exit
 *   A: touch ADDR read|write|exec [value=BYTE]
 *   A: m = mmap LEN [addr=] [prot=] [flags=]   A: munmap ADDR LEN
 *   A: mprotect ADDR LEN PROT    A: old = brk +64K
 * Every access and system call runs in the process's user program in
 * ring 3 (guest/user/agent.S), so faults are real user-mode faults.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "call.h"
#include "eval.h"
#include "procs.h"
#include "registry.h"
#include "signal_name.h"
#include "syscall.h"
#include "lib/kernel.h"
#include "check/pagewalk.h"
#include "vm/reply.h"
#include "shared/agent.h"
#include "shared/mman.h"
#include "shared/pte.h"
#include "shared/signal.h"
#include "shared/unistd.h"

static const struct flag_name prot_flags[] = {
	{ "PROT_NONE", PROT_NONE }, { "PROT_READ", PROT_READ }, { "PROT_WRITE", PROT_WRITE },
	{ "PROT_EXEC", PROT_EXEC }, { "PROT_GROWSDOWN", PROT_GROWSDOWN }, { NULL, 0 },
};

static const struct flag_name map_flags[] = {
	{ "MAP_SHARED", MAP_SHARED }, { "MAP_PRIVATE", MAP_PRIVATE }, { "MAP_FIXED", MAP_FIXED },
	{ "MAP_ANONYMOUS", MAP_ANONYMOUS }, { "MAP_GROWSDOWN", MAP_GROWSDOWN },
	{ "MAP_LOCKED", MAP_LOCKED }, { "MAP_NORESERVE", MAP_NORESERVE },
	{ "MAP_POPULATE", MAP_POPULATE }, { "MAP_FIXED_NOREPLACE", MAP_FIXED_NOREPLACE },
	{ "MAP_STACK", MAP_STACK }, { NULL, 0 },
};

static const char *const errno_names[] = {
	[1] = "EPERM", [2] = "ENOENT", [4] = "EINTR", [5] = "EIO", [6] = "ENXIO", [7] = "E2BIG",
	[9] = "EBADF", [11] = "EAGAIN", [12] = "ENOMEM", [13] = "EACCES", [14] = "EFAULT",
	[16] = "EBUSY", [17] = "EEXIST", [19] = "ENODEV", [21] = "EISDIR", [22] = "EINVAL",
	[24] = "EMFILE", [27] = "EFBIG", [28] = "ENOSPC", [29] = "ESPIPE", [36] = "ENAMETOOLONG",
	[38] = "ENOSYS", [75] = "EOVERFLOW",
};

static int spawn_resolve(const struct scope *sc, const struct stmt *s, struct scenario_error *err)
{
	return want_args(s, 1, 1, err) ?: want_word(s, 0, "the new process's name", err) ?:
	       want_new_process(sc, s, 0, err);
}

static enum step spawn_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			   char *msg, size_t msglen)
{
	(void)result;
	return proc_create(ctx, s->args[0].value->str, VMM_REQ_SPAWN, (uint64_t[6]){ 0 }, msg, msglen);
}

static enum step fork_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			  char *msg, size_t msglen)
{
	struct proc *parent = live_proc(ctx, s->args[0].value->str, msg, msglen);

	(void)result;
	if (!parent)
		return STEP_FAILED;
	return proc_create(ctx, s->args[2].value->str, VMM_REQ_FORK, (uint64_t[6]){ parent->pid },
			   msg, msglen);
}

/* ---- running the user program ---------------------------------------------- */

/*
 * One trip to user mode; a process killed on the way is a result, not a
 * failure.  With a buffer (buf->len > 0), the guest puts its bytes on the
 * user stack, points argument buf->arg at them, and hands them back as
 * the call left them.
 */
static enum step run_agent_buf(struct run_ctx *ctx, const struct stmt *s, uint64_t op,
			       uint64_t target, uint64_t value, const uint64_t args[6],
			       struct syscall_buf *buf, uint64_t *ret, char *msg, size_t msglen)
{
	struct proc *p = live_proc(ctx, s->process, msg, msglen);
	uint8_t data[VMM_REQ_DATA_SIZE];
	size_t len = buf ? buf->len : 0;
	struct guest_reply reply;
	char why[160];
	enum step st;

	if (!p)
		return STEP_FAILED;
	if (len > VMM_RUN_BUF_MAX) {
		snprintf(msg, msglen, "%zu bytes for the call: at most %zu fit a request", len,
			 (size_t)VMM_RUN_BUF_MAX);
		return STEP_FAILED;
	}
	memcpy(data, args, 6 * sizeof(uint64_t));
	if (len)
		memcpy(data + 6 * sizeof(uint64_t), buf->data, len);
	st = call_guest(ctx, VMM_REQ_RUN,
			(uint64_t[6]){ p->pid, op, target, value, len ? buf->arg : 0 },
			data, (uint32_t)(6 * sizeof(uint64_t) + len), &reply);
	if (st != STEP_OK)
		return st;
	if (reply.status) {
		snprintf(msg, msglen, "the guest could not run %s: error %lld", p->name,
			 (long long)reply.status);
		return STEP_FAILED;
	}
	if (len ? reply_fault_buf(&reply, &p->fault, buf->data, len, why, sizeof(why)) :
		  reply_fault(&reply, &p->fault, why, sizeof(why)))
		return guest_lied(ctx, VMM_REQ_RUN, why);
	if (p->fault.signo || (op == AGENT_SYSCALL && target == __NR_exit))
		p->alive = false;
	*ret = reply.val[0];
	return STEP_OK;
}

static enum step run_agent(struct run_ctx *ctx, const struct stmt *s, uint64_t op,
			   uint64_t target, uint64_t value, const uint64_t args[6],
			   uint64_t *ret, char *msg, size_t msglen)
{
	return run_agent_buf(ctx, s, op, target, value, args, NULL, ret, msg, msglen);
}

static enum step exit_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			  char *msg, size_t msglen)
{
	uint64_t ret;

	(void)result;
	return run_agent(ctx, s, AGENT_SYSCALL, __NR_exit, 0, (uint64_t[6]){ 0 }, &ret, msg,
			 msglen);
}

static const char *const touch_fields[] = { "signal", NULL };

static const struct flag_name access_kinds[] = {
	{ "read", AGENT_READ }, { "write", AGENT_WRITE }, { "exec", AGENT_EXEC }, { NULL, 0 },
};

static int touch_resolve(const struct scope *sc, const struct stmt *s, struct scenario_error *err)
{
	static const char *const keys[] = { "value", NULL };

	if (s->nargs < 2 || want_value(sc, s, 0, err))
		return s->nargs < 2 ? want_args(s, 2, 3, err) : -1;
	if (want_word(s, 1, "read, write or exec", err) ||
	    flags_resolve(s, s->args[1].value, access_kinds, err) || want_keys(s, 2, keys, err))
		return -1;
	return keyed_arg(s, "value") ? expr_resolve(sc, s, keyed_arg(s, "value")->value, false, err) : 0;
}

static enum step touch_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			   char *msg, size_t msglen)
{
	const struct arg *byte = keyed_arg(s, "value");
	uint64_t addr, value = 0xa5, ret, op = flags_eval(s->args[1].value, access_kinds);
	enum step st = eval_num(ctx, s->args[0].value, NULL, 0, &addr, msg, msglen);
	char sig[48];

	if (st == STEP_OK && byte)
		st = eval_num(ctx, byte->value, NULL, 0, &value, msg, msglen);
	if (st == STEP_OK)
		st = run_agent(ctx, s, op, addr, value, (uint64_t[6]){ 0 }, &ret, msg, msglen);
	if (st != STEP_OK)
		return st;
	*result = value_num(ret);
	signal_text(&proc_find(ctx, s->process)->fault, sig, sizeof(sig));
	if (value_add_field(result, "signal", value_text(sig, strlen(sig)))) {
		snprintf(msg, msglen, "out of memory");
		return STEP_FAILED;
	}
	return STEP_OK;
}

/* ---- system calls ---------------------------------------------------------- */

const char *const syscall_fields[] = { "errno", NULL };

/* A system call's raw result, with its errno by name (or "none"). */
enum step syscall_result(struct value *result, uint64_t ret, char *msg, size_t msglen)
{
	int64_t r = (int64_t)ret;
	const char *name = "none";
	char buf[16];

	if (r < 0 && r >= -4095) {
		name = -r < (int64_t)ARRAY_SIZE(errno_names) && errno_names[-r] ?
		       errno_names[-r] : (snprintf(buf, sizeof(buf), "E%lld", (long long)-r), buf);
	}
	*result = value_num(ret);
	if (value_add_field(result, "errno", value_text(name, strlen(name)))) {
		snprintf(msg, msglen, "out of memory");
		return STEP_FAILED;
	}
	return STEP_OK;
}

enum step process_syscall(struct run_ctx *ctx, const struct stmt *s, uint64_t nr,
			  const uint64_t args[6], struct syscall_buf *buf, struct value *result,
			  char *msg, size_t msglen)
{
	uint64_t ret;
	enum step st = run_agent_buf(ctx, s, AGENT_SYSCALL, nr, 0, args, buf, &ret, msg, msglen);

	if (st != STEP_OK)
		return st;
	if (proc_find(ctx, s->process)->fault.signo) {
		snprintf(msg, msglen, "%s was killed during the system call", s->process);
		return STEP_FAILED;
	}
	return syscall_result(result, ret, msg, msglen);
}

enum step do_syscall(struct run_ctx *ctx, const struct stmt *s, uint64_t nr, const uint64_t args[6],
		     struct value *result, char *msg, size_t msglen)
{
	return process_syscall(ctx, s, nr, args, NULL, result, msg, msglen);
}

enum step eval_positional(struct run_ctx *ctx, const struct stmt *s, size_t n, uint64_t *out,
			  char *msg, size_t msglen)
{
	enum step st = STEP_OK;

	for (size_t i = 0; i < n && st == STEP_OK; i++)
		st = eval_num(ctx, s->args[i].value, NULL, 0, &out[i], msg, msglen);
	return st;
}

static int mmap_resolve(const struct scope *sc, const struct stmt *s, struct scenario_error *err)
{
	static const char *const keys[] = { "addr", "prot", "flags", "fd", "offset", NULL };
	const struct arg *prot = keyed_arg(s, "prot"), *flags = keyed_arg(s, "flags");
	const struct arg *addr = keyed_arg(s, "addr"), *fd = keyed_arg(s, "fd");
	const struct arg *off = keyed_arg(s, "offset");

	if (!s->nargs)
		return want_args(s, 1, 6, err);
	return want_value(sc, s, 0, err) ?: want_keys(s, 1, keys, err) ?:
	       (prot ? flags_resolve(s, prot->value, prot_flags, err) : 0) ?:
	       (flags ? flags_resolve(s, flags->value, map_flags, err) : 0) ?:
	       (addr ? expr_resolve(sc, s, addr->value, false, err) : 0) ?:
	       (fd ? expr_resolve(sc, s, fd->value, false, err) : 0) ?:
	       (off ? expr_resolve(sc, s, off->value, false, err) : 0);
}

static enum step mmap_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			  char *msg, size_t msglen)
{
	const struct arg *prot = keyed_arg(s, "prot"), *flags = keyed_arg(s, "flags");
	const struct arg *addr = keyed_arg(s, "addr"), *fd = keyed_arg(s, "fd");
	const struct arg *off = keyed_arg(s, "offset");
	/* With fd= the default is a private mapping of the file. */
	uint64_t args[6] = { 0, 0, PROT_READ | PROT_WRITE,
			     fd ? MAP_PRIVATE : MAP_PRIVATE | MAP_ANONYMOUS, -1ULL, 0 };
	enum step st = eval_num(ctx, s->args[0].value, NULL, 0, &args[1], msg, msglen);

	if (st == STEP_OK && addr)
		st = eval_num(ctx, addr->value, NULL, 0, &args[0], msg, msglen);
	if (st == STEP_OK && fd)
		st = eval_num(ctx, fd->value, NULL, 0, &args[4], msg, msglen);
	if (st == STEP_OK && off)
		st = eval_num(ctx, off->value, NULL, 0, &args[5], msg, msglen);
	if (prot)
		args[2] = flags_eval(prot->value, prot_flags);
	if (flags)
		args[3] = flags_eval(flags->value, map_flags);
	return st == STEP_OK ? do_syscall(ctx, s, __NR_mmap, args, result, msg, msglen) : st;
}

int plain_syscall_resolve(const struct scope *sc, const struct stmt *s,
			  struct scenario_error *err)
{
	const struct syscall_shape *sh = command_find(s->name)->priv;
	size_t n = sh->nums + (sh->flags != NULL);

	if (want_args(s, n, n, err))
		return -1;
	for (size_t i = 0; i < sh->nums; i++)
		if (want_value(sc, s, i, err))
			return -1;
	return sh->flags ? flags_resolve(s, s->args[sh->nums].value, sh->flags, err) : 0;
}

enum step plain_syscall_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			    char *msg, size_t msglen)
{
	const struct syscall_shape *sh = command_find(s->name)->priv;
	uint64_t args[6] = { 0 };
	enum step st = eval_positional(ctx, s, sh->nums, args, msg, msglen);

	if (sh->flags)
		args[sh->nums] = flags_eval(s->args[sh->nums].value, sh->flags);
	return st == STEP_OK ? do_syscall(ctx, s, sh->nr, args, result, msg, msglen) : st;
}

int numbers_resolve(const struct scope *sc, const struct stmt *s, size_t n,
		    struct scenario_error *err)
{
	if (want_args(s, n, n, err))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (want_value(sc, s, i, err))
			return -1;
	return 0;
}

static int brk_resolve(const struct scope *sc, const struct stmt *s, struct scenario_error *err)
{
	return want_args(s, 0, 1, err) ?: (s->nargs ? want_value(sc, s, 0, err) : 0);
}

/*
 * brk           the current break (brk(0))
 * brk ADDR      brk(ADDR): the new break, or the old one if refused
 * brk +DELTA    grows by DELTA: the old break, as sbrk() returns it
 */
static enum step brk_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			 char *msg, size_t msglen)
{
	const struct expr *e = s->nargs ? s->args[0].value : NULL;
	bool relative = e && e->kind == EXPR_UNARY;
	uint64_t arg, args[6] = { 0 };
	struct value cur = { 0 };
	enum step st = eval_num(ctx, e, NULL, 0, &arg, msg, msglen);

	if (st == STEP_OK && relative)
		st = do_syscall(ctx, s, __NR_brk, args, &cur, msg, msglen);
	if (st != STEP_OK)
		return st;
	args[0] = relative ? cur.num + arg : arg;
	st = do_syscall(ctx, s, __NR_brk, args, result, msg, msglen);
	if (st == STEP_OK && relative) {
		if (result->num != args[0]) {
			snprintf(msg, msglen, "brk refused to move the break to %#llx",
				 (unsigned long long)args[0]);
			st = STEP_FAILED;
		}
		result->num = cur.num;
	}
	value_free(&cur);
	return st;
}


static const struct command process_commands[] = {
	COMMAND("spawn", "spawn NAME", NULL, spawn_resolve, spawn_run, .defines_process = true),
	COMMAND("fork", "fork PARENT -> CHILD", NULL, parent_child_resolve, fork_run,
		.defines_process = true),
	COMMAND("exit", "P: exit", NULL, NULL, exit_run, .in_process = true),
	COMMAND("touch", "P: touch ADDR read|write|exec [value=BYTE]", touch_fields,
		touch_resolve, touch_run, .in_process = true),
	COMMAND("mmap", "P: mmap LENGTH [addr=ADDR] [prot=PROT_...] [flags=MAP_...] [fd=FD] "
		"[offset=OFF]",
		syscall_fields, mmap_resolve, mmap_run, .in_process = true),
	SYSCALL_COMMAND("munmap", "P: munmap ADDR LENGTH", __NR_munmap, 2, NULL),
	SYSCALL_COMMAND("mprotect", "P: mprotect ADDR LENGTH PROT_...", __NR_mprotect, 2,
			prot_flags),
	COMMAND("brk", "P: brk [ADDR | +DELTA | -DELTA]", syscall_fields, brk_resolve, brk_run,
		.in_process = true),
};
COMMANDS(process_commands);
