// SPDX-License-Identifier: MIT
/*
 * Expressions: numbers with arithmetic, texts, $names and their fields
 * ($p.zone), and subjects (a bare word naming something the harness can
 * look at, such as `iomem`, or with an argument, `zone(DMA).free`).  In a
 * value position a bare word is just text: `expect $p.zone == Normal`.
 */
#include <stdio.h>
#include <string.h>

#include "call.h"
#include "eval.h"
#include "procs.h"
#include "registry.h"
#include "scope.h"

static int resolve_fail(struct scenario_error *err, const struct stmt *s, const struct expr *e,
			const char *fmt, const char *arg)
{
	scenario_error_at(err, s, e->pos, fmt, arg);
	return -1;
}

static bool has_field(const char *const *fields, const char *name)
{
	for (; fields && *fields; fields++)
		if (!strcmp(*fields, name))
			return true;
	return false;
}

static void field_list(const char *const *fields, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (; fields && *fields && used < size; fields++)
		used += snprintf(buf + used, size - used, "%s%s", used ? ", " : "", *fields);
}

/* A.field or A.call(...) on a process a statement before this one creates? */
static bool process_root(const struct scope *sc, const struct expr *e)
{
	return e->kind == EXPR_MEMBER && e->lhs->kind == EXPR_WORD && sc && process_subject() &&
	       scope_has_process(sc, e->lhs->str);
}

/* The fields of A.call(ADDR)'s value; resolve made sure call is one. */
static const char *const *process_call_fields(const char *call)
{
	const struct process_call *c = process_subject()->calls;

	while (c->name && strcmp(c->name, call))
		c++;
	return c->fields;
}

/* The fields of the value of process field A.field, or NULL. */
static const char *const *process_field_fields(const char *field)
{
	const struct process_call *f = process_subject()->field_values;

	for (; f && f->name; f++)
		if (!strcmp(f->name, field))
			return f->fields;
	return NULL;
}

/* The fields the value of e will have, or NULL; e is a subject, a call or a $name. */
static const char *const *fields_of(const struct scope *sc, const struct expr *e,
				    bool subject_position)
{
	const struct command *c;
	const struct subject *subj;

	if (e->kind == EXPR_VAR) {
		c = scope_binder(sc, e->str);
		return c ? c->fields : NULL;
	}
	if (e->kind == EXPR_CALL && process_root(sc, e->lhs))
		return process_call_fields(e->lhs->str);
	if (e->kind == EXPR_MEMBER && process_root(sc, e))
		return process_field_fields(e->str);
	if (e->kind == EXPR_CALL && e->lhs->kind == EXPR_WORD)
		return (subj = subject_find(e->lhs->str)) ? subj->fields : NULL;
	subj = subject_position && e->kind == EXPR_WORD ? subject_find(e->str) : NULL;
	return subj ? subj->fields : NULL;
}

static int resolve_process(const struct stmt *s, const struct expr *e, bool call,
			   struct scenario_error *err)
{
	const char *calls[8] = { NULL };
	const char *const *names = process_subject()->fields;
	char list[200];

	if (call) {
		for (size_t i = 0; process_subject()->calls[i].name && i + 1 < ARRAY_SIZE(calls); i++)
			calls[i] = process_subject()->calls[i].name;
		names = calls;
	}
	if (has_field(names, e->str))
		return 0;
	field_list(names, list, sizeof(list));
	scenario_error_at(err, s, e->pos, "a process has no %s '%.32s' (%s: %s)",
			  call ? "call" : "field", e->str, call ? "calls" : "fields", list);
	return -1;
}

static int resolve_member(const struct scope *sc, const struct stmt *s, const struct expr *e,
			  bool subject_position, struct scenario_error *err)
{
	if (process_root(sc, e))
		return resolve_process(s, e, false, err);

	const char *const *fields = fields_of(sc, e->lhs, subject_position);
	char list[160];

	if (expr_resolve(sc, s, e->lhs, subject_position, err))
		return -1;
	if (has_field(fields, e->str))
		return 0;
	if (!fields)
		return resolve_fail(err, s, e, "'.%s': this value has no fields", e->str);
	field_list(fields, list, sizeof(list));
	scenario_error_at(err, s, e->pos, "no field '%.32s' here (fields: %s)", e->str, list);
	return -1;
}

static int resolve_call(const struct scope *sc, const struct stmt *s, const struct expr *e,
			bool subject_position, struct scenario_error *err)
{
	const struct subject *subj = e->lhs->kind == EXPR_WORD ? subject_find(e->lhs->str) : NULL;

	if (process_root(sc, e->lhs)) {
		if (resolve_process(s, e->lhs, true, err))
			return -1;
		if (e->nargs != 1 || e->args[0].kind != ARG_VALUE)
			return resolve_fail(err, s, e, "%s takes one address", e->lhs->str);
		return expr_resolve(sc, s, e->args[0].value, false, err);
	}

	(void)subject_position;	/* zone(DMA) is a subject wherever it stands */
	if (!subj)
		return resolve_fail(err, s, e, "%s", "only subjects take arguments, as in zone(DMA)");
	if (!subj->arg)
		return resolve_fail(err, s, e, "%s takes no argument", subj->name);
	if (e->nargs != 1 || e->args[0].kind != ARG_VALUE)
		return resolve_fail(err, s, e, "expected exactly one argument: %s", subj->arg);
	return expr_resolve(sc, s, e->args[0].value, false, err);
}

int expr_resolve(const struct scope *sc, const struct stmt *s, const struct expr *e,
		 bool subject_position, struct scenario_error *err)
{
	const struct subject *subj;
	char names[160];

	switch (e->kind) {
	case EXPR_WORD:
		if (!subject_position)
			return 0;
		subj = subject_find(e->str);
		if (subj && subj->arg) {
			scenario_error_at(err, s, e->pos, "%s needs an argument: %s(%s)", subj->name,
					  subj->name, subj->arg);
			return -1;
		}
		if (subj)
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
		return expr_resolve(sc, s, e->lhs, false, err);
	case EXPR_BINARY:
		if (e->op == '|')
			return resolve_fail(err, s, e, "'%s' joins flags, in a command's flags argument "
					    "such as gfp=", "|");
		return expr_resolve(sc, s, e->lhs, false, err) ?:
		       expr_resolve(sc, s, e->rhs, false, err);
	case EXPR_MEMBER:
		return resolve_member(sc, s, e, subject_position, err);
	case EXPR_CALL:
		return resolve_call(sc, s, e, subject_position, err);
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
		st = fail(msg, msglen, "'%s' needs numbers, not text", (char[]){ e->op, 0 });
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

static enum step eval(struct run_ctx *ctx, const struct expr *e, bool subject_position,
		      struct value *out, char *msg, size_t msglen);

static enum step eval_member(struct run_ctx *ctx, const struct expr *e, bool subject_position,
			     struct value *out, char *msg, size_t msglen)
{
	struct value whole = { 0 };
	const struct value *f;
	enum step st = eval(ctx, e->lhs, subject_position, &whole, msg, msglen);

	if (st != STEP_OK)
		return st;
	f = value_field(&whole, e->str);
	if (f)
		*out = value_copy(f);
	else
		st = fail(msg, msglen, "the value has no field '%s'", e->str);
	value_free(&whole);
	return st;
}

/* A.field or A.call(arg), where A is a process of the scenario; else false. */
static bool eval_process(struct run_ctx *ctx, const struct expr *e, struct value *out,
			 char *msg, size_t msglen, enum step *st)
{
	const struct expr *arg = NULL;

	if (e->kind == EXPR_CALL) {
		arg = e->args[0].value;
		e = e->lhs;
	}
	if (e->kind != EXPR_MEMBER || e->lhs->kind != EXPR_WORD || !proc_find(ctx, e->lhs->str))
		return false;
	*st = process_subject()->eval(ctx, e->lhs->str, e->str, arg, out, msg, msglen);
	return true;
}

static enum step eval(struct run_ctx *ctx, const struct expr *e, bool subject_position,
		      struct value *out, char *msg, size_t msglen)
{
	const struct subject *subj = NULL;
	const struct value *v;
	enum step st;

	if (eval_process(ctx, e, out, msg, msglen, &st))
		return st;

	if (subject_position && e->kind == EXPR_WORD)
		subj = subject_find(e->str);
	if (e->kind == EXPR_CALL && e->lhs->kind == EXPR_WORD)
		subj = subject_find(e->lhs->str);	/* resolve made sure it is one */
	if (subj)
		return subj->eval ? subj->eval(ctx, e->kind == EXPR_CALL ? e->args[0].value : NULL,
					       out, msg, msglen) :
				    guest_text(ctx, subj->request, out, msg, msglen);

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
	case EXPR_MEMBER:
		return eval_member(ctx, e, subject_position, out, msg, msglen);
	case EXPR_UNARY:
	case EXPR_BINARY:
		return eval_arith(ctx, e, out, msg, msglen);
	default:
		return fail(msg, msglen, "%s", "expression form not supported");
	}
}

enum step eval_expr(struct run_ctx *ctx, const struct expr *e, struct value *out,
		    char *msg, size_t msglen)
{
	return eval(ctx, e, false, out, msg, msglen);
}

enum step eval_subject(struct run_ctx *ctx, const struct expr *e, struct value *out,
		       char *msg, size_t msglen)
{
	return eval(ctx, e, true, out, msg, msglen);
}

enum step eval_num(struct run_ctx *ctx, const struct expr *e, const char *key, uint64_t dflt,
		   uint64_t *out, char *msg, size_t msglen)
{
	struct value v = { 0 };
	enum step st;

	*out = dflt;
	if (!e)
		return STEP_OK;
	st = eval_expr(ctx, e, &v, msg, msglen);
	if (st == STEP_OK && v.kind != VAL_NUM) {
		if (key)
			snprintf(msg, msglen, "%s= takes a number", key);
		else
			snprintf(msg, msglen, "expected a number");
		st = STEP_FAILED;
	}
	*out = v.num;
	value_free(&v);
	return st;
}
