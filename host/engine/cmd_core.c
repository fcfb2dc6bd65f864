// SPDX-License-Identifier: MIT
/*
 * The core of the language: echo, provoke, plant and capture, and the
 * subjects that belong to no subsystem (iomem, cmdline, findings).
 * Reference: docs/scenario-language.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "call.h"
#include "eval.h"
#include "procs.h"
#include "registry.h"

/* echo VALUE: a round trip through the guest, returning VALUE. */
static int echo_resolve(const struct scope *sc, const struct stmt *s,
			struct scenario_error *err)
{
	return want_args(s, 1, 1, err) ?: want_value(sc, s, 0, err);
}

static enum step echo_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			  char *msg, size_t msglen)
{
	struct guest_reply reply;
	struct value v;
	enum step st = eval_expr(ctx, s->args[0].value, &v, msg, msglen);

	if (st != STEP_OK)
		return st;
	if (v.kind != VAL_NUM) {
		value_free(&v);
		snprintf(msg, msglen, "echo takes a number");
		return STEP_FAILED;
	}
	st = call_guest(ctx, VMM_REQ_ECHO, (uint64_t[6]){ v.num }, NULL, 0, &reply);
	if (st == STEP_OK)
		*result = value_num(reply.val[0]);
	return st;
}

/*
 * A list of choices is a macro of rows, LIST(EM, EMe): EM makes each row
 * but the last, EMe the last, as in Linux's trace events.  The table, the
 * usage and the error that lists the choices all come from it, so they
 * cannot disagree.
 */
#define ROW_ALTERNATIVE(name, ...)	name "|"
#define ROW_NAME(name, ...)		name
#define ROW_CHOICE(name, ...)		", " name
#define ROW_LAST_CHOICE(name, ...)	" or " name
/* "a, b or c": past the first row's ", ". */
#define CHOICES(list)			(&(list(ROW_CHOICE, ROW_LAST_CHOICE))[2])

/* Each: the name, what the guest does, what it takes after the name. */
#define PROVOCATIONS(EM, EMe)						\
	EM("panic", VMM_PROVOKE_PANIC, " [\"TEXT\"]")			\
	EM("hang", VMM_PROVOKE_HANG, "")				\
	EM("fault", VMM_PROVOKE_FAULT, " [ADDR]")			\
	EM("triple-fault", VMM_PROVOKE_TRIPLE_FAULT, "")		\
	EM("bad-message", VMM_PROVOKE_BAD_MESSAGE, "")			\
	EMe("halt", VMM_PROVOKE_HALT, "")
#define PROVOKE_ROW(name, kind, arg)		{ name, kind, arg },
#define PROVOKE_USAGE(name, kind, arg)		name arg " | "
#define PROVOKE_LAST_USAGE(name, kind, arg)	name arg

static const struct {
	const char *name;
	enum vmm_provoke kind;
	const char *arg;
} provocations[] = {
	PROVOCATIONS(PROVOKE_ROW, PROVOKE_ROW)
};

static int provocation(const struct stmt *s)
{
	const struct expr *e = s->nargs ? s->args[0].value : NULL;

	for (size_t i = 0; e && e->kind == EXPR_WORD && i < ARRAY_SIZE(provocations); i++)
		if (!strcmp(e->str, provocations[i].name))
			return (int)i;
	return -1;
}

/* provoke KIND [ARG]: one of PROVOCATIONS, with its argument if it takes one. */
static int provoke_resolve(const struct scope *sc, const struct stmt *s,
			   struct scenario_error *err)
{
	int i;

	if (want_args(s, 1, 2, err))
		return -1;
	i = provocation(s);
	if (i < 0 || s->args[0].kind != ARG_VALUE) {
		scenario_error_at(err, s, s->args[0].pos, "provoke what? expected %s",
				  CHOICES(PROVOCATIONS));
		return -1;
	}
	if (s->nargs == 1)
		return 0;
	if (!*provocations[i].arg) {
		scenario_error_at(err, s, s->args[1].pos, "provoke %s takes no argument",
				  provocations[i].name);
		return -1;
	}
	return want_value(sc, s, 1, err) ?: want_request_fits(s, 1, err);
}

static enum step provoke_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			     char *msg, size_t msglen)
{
	enum vmm_provoke kind = provocations[provocation(s)].kind;
	struct value arg = { 0 };
	uint64_t args[6] = { kind };
	struct guest_reply reply;
	const char *data = NULL;
	uint32_t len = 0;
	enum step st = STEP_OK;

	(void)result;
	if (s->nargs == 2)
		st = eval_expr(ctx, s->args[1].value, &arg, msg, msglen);
	if (st != STEP_OK)
		return st;
	if (arg.kind == VAL_TEXT) {
		data = arg.text;
		len = arg.len < VMM_REQ_DATA_SIZE ? arg.len : VMM_REQ_DATA_SIZE;
	} else if (arg.kind == VAL_NUM) {
		args[1] = arg.num;
	} else if (kind == VMM_PROVOKE_PANIC) {
		data = "provoked by the scenario";
		len = strlen(data);
	}
	st = call_guest(ctx, VMM_REQ_PROVOKE, args, data, len, &reply);
	value_free(&arg);
	if (st == STEP_OK) {
		snprintf(msg, msglen, "the guest survived: reply status %lld",
			 (long long)reply.status);
		st = STEP_FAILED;
	}
	return st;
}

#define PLANTS(EM, EMe)							\
	EM("user-page", VMM_PLANT_USER_PAGE)				\
	EM("free-user-page", VMM_PLANT_FREE_USER_PAGE)			\
	EM("kernel-user", VMM_PLANT_KERNEL_USER)			\
	EM("kernel-writable", VMM_PLANT_KERNEL_WRITABLE)		\
	EM("bad-frame", VMM_PLANT_BAD_FRAME)				\
	EM("loop", VMM_PLANT_LOOP)					\
	EM("unmap", VMM_PLANT_UNMAP)					\
	EM("writable", VMM_PLANT_WRITABLE)				\
	EM("kernel-diff", VMM_PLANT_KERNEL_DIFF)			\
	EM("mapcount", VMM_PLANT_MAPCOUNT)				\
	EM("refcount", VMM_PLANT_REFCOUNT)				\
	EM("free-slab-page", VMM_PLANT_FREE_SLAB_PAGE)			\
	EM("free-vmalloc-page", VMM_PLANT_FREE_VMALLOC_PAGE)		\
	EM("rss", VMM_PLANT_RSS)					\
	EM("file-pte", VMM_PLANT_FILE_PTE)				\
	EM("pfnmap-pte", VMM_PLANT_PFNMAP_PTE)				\
	EM("free-cache-page", VMM_PLANT_FREE_CACHE_PAGE)		\
	EM("rss-file", VMM_PLANT_RSS_FILE)				\
	EMe("pfnmap-ref", VMM_PLANT_PFNMAP_REF)
#define PLANT_ROW(name, kind)	{ name, kind },

static const struct flag_name plants[] = {
	PLANTS(PLANT_ROW, PLANT_ROW)
	{ NULL, 0 },
};

/* plant KIND ADDR: the guest damages its own page tables, for `check` to find. */
static int plant_resolve(const struct scope *sc, const struct stmt *s,
			 struct scenario_error *err)
{
	if (want_args(s, 2, 2, err) || want_value(sc, s, 1, err))
		return -1;
	if (s->args[0].kind != ARG_VALUE || s->args[0].value->kind != EXPR_WORD ||
	    flags_resolve(s, s->args[0].value, plants, err)) {
		scenario_error_at(err, s, s->args[0].pos, "plant what? expected %s",
				  CHOICES(PLANTS));
		return -1;
	}
	return 0;
}

static enum step plant_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			   char *msg, size_t msglen)
{
	struct guest_reply reply;
	struct value addr = { 0 };
	struct proc *p = NULL;
	enum step st = eval_expr(ctx, s->args[1].value, &addr, msg, msglen);

	(void)result;
	if (st == STEP_OK && addr.kind != VAL_NUM) {
		snprintf(msg, msglen, "plant takes an address");
		st = STEP_FAILED;
	}
	if (st == STEP_OK && s->process && !(p = live_proc(ctx, s->process, msg, msglen)))
		st = STEP_FAILED;
	if (st == STEP_OK)
		st = call_guest(ctx, VMM_REQ_PLANT,
				(uint64_t[6]){ flags_eval(s->args[0].value, plants), addr.num,
					       p ? (uint64_t)p->pid : 0 },
				NULL, 0, &reply);
	if (st == STEP_OK && reply.status) {
		snprintf(msg, msglen, "the guest could not plant it there: error %lld",
			 (long long)reply.status);
		st = STEP_FAILED;
	}
	value_free(&addr);
	return st;
}

/* capture SUBJECT: bind what `expect SUBJECT` would compare, to compare later. */
static int capture_resolve(const struct scope *sc, const struct stmt *s,
			   struct scenario_error *err)
{
	return want_args(s, 1, 1, err) ?: want_value(sc, s, 0, err) ?:
	       expr_resolve(sc, s, s->args[0].value, true, err);
}

static enum step capture_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			     char *msg, size_t msglen)
{
	return eval_subject(ctx, s->args[0].value, result, msg, msglen);
}

/* What `check` would report, as text: empty when every rule holds. */
static enum step subject_findings(struct run_ctx *ctx, const struct expr *arg, struct value *out,
				  char *msg, size_t msglen)
{
	char *findings = NULL;
	enum step st = verify_check(ctx, &findings);

	(void)arg;
	if (st != STEP_DEAD && findings) {
		*out = value_text(findings, strlen(findings));
		st = STEP_OK;
	} else if (st != STEP_DEAD) {
		snprintf(msg, msglen, "the check could not run");
		st = STEP_FAILED;
	}
	free(findings);
	return st;
}


static const struct command core_commands[] = {
	COMMAND("echo", "echo VALUE", NULL, echo_resolve, echo_run),
	COMMAND("provoke", "provoke " PROVOCATIONS(PROVOKE_USAGE, PROVOKE_LAST_USAGE), NULL,
		provoke_resolve, provoke_run),
	COMMAND("plant", "[P:] plant " PLANTS(ROW_ALTERNATIVE, ROW_NAME) " ADDR", NULL,
		plant_resolve, plant_run, .in_process = true, .process_optional = true),
	COMMAND("capture", "NAME = capture SUBJECT", NULL, capture_resolve, capture_run),
};
COMMANDS(core_commands);

static const struct subject core_subjects[] = {
	SUBJECT("iomem", NULL, NULL,
		"the physical memory map, /proc/iomem format",
		.request = VMM_REQ_IOMEM),
	SUBJECT("cmdline", NULL, NULL,
		"the command line (the vm options), /proc/cmdline format",
		.request = VMM_REQ_CMDLINE),
	SUBJECT("findings", NULL, NULL,
		"what check reports (empty when every rule holds)",
		.eval = subject_findings),
};
SUBJECTS(core_subjects);
