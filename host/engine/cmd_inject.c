// SPDX-License-Identifier: MIT
/*
 * Fault injection from a scenario (docs/fault-injection.md):
 *   inject ATTR [probability=N] [interval=N] [times=N] [space=N] [verbose=N]
 *               [nth=N] [min_order=N] [ignore_gfp_wait=0|1]
 *               [ignore_gfp_highmem=0|1] [task_filter=0|1] [cache_filter=0|1]
 *               [cache=NAME]
 *   P: fail_nth [N]          Linux's /proc/PID/fail-nth; the value as it is now
 *   P: make_it_fail [0|1]    Linux's /proc/PID/make-it-fail
 *   fault(ATTR)              failures injected; fields calls, failures, times,
 *                            space, nth, probability, interval, verbose, site
 *
 * `inject` is a whole new plan for the attribute: knobs it does not name
 * go back to Linux's defaults, and the counters start again from zero.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "call.h"
#include "cmd_inject.h"
#include "eval.h"
#include "procs.h"
#include "registry.h"
#include "vm/reply.h"

static const char *const knob_keys[] = {
	"probability", "interval", "times", "space", "verbose", "nth", "min_order",
	"ignore_gfp_wait", "ignore_gfp_highmem", "task_filter", "cache_filter", "cache", NULL,
};

static int want_attr(const struct stmt *s, const struct expr *e, struct src_pos pos,
		     struct scenario_error *err)
{
	unsigned int attr;

	if (e->kind == EXPR_WORD && !inject_attr_find(e->str, &attr))
		return 0;
	scenario_error_at(err, s, pos, "expected an attribute: fail_page_alloc, failslab, "
			  "fail_vmalloc or fail_vm_area_alloc");
	return -1;
}

static int inject_resolve(const struct scope *sc, const struct stmt *s,
			  struct scenario_error *err)
{
	if (s->nargs < 1 || s->args[0].kind != ARG_VALUE)
		return want_args(s, 1, 12, err);
	if (want_attr(s, s->args[0].value, s->args[0].pos, err) || want_keys(s, 1, knob_keys, err))
		return -1;
	for (size_t i = 1; i < s->nargs; i++) {
		const struct arg *a = &s->args[i];

		if (strcmp(a->key, "cache") ? expr_resolve(sc, s, a->value, false, err) :
		    a->value->kind == EXPR_WORD || a->value->kind == EXPR_STRING ? 0 :
		    (scenario_error_at(err, s, a->pos, "cache= takes a cache's name"), -1))
			return -1;
	}
	return 0;
}

/* One knob from the scenario: numbers go through the plan's own range checks. */
static enum step set_knob(struct run_ctx *ctx, struct inject_plan *p, const struct arg *a,
			  char *msg, size_t msglen)
{
	const char *value = a->value->str;
	char text[32];
	uint64_t n;
	enum step st;

	if (strcmp(a->key, "cache")) {
		st = eval_num(ctx, a->value, a->key, 0, &n, msg, msglen);
		if (st != STEP_OK)
			return st;
		/* Signed: times=-1 arrives as 2^64 - 1. */
		snprintf(text, sizeof(text), "%" PRId64, (int64_t)n);
		value = text;
	}
	return inject_plan_set(p, a->key, value, msg, msglen) ? STEP_FAILED : STEP_OK;
}

enum step inject_apply(struct run_ctx *ctx, const struct inject_plan *p, char *msg, size_t msglen)
{
	struct guest_reply reply;
	enum step st = call_guest(ctx, VMM_REQ_FAULT_ATTR, (uint64_t[6]){ p->attr }, &p->cfg,
				  sizeof(p->cfg), &reply);

	if (st == STEP_OK && reply.status) {
		snprintf(msg, msglen, "the guest refused the plan: error %lld",
			 (long long)reply.status);
		st = STEP_FAILED;
	}
	return st;
}

static enum step inject_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			    char *msg, size_t msglen)
{
	struct inject_plan p;
	unsigned int attr;
	enum step st = STEP_OK;

	(void)result;
	inject_attr_find(s->args[0].value->str, &attr);
	inject_plan_init(&p, attr);
	for (size_t i = 1; st == STEP_OK && i < s->nargs; i++)
		st = set_knob(ctx, &p, &s->args[i], msg, msglen);
	return st == STEP_OK ? inject_apply(ctx, &p, msg, msglen) : st;
}

static int task_fail_resolve(const struct scope *sc, const struct stmt *s,
			     struct scenario_error *err)
{
	return want_args(s, 0, 1, err) ?: s->nargs ? want_value(sc, s, 0, err) : 0;
}

/* fail_nth and make_it_fail: set the one (if given), answer both. */
static enum step task_fail(struct run_ctx *ctx, const struct stmt *s, int which,
			   struct value *result, char *msg, size_t msglen)
{
	uint64_t args[6] = { 0, VMM_FAULT_KEEP, VMM_FAULT_KEEP };
	struct guest_reply reply;
	struct proc *p = live_proc(ctx, s->process, msg, msglen);
	enum step st;

	if (!p)
		return STEP_FAILED;
	args[0] = p->pid;
	if (s->nargs) {
		st = eval_num(ctx, s->args[0].value, NULL, 0, &args[1 + which], msg, msglen);
		if (st != STEP_OK)
			return st;
		if (args[1 + which] > (which ? 1 : UINT32_MAX)) {
			snprintf(msg, msglen, "want %s", which ? "0 or 1" : "a number below 2^32");
			return STEP_FAILED;
		}
	}
	st = call_guest_ok(ctx, VMM_REQ_TASK_FAIL, args, NULL, 0, &reply, msg, msglen);
	if (st != STEP_OK)
		return st;
	*result = value_num(reply.val[which] > UINT32_MAX ? UINT32_MAX : reply.val[which]);
	return STEP_OK;
}

static enum step fail_nth_run(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			      char *msg, size_t msglen)
{
	return task_fail(ctx, s, 0, result, msg, msglen);
}

static enum step make_it_fail_run(struct run_ctx *ctx, const struct stmt *s,
				  struct value *result, char *msg, size_t msglen)
{
	return task_fail(ctx, s, 1, result, msg, msglen);
}

enum step inject_stats(struct run_ctx *ctx, unsigned int attr, struct vmm_fault_stats *st,
		       char *msg, size_t msglen)
{
	struct guest_reply reply;
	char why[160];
	enum step step = call_guest_ok(ctx, VMM_REQ_FAULT_STATS, (uint64_t[6]){ attr }, NULL, 0,
				       &reply, msg, msglen);

	if (step != STEP_OK)
		return step;
	if (reply_fault_stats(&reply, st, why, sizeof(why)))
		return guest_lied(ctx, VMM_REQ_FAULT_STATS, why);
	return STEP_OK;
}

size_t inject_site(struct run_ctx *ctx, const struct vmm_fault_stats *st, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < st->nr_frames && used < size; i++) {
		char sym[128];

		elf_symbolize_return(&ctx->g.img, st->frames[i], sym, sizeof(sym));
		used += snprintf(buf + used, size - used, "%s\n", sym);
	}
	return used < size ? used : size - 1;
}

static const char *const fault_fields[] = {
	"calls", "failures", "times", "space", "nth", "probability", "interval", "verbose", "site",
	NULL,
};

static int fault_value(struct run_ctx *ctx, struct value *out, const struct vmm_fault_stats *st)
{
	const uint64_t v[] = { st->calls, st->failures, (uint64_t)st->times, (uint64_t)st->space,
			       st->nth, st->probability, st->interval, st->verbose };
	char site[VMM_BACKTRACE_DEPTH * 128];
	size_t len = inject_site(ctx, st, site, sizeof(site));
	struct value text = value_text(site, len);
	int r = text.kind == VAL_NONE ? -1 : 0;

	*out = value_num(st->failures);
	for (size_t i = 0; !r && i < sizeof(v) / sizeof(v[0]); i++)
		r = value_add_field(out, fault_fields[i], value_num(v[i]));
	if (!r)
		r = value_add_field(out, "site", text);
	else
		value_free(&text);
	return r;
}

/* fault(ATTR): what the attribute has done since its last plan. */
static enum step subject_fault(struct run_ctx *ctx, const struct expr *arg, struct value *out,
			       char *msg, size_t msglen)
{
	struct vmm_fault_stats st;
	struct value name = { 0 };
	unsigned int attr = VMM_FAULT_ATTR_NR;
	enum step step = eval_expr(ctx, arg, &name, msg, msglen);

	if (step == STEP_OK && (name.kind != VAL_TEXT || inject_attr_find(name.text, &attr))) {
		snprintf(msg, msglen, "no such attribute (fail_page_alloc, failslab, fail_vmalloc, "
			 "fail_vm_area_alloc)");
		step = STEP_FAILED;
	}
	value_free(&name);
	if (step == STEP_OK)
		step = inject_stats(ctx, attr, &st, msg, msglen);
	if (step == STEP_OK && fault_value(ctx, out, &st)) {
		snprintf(msg, msglen, "out of memory");
		step = STEP_FAILED;
	}
	return step;
}

static const struct command inject_commands[] = {
	COMMAND("inject", "inject ATTR [KNOB=VALUE ...]", NULL, inject_resolve, inject_run),
	COMMAND("fail_nth", "P: fail_nth [N]", NULL, task_fail_resolve, fail_nth_run,
		.in_process = true),
	COMMAND("make_it_fail", "P: make_it_fail [0|1]", NULL, task_fail_resolve,
		make_it_fail_run, .in_process = true),
};
COMMANDS(inject_commands);

static const struct subject inject_subjects[] = {
	SUBJECT("fault", "fail_page_alloc, failslab, fail_vmalloc or fail_vm_area_alloc",
		fault_fields, "what a fault-injection attribute did since its last plan",
		.eval = subject_fault),
};
SUBJECTS(inject_subjects);
