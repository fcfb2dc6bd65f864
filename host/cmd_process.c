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

#include "commands.h"
#include "kernel.h"
#include "pagewalk.h"
#include "reply.h"
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
	[1] = "EPERM", [2] = "ENOENT", [4] = "EINTR", [5] = "EIO", [7] = "E2BIG",
	[9] = "EBADF", [11] = "EAGAIN", [12] = "ENOMEM", [13] = "EACCES", [14] = "EFAULT",
	[16] = "EBUSY", [17] = "EEXIST", [19] = "ENODEV", [22] = "EINVAL", [28] = "ENOSPC",
	[38] = "ENOSYS", [75] = "EOVERFLOW",
};

/* ---- the host's side of the process table ------------------------------------ */

struct proc *proc_find(struct run_ctx *ctx, const char *name)
{
	for (size_t i = ctx->nprocs; i-- > 0;)
		if (!strcmp(ctx->procs[i].name, name))
			return &ctx->procs[i];
	return NULL;
}

static struct proc *proc_add(struct run_ctx *ctx, const char *name, int pid)
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

		if (b->kind != STMT_COMMAND || !last || last->kind != ARG_VALUE ||
		    last->value->kind != EXPR_WORD || strcmp(last->value->str, name))
			continue;
		if (!strcmp(b->name, "spawn") || !strcmp(b->name, "fork"))
			return true;
	}
	return false;
}

static int want_word(const struct stmt *s, size_t i, const char *what, struct scenario_error *err)
{
	if (i < s->nargs && s->args[i].kind == ARG_VALUE && s->args[i].value->kind == EXPR_WORD)
		return 0;
	scenario_error_at(err, s, i < s->nargs ? s->args[i].pos : s->name_pos,
			  "expected %s, a name", what);
	return -1;
}

int spawn_resolve(const struct scenario *sc, const struct stmt *s, struct scenario_error *err)
{
	if (want_args(s, 1, 1, err) || want_word(s, 0, "the new process's name", err) ||
	    want_request_fits(s, 0, err))
		return -1;
	if (process_defined(sc, s, s->args[0].value->str)) {
		scenario_error_at(err, s, s->args[0].pos, "a process named %s exists already",
				  s->args[0].value->str);
		return -1;
	}
	return 0;
}

static enum step new_proc(struct run_ctx *ctx, const char *name, uint32_t code, uint64_t parent,
			  char *msg, size_t msglen)
{
	struct guest_reply reply;
	enum step st = call_guest(ctx, code, (uint64_t[6]){ parent }, name, strlen(name), &reply);

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

enum step spawn_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
		    char *msg, size_t msglen)
{
	(void)result;
	return new_proc(ctx, s->args[0].value->str, VMM_REQ_SPAWN, 0, msg, msglen);
}

int fork_resolve(const struct scenario *sc, const struct stmt *s, struct scenario_error *err)
{
	if (s->nargs != 3 || s->args[1].kind != ARG_ARROW) {
		scenario_error_at(err, s, s->name_pos, "usage: fork PARENT -> CHILD");
		return -1;
	}
	if (want_word(s, 0, "the parent", err) || want_word(s, 2, "the child's name", err) ||
	    want_request_fits(s, 2, err))
		return -1;
	if (!process_defined(sc, s, s->args[0].value->str)) {
		scenario_error_at(err, s, s->args[0].pos, "no process %s (spawn it first)",
				  s->args[0].value->str);
		return -1;
	}
	if (process_defined(sc, s, s->args[2].value->str)) {
		scenario_error_at(err, s, s->args[2].pos, "a process named %s exists already",
				  s->args[2].value->str);
		return -1;
	}
	return 0;
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

enum step fork_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
		   char *msg, size_t msglen)
{
	struct proc *parent = live_proc(ctx, s->args[0].value->str, msg, msglen);

	(void)result;
	if (!parent)
		return STEP_FAILED;
	return new_proc(ctx, s->args[2].value->str, VMM_REQ_FORK, parent->pid, msg, msglen);
}

/* ---- running the user program ---------------------------------------------- */

/* One trip to user mode; a process killed on the way is a result, not a failure. */
static enum step run_agent(struct run_ctx *ctx, const struct stmt *s, uint64_t op,
			   uint64_t target, uint64_t value, const uint64_t args[6],
			   uint64_t *ret, char *msg, size_t msglen)
{
	struct proc *p = live_proc(ctx, s->process, msg, msglen);
	struct guest_reply reply;
	char why[160];
	enum step st;

	if (!p)
		return STEP_FAILED;
	st = call_guest(ctx, VMM_REQ_RUN, (uint64_t[6]){ p->pid, op, target, value },
			args, 6 * sizeof(uint64_t), &reply);
	if (st != STEP_OK)
		return st;
	if (reply.status) {
		snprintf(msg, msglen, "the guest could not run %s: error %lld", p->name,
			 (long long)reply.status);
		return STEP_FAILED;
	}
	if (reply_fault(&reply, &p->fault, why, sizeof(why)))
		return guest_lied(ctx, VMM_REQ_RUN, why);
	if (p->fault.signo || (op == AGENT_SYSCALL && target == __NR_exit))
		p->alive = false;
	*ret = reply.val[0];
	return STEP_OK;
}

enum step exit_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
		   char *msg, size_t msglen)
{
	uint64_t ret;

	(void)result;
	return run_agent(ctx, s, AGENT_SYSCALL, __NR_exit, 0, (uint64_t[6]){ 0 }, &ret, msg,
			 msglen);
}

const char *const touch_fields[] = { "signal", NULL };

static const struct flag_name access_kinds[] = {
	{ "read", AGENT_READ }, { "write", AGENT_WRITE }, { "exec", AGENT_EXEC }, { NULL, 0 },
};

int touch_resolve(const struct scenario *sc, const struct stmt *s, struct scenario_error *err)
{
	static const char *const keys[] = { "value", NULL };

	if (s->nargs < 2 || want_value(sc, s, 0, err))
		return s->nargs < 2 ? want_args(s, 2, 3, err) : -1;
	if (want_word(s, 1, "read, write or exec", err) ||
	    flags_resolve(s, s->args[1].value, access_kinds, err) || want_keys(s, 2, keys, err))
		return -1;
	return keyed_arg(s, "value") ? expr_resolve(sc, s, keyed_arg(s, "value")->value, false, err) : 0;
}

#define SIGNAL(signo)		{ signo, 0, #signo }
#define SI_CODE(signo, code)	{ signo, code, #code }

/*
 * The signals the guest sends and the si_codes a scenario names; the
 * others (ILL_ILLOPN, FPE_INTDIV, SI_KERNEL) show as numbers.
 */
static const struct signal_name {
	int signo, code;	/* code 0: the signal itself */
	const char *name;
} signal_names[] = {
	SIGNAL(SIGILL), SIGNAL(SIGBUS), SIGNAL(SIGFPE), SIGNAL(SIGSEGV),
	SI_CODE(SIGSEGV, SEGV_MAPERR), SI_CODE(SIGSEGV, SEGV_ACCERR), SI_CODE(SIGBUS, BUS_ADRERR),
};

/* Linux's name of signo (code 0) or of its si_code; NULL if it has none here. */
const char *signal_name(int signo, int code)
{
	for (size_t i = 0; i < ARRAY_SIZE(signal_names); i++)
		if (signal_names[i].signo == signo && signal_names[i].code == code)
			return signal_names[i].name;
	return NULL;
}

static const char *signal_text(const struct vmm_fault *f, char *buf, size_t size)
{
	const char *sig = signal_name(f->signo, 0);
	const char *code = f->code ? signal_name(f->signo, f->code) : NULL;

	if (!f->signo)
		snprintf(buf, size, "none");
	else if (sig && code)
		snprintf(buf, size, "%s/%s", sig, code);
	else
		snprintf(buf, size, "%s/%d", sig ? sig : "SIG?", f->code);
	return buf;
}

enum step touch_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
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
static enum step syscall_result(struct value *result, uint64_t ret, char *msg, size_t msglen)
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

static enum step do_syscall(struct run_ctx *ctx, const struct stmt *s, uint64_t nr,
			    const uint64_t args[6], struct value *result, char *msg, size_t msglen)
{
	uint64_t ret;
	enum step st = run_agent(ctx, s, AGENT_SYSCALL, nr, 0, args, &ret, msg, msglen);

	if (st != STEP_OK)
		return st;
	if (proc_find(ctx, s->process)->fault.signo) {
		snprintf(msg, msglen, "%s was killed during the system call", s->process);
		return STEP_FAILED;
	}
	return syscall_result(result, ret, msg, msglen);
}

/* Evaluate positional arguments first..first+n-1 as numbers. */
static enum step eval_positional(struct run_ctx *ctx, const struct stmt *s, size_t n,
				 uint64_t *out, char *msg, size_t msglen)
{
	enum step st = STEP_OK;

	for (size_t i = 0; i < n && st == STEP_OK; i++)
		st = eval_num(ctx, s->args[i].value, NULL, 0, &out[i], msg, msglen);
	return st;
}

int mmap_resolve(const struct scenario *sc, const struct stmt *s, struct scenario_error *err)
{
	static const char *const keys[] = { "addr", "prot", "flags", NULL };
	const struct arg *prot = keyed_arg(s, "prot"), *flags = keyed_arg(s, "flags");
	const struct arg *addr = keyed_arg(s, "addr");

	if (!s->nargs)
		return want_args(s, 1, 4, err);
	return want_value(sc, s, 0, err) ?: want_keys(s, 1, keys, err) ?:
	       (prot ? flags_resolve(s, prot->value, prot_flags, err) : 0) ?:
	       (flags ? flags_resolve(s, flags->value, map_flags, err) : 0) ?:
	       (addr ? expr_resolve(sc, s, addr->value, false, err) : 0);
}

enum step mmap_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
		   char *msg, size_t msglen)
{
	const struct arg *prot = keyed_arg(s, "prot"), *flags = keyed_arg(s, "flags");
	const struct arg *addr = keyed_arg(s, "addr");
	uint64_t args[6] = { 0, 0, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1ULL, 0 };
	enum step st = eval_num(ctx, s->args[0].value, NULL, 0, &args[1], msg, msglen);

	if (st == STEP_OK && addr)
		st = eval_num(ctx, addr->value, NULL, 0, &args[0], msg, msglen);
	if (prot)
		args[2] = flags_eval(prot->value, prot_flags);
	if (flags)
		args[3] = flags_eval(flags->value, map_flags);
	return st == STEP_OK ? do_syscall(ctx, s, __NR_mmap, args, result, msg, msglen) : st;
}

static int numbers_resolve(const struct scenario *sc, const struct stmt *s, size_t n,
			   struct scenario_error *err)
{
	if (want_args(s, n, n, err))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (want_value(sc, s, i, err))
			return -1;
	return 0;
}

int munmap_resolve(const struct scenario *sc, const struct stmt *s, struct scenario_error *err)
{
	return numbers_resolve(sc, s, 2, err);
}

enum step munmap_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
		     char *msg, size_t msglen)
{
	uint64_t args[6] = { 0 };
	enum step st = eval_positional(ctx, s, 2, args, msg, msglen);

	return st == STEP_OK ? do_syscall(ctx, s, __NR_munmap, args, result, msg, msglen) : st;
}

int mprotect_resolve(const struct scenario *sc, const struct stmt *s, struct scenario_error *err)
{
	if (want_args(s, 3, 3, err) || want_value(sc, s, 0, err) || want_value(sc, s, 1, err))
		return -1;
	return flags_resolve(s, s->args[2].value, prot_flags, err);
}

enum step mprotect_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
		       char *msg, size_t msglen)
{
	uint64_t args[6] = { 0 };
	enum step st = eval_positional(ctx, s, 2, args, msg, msglen);

	args[2] = flags_eval(s->args[2].value, prot_flags);
	return st == STEP_OK ? do_syscall(ctx, s, __NR_mprotect, args, result, msg, msglen) : st;
}

int brk_resolve(const struct scenario *sc, const struct stmt *s, struct scenario_error *err)
{
	return want_args(s, 0, 1, err) ?: (s->nargs ? want_value(sc, s, 0, err) : 0);
}

/*
 * brk           the current break (brk(0))
 * brk ADDR      brk(ADDR): the new break, or the old one if refused
 * brk +DELTA    grows by DELTA: the old break, as sbrk() returns it
 */
enum step brk_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
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

/* ---- what a scenario can look at in a process: A.rss, A.pte(ADDR), ... ---- */

static enum step mm_info(struct run_ctx *ctx, const struct proc *p, struct vmm_mm_info *mi,
			 char *msg, size_t msglen)
{
	struct guest_reply reply;
	char why[160];
	enum step st = call_guest(ctx, VMM_REQ_MM, (uint64_t[6]){ p->pid }, NULL, 0, &reply);

	if (st != STEP_OK)
		return st;
	if (reply.status) {
		snprintf(msg, msglen, "the guest has no address space for %s", p->name);
		return STEP_FAILED;
	}
	return reply_mm(&reply, mi, why, sizeof(why)) ? guest_lied(ctx, VMM_REQ_MM, why) : STEP_OK;
}

/* /proc/PID/maps (VMM_REQ_MAPS) or smaps (VMM_REQ_SMAPS) of a process. */
static enum step proc_text(struct run_ctx *ctx, const struct proc *p, uint32_t code,
			   struct value *out, char *msg, size_t msglen)
{
	struct guest_reply reply;
	const char *text;
	size_t len;
	char why[160];
	enum step st = call_guest(ctx, code, (uint64_t[6]){ p->pid }, NULL, 0, &reply);

	if (st != STEP_OK)
		return st;
	if (reply.status) {
		snprintf(msg, msglen, "the guest has no %s for %s: error %lld",
			 code == VMM_REQ_MAPS ? "maps" : "smaps", p->name, (long long)reply.status);
		return STEP_FAILED;
	}
	if (reply_text(&reply, &text, &len, why, sizeof(why)))
		return guest_lied(ctx, code, why);
	*out = value_text(text, len);
	return STEP_OK;
}

/* The line at *pos and its length, moving *pos past it; NULL at the end. */
static const char *next_line(const char **pos, size_t *len)
{
	const char *line = *pos, *nl;

	if (!*line)
		return NULL;
	nl = strchr(line, '\n');
	*len = nl ? (size_t)(nl - line) : strlen(line);
	*pos = line + *len + (nl ? 1 : 0);
	return line;
}

/* The maps line whose range holds addr, as a record: start, end, perms, offset, name. */
static int vma_from_maps(const struct value *maps, uint64_t addr, struct value *out)
{
	const char *pos = maps->text, *line;
	size_t len;

	while ((line = next_line(&pos, &len))) {
		unsigned long long start, end, offset;
		char buf[512], perms[8] = "";
		int name_at = -1;

		/* One line at a time: the name may be missing, and %n must not run past it. */
		snprintf(buf, sizeof(buf), "%.*s", (int)len, line);
		if (sscanf(buf, "%llx-%llx %7s %llx %*s %*s%n", &start, &end, perms, &offset,
			   &name_at) >= 4 && name_at >= 0 && addr >= start && addr < end) {
			const char *name = buf + name_at + strspn(buf + name_at, " ");

			*out = value_num(start);
			return value_add_field(out, "start", value_num(start)) ||
			       value_add_field(out, "end", value_num(end)) ||
			       value_add_field(out, "size", value_num(end - start)) ||
			       value_add_field(out, "perms", value_text(perms, strlen(perms))) ||
			       value_add_field(out, "offset", value_num(offset)) ||
			       value_add_field(out, "name", value_text(name, strlen(name))) ? -1 : 0;
		}
	}
	return 1;
}

/* "Private_Dirty:" -> "private_dirty", if it is one of smaps_fields. */
static const char *smaps_key(const char *line, size_t len)
{
	static char key[32];
	size_t n = 0;

	while (n < len && n < sizeof(key) - 1 && line[n] != ':') {
		key[n] = (char)tolower((unsigned char)line[n]);
		n++;
	}
	key[n] = '\0';
	for (size_t i = 0; smaps_fields[i]; i++)
		if (n < len && !strcmp(key, smaps_fields[i]))
			return smaps_fields[i];
	return NULL;
}

/* One "Key:   N kB" or "VmFlags: ..." line of an smaps block as a field of out. */
static int smaps_field(struct value *out, const char *line, size_t len)
{
	const char *key = smaps_key(line, len), *rest = memchr(line, ':', len);
	char buf[128];
	unsigned long kb;

	if (!key)
		return 0;
	rest++;
	rest += strspn(rest, " ");
	snprintf(buf, sizeof(buf), "%.*s", (int)(len - (size_t)(rest - line)), rest);
	if (!strcmp(key, "vmflags"))
		return value_add_field(out, key, value_text(buf, strcspn(buf, "\n")));
	if (sscanf(buf, "%lu kB", &kb) != 1)
		return 0;
	return value_add_field(out, key, value_num((uint64_t)kb << 10));
}

/*
 * The smaps block of the VMA that holds addr: its text as the value, and
 * every count of smaps_fields in bytes (vmflags as text).
 */
static int vma_from_smaps(const struct value *smaps, uint64_t addr, struct value *out)
{
	const char *pos = smaps->text, *line, *block = NULL, *end = NULL;
	size_t len;

	while (!end && (line = next_line(&pos, &len))) {
		unsigned long long start, last;

		if (sscanf(line, "%llx-%llx ", &start, &last) != 2)
			continue;
		if (block)
			end = line;
		else if (addr >= start && addr < last)
			block = line;
	}
	if (!block)
		return 1;
	if (!end)
		end = pos;
	*out = value_text(block, (size_t)(end - block));
	pos = block;
	next_line(&pos, &len);		/* the maps line */
	while (pos < end && (line = next_line(&pos, &len)))
		if (smaps_field(out, line, len))
			return -1;
	return 0;
}

/* A.vma(ADDR) from maps, A.smaps(ADDR) from smaps: the VMA that holds ADDR. */
static enum step subject_vma(struct run_ctx *ctx, const struct proc *p, uint64_t addr,
			     bool smaps, struct value *out, char *msg, size_t msglen)
{
	struct value text = { 0 };
	enum step st = proc_text(ctx, p, smaps ? VMM_REQ_SMAPS : VMM_REQ_MAPS, &text, msg, msglen);
	int r = 0;

	if (st == STEP_OK)
		r = smaps ? vma_from_smaps(&text, addr, out) : vma_from_maps(&text, addr, out);
	value_free(&text);
	if (r) {
		snprintf(msg, msglen, r > 0 ? "%s has no VMA at %#llx" : "out of memory%s%llx",
			 r > 0 ? p->name : "", (unsigned long long)addr);
		st = STEP_FAILED;
	}
	return st;
}

/* The host's own walk of the process's tables, not the guest's word. */
static enum step subject_pte(struct run_ctx *ctx, const struct proc *p, uint64_t addr,
			     struct value *out, char *msg, size_t msglen)
{
	struct vmm_mm_info mi;
	struct guest_reply reply;
	struct reply_mem_map mm;
	struct pt_translation t;
	enum step st = mm_info(ctx, p, &mi, msg, msglen);
	uint64_t pte, pfn;
	char why[160];
	int r = 0;

	if (st == STEP_OK)
		st = call_guest(ctx, VMM_REQ_MEM_MAP, NULL, NULL, 0, &reply);
	if (st != STEP_OK)
		return st;
	if (reply_mem_map(&reply, ctx->g.accel.ram.size, &mm, why, sizeof(why)))
		return guest_lied(ctx, VMM_REQ_MEM_MAP, why);
	if (pt_translate(&ctx->g.accel.ram, mi.pgd, addr, &t) || (t.nlevels && t.bad)) {
		snprintf(msg, msglen, "the walk of %s's tables at %#llx failed", p->name,
			 (unsigned long long)addr);
		return STEP_FAILED;
	}
	pte = t.present ? t.entry[t.nlevels - 1] : 0;
	pfn = t.present ? t.pa >> 12 : 0;
	*out = value_num(pte);
	const struct { const char *name; uint64_t v; } f[] = {
		{ "present", t.present }, { "writable", t.present && (t.prot & _PAGE_RW) },
		{ "user", t.present && (t.prot & _PAGE_USER) },
		{ "nx", t.present && (t.prot & _PAGE_NX) }, { "accessed", !!(pte & _PAGE_ACCESSED) },
		{ "dirty", !!(pte & _PAGE_DIRTY) }, { "pfn", pfn },
		{ "zero_page", t.present && pfn == mm.zero_pfn },
	};
	for (size_t i = 0; !r && i < ARRAY_SIZE(f); i++)
		r = value_add_field(out, f[i].name, value_num(f[i].v));
	if (r) {
		snprintf(msg, msglen, "out of memory");
		return STEP_FAILED;
	}
	return STEP_OK;
}

const char *const pte_fields[] = {
	"present", "writable", "user", "nx", "accessed", "dirty", "pfn", "zero_page", NULL,
};
const char *const vma_fields[] = { "start", "end", "size", "perms", "offset", "name", NULL };

/* Where a process field comes from: the host's record, the guest's text, its mm. */
enum proc_source {
	PF_PID, PF_ALIVE, PF_SIGNAL, PF_FAULT_ADDR,	/* the host's, even once it has exited */
	PF_TEXT,					/* .at: the request for the text */
	PF_RSS,						/* anon + shmem */
	PF_MM,						/* .at: a u64 in vmm_mm_info */
};

#define MM(member)	offsetof(struct vmm_mm_info, member)
/* Each: the name, where it comes from, which request or member. */
#define PROCESS_FIELDS(EM)						\
	EM("maps", PF_TEXT, VMM_REQ_MAPS)				\
	EM("smaps", PF_TEXT, VMM_REQ_SMAPS)				\
	EM("rss", PF_RSS, 0)						\
	EM("rss_anon", PF_MM, MM(rss_anon))				\
	EM("rss_shmem", PF_MM, MM(rss_shmem))				\
	EM("vma_count", PF_MM, MM(map_count))				\
	EM("total_vm", PF_MM, MM(total_vm))				\
	EM("locked_vm", PF_MM, MM(locked_vm))				\
	EM("brk", PF_MM, MM(brk))					\
	EM("start_brk", PF_MM, MM(start_brk))				\
	EM("start_stack", PF_MM, MM(start_stack))			\
	EM("mmap_base", PF_MM, MM(mmap_base))				\
	EM("pid", PF_PID, 0)						\
	EM("alive", PF_ALIVE, 0)					\
	EM("signal", PF_SIGNAL, 0)					\
	EM("fault_addr", PF_FAULT_ADDR, 0)				\
	EM("users", PF_MM, MM(mm_users))
#define FIELD_NAME(name, from, at)	name,
#define FIELD_ROW(name, from, at)	{ name, from, at },

const char *const process_fields[] = { PROCESS_FIELDS(FIELD_NAME) NULL };

static const struct proc_field {
	const char *name;
	enum proc_source from;
	size_t at;
} proc_fields[] = {
	PROCESS_FIELDS(FIELD_ROW)
};
const char *const smaps_fields[] = {
	"size", "rss", "pss", "pss_dirty", "shared_clean", "shared_dirty", "private_clean",
	"private_dirty", "referenced", "anonymous", "swap", "locked", "vmflags", NULL,
};
const char *const process_calls[] = { "pte", "vma", "smaps", NULL };

static const struct proc_field *proc_field_find(const char *field)
{
	for (size_t i = 0; i < ARRAY_SIZE(proc_fields); i++)
		if (!strcmp(proc_fields[i].name, field))
			return &proc_fields[i];
	return NULL;
}

static enum step proc_field(struct run_ctx *ctx, const struct proc *p, const char *field,
			    struct value *out, char *msg, size_t msglen)
{
	const struct proc_field *f = proc_field_find(field);
	struct vmm_mm_info mi;
	uint64_t n;
	char sig[48];
	enum step st;

	if (!f) {
		snprintf(msg, msglen, "a process has no field '%s'", field);
		return STEP_FAILED;
	}
	switch (f->from) {
	case PF_PID:
		*out = value_num((uint64_t)p->pid);
		return STEP_OK;
	case PF_ALIVE:
		*out = value_num(p->alive);
		return STEP_OK;
	case PF_FAULT_ADDR:
		*out = value_num(p->fault.addr);
		return STEP_OK;
	case PF_SIGNAL:
		signal_text(&p->fault, sig, sizeof(sig));
		*out = value_text(sig, strlen(sig));
		return STEP_OK;
	default:
		break;
	}
	if (!p->alive) {
		snprintf(msg, msglen, "process %s has exited: it has no %s", p->name, field);
		return STEP_FAILED;
	}
	if (f->from == PF_TEXT)
		return proc_text(ctx, p, (uint32_t)f->at, out, msg, msglen);
	st = mm_info(ctx, p, &mi, msg, msglen);
	if (st != STEP_OK)
		return st;
	if (f->from == PF_RSS)
		n = mi.rss_anon + mi.rss_shmem;
	else
		memcpy(&n, (const char *)&mi + f->at, sizeof(n));
	*out = value_num(n);
	return STEP_OK;
}

enum step process_subject(struct run_ctx *ctx, const char *name, const char *field,
			  const struct expr *arg, struct value *out, char *msg, size_t msglen)
{
	struct proc *p = proc_find(ctx, name);
	uint64_t addr;
	enum step st;

	if (!p) {
		snprintf(msg, msglen, "process %s does not exist: its creation failed", name);
		return STEP_FAILED;
	}
	if (!arg)
		return proc_field(ctx, p, field, out, msg, msglen);
	if (!p->alive) {
		snprintf(msg, msglen, "process %s has exited", name);
		return STEP_FAILED;
	}
	st = eval_num(ctx, arg, NULL, 0, &addr, msg, msglen);
	if (st != STEP_OK)
		return st;
	if (!strcmp(field, "pte"))
		return subject_pte(ctx, p, addr, out, msg, msglen);
	return subject_vma(ctx, p, addr, !strcmp(field, "smaps"), out, msg, msglen);
}
