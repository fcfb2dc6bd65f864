// SPDX-License-Identifier: MIT
/*
 * Expressions: numbers with arithmetic, texts, $names, and subjects (bare
 * words naming something the harness can look at, such as `iomem`).  In a
 * value position a bare word is just text: `expect $zone == Normal`.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "run.h"

static int resolve_fail(struct scenario_error *err, const struct stmt *s, const struct expr *e,
			const char *fmt, const char *arg)
{
	scenario_error_at(err, s, e->pos, fmt, arg);
	return -1;
}

int expr_resolve(const struct stmt *s, const struct expr *e, bool subject_position,
		 struct scenario_error *err)
{
	char names[160];

	switch (e->kind) {
	case EXPR_WORD:
		if (!subject_position || subject_find(e->str))
			return 0;
		subject_names(names, sizeof(names));
		scenario_error_at(err, s, e->pos, "unknown subject '%.48s' (known: %s, or an expression)",
				  e->str, names);
		return -1;
	case EXPR_NUMBER:
	case EXPR_STRING:
	case EXPR_TEXT:
	case EXPR_VAR:
		return 0;
	case EXPR_UNARY:
		return expr_resolve(s, e->lhs, false, err);
	case EXPR_BINARY:
		if (e->op == '|')
			return resolve_fail(err, s, e, "flag sets (%s) are not supported yet", "|");
		return expr_resolve(s, e->lhs, false, err) ?: expr_resolve(s, e->rhs, false, err);
	case EXPR_MEMBER:
		return resolve_fail(err, s, e, "no subject has a member '.%s' yet", e->str);
	case EXPR_CALL:
		return resolve_fail(err, s, e, "%s", "no subject takes arguments yet");
	}
	return 0;
}

static const struct value *lookup(const struct run_ctx *ctx, const char *name)
{
	/* Latest binding wins: a name may be rebound. */
	for (size_t i = ctx->nbinds; i-- > 0;)
		if (!strcmp(ctx->binds[i].name, name))
			return &ctx->binds[i].value;
	return NULL;
}

static enum step fail(char *msg, size_t msglen, const char *fmt, const char *arg)
{
	snprintf(msg, msglen, fmt, arg);
	return STEP_FAILED;
}

static enum step eval_arith(struct run_ctx *ctx, const struct expr *e, struct value *out,
			    char *msg, size_t msglen)
{
	struct value l = { 0 }, r = { 0 };
	enum step st = eval_expr(ctx, e->lhs, &l, msg, msglen);

	if (st == STEP_OK && e->kind == EXPR_BINARY)
		st = eval_expr(ctx, e->rhs, &r, msg, msglen);
	if (st == STEP_OK && (l.kind != VAL_NUM || (e->kind == EXPR_BINARY && r.kind != VAL_NUM)))
		st = fail(msg, msglen, "'%c' needs numbers, not text", (char[]){ e->op, 0 });
	if (st == STEP_OK) {
		switch (e->kind == EXPR_UNARY ? (e->op == '-' ? 'n' : 'p') : e->op) {
		case 'n': *out = value_num(-l.num); break;
		case 'p': *out = value_num(l.num); break;
		case '+': *out = value_num(l.num + r.num); break;
		case '-': *out = value_num(l.num - r.num); break;
		case '*': *out = value_num(l.num * r.num); break;
		default: st = fail(msg, msglen, "operator '%s' is not supported", "?");
		}
	}
	value_free(&l);
	value_free(&r);
	return st;
}

enum step eval_expr(struct run_ctx *ctx, const struct expr *e, struct value *out,
		    char *msg, size_t msglen)
{
	const struct value *v;

	switch (e->kind) {
	case EXPR_NUMBER:
		*out = value_num(e->number);
		return STEP_OK;
	case EXPR_WORD:
	case EXPR_STRING:
	case EXPR_TEXT:
		*out = value_text(e->str, strlen(e->str));
		return out->kind == VAL_NONE ? fail(msg, msglen, "%s", "out of memory") : STEP_OK;
	case EXPR_VAR:
		v = lookup(ctx, e->str);
		if (!v)
			return fail(msg, msglen, "$%s has no value: the command that binds it failed",
				    e->str);
		*out = value_copy(v);
		return STEP_OK;
	case EXPR_UNARY:
	case EXPR_BINARY:
		return eval_arith(ctx, e, out, msg, msglen);
	default:
		return fail(msg, msglen, "%s", "expression form not supported");
	}
}

enum step eval_subject(struct run_ctx *ctx, const struct expr *e, struct value *out,
		       char *msg, size_t msglen)
{
	const struct subject *subj = e->kind == EXPR_WORD ? subject_find(e->str) : NULL;

	if (subj)
		return subj->eval(ctx, out, msg, msglen);
	return eval_expr(ctx, e, out, msg, msglen);
}
