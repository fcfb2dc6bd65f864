// SPDX-License-Identifier: MIT
/* The shapes of command arguments, checked before boot (args.h). */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "eval.h"
#include "registry.h"
#include "scope.h"
#include "shared/channel.h"
#include "shared/gfp.h"

int want_args(const struct stmt *s, size_t lo, size_t hi, struct scenario_error *err)
{
	const struct command *c = command_find(s->name);

	if (s->nargs >= lo && s->nargs <= hi)
		return 0;
	scenario_error_at(err, s, s->nargs > hi ? s->args[hi].pos : s->name_pos,
			  "too %s arguments; usage: %s", s->nargs > hi ? "many" : "few", c->usage);
	return -1;
}

int want_value(const struct scope *sc, const struct stmt *s, size_t i,
	       struct scenario_error *err)
{
	if (s->args[i].kind != ARG_VALUE) {
		scenario_error_at(err, s, s->args[i].pos, "expected a value here");
		return -1;
	}
	return expr_resolve(sc, s, s->args[i].value, false, err);
}

int want_keys(const struct stmt *s, size_t first, const char *const *keys,
	      struct scenario_error *err)
{
	const struct command *c = command_find(s->name);

	for (size_t i = first; i < s->nargs; i++) {
		const char *const *k = keys;

		while (*k && (s->args[i].kind != ARG_KEYED || strcmp(*k, s->args[i].key)))
			k++;
		if (!*k || keyed_arg(s, *k) != &s->args[i]) {
			scenario_error_at(err, s, s->args[i].pos, "%s here; usage: %s",
					  *k ? "this option is given twice" : "unexpected argument",
					  c->usage);
			return -1;
		}
	}
	return 0;
}

const struct arg *keyed_arg(const struct stmt *s, const char *key)
{
	for (size_t i = 0; i < s->nargs; i++)
		if (s->args[i].kind == ARG_KEYED && !strcmp(s->args[i].key, key))
			return &s->args[i];
	return NULL;
}

const struct expr *opt_value(const struct stmt *s, const char *key)
{
	const struct arg *a = keyed_arg(s, key);

	return a ? a->value : NULL;
}

int want_request_fits(const struct stmt *s, size_t i, struct scenario_error *err)
{
	const struct expr *e = s->args[i].value;
	size_t len = e->kind == EXPR_WORD || e->kind == EXPR_STRING ? strlen(e->str) : 0;

	if (len <= VMM_REQ_DATA_SIZE)
		return 0;
	scenario_error_at(err, s, s->args[i].pos, "%zu bytes: a request carries at most %u",
			  len, VMM_REQ_DATA_SIZE);
	return -1;
}

static const struct flag_name *flag_find(const struct flag_name *t, const char *name)
{
	for (; t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

int flags_resolve(const struct stmt *s, const struct expr *e, const struct flag_name *table,
		  struct scenario_error *err)
{
	if (e->kind == EXPR_BINARY && e->op == '|')
		return flags_resolve(s, e->lhs, table, err) ?: flags_resolve(s, e->rhs, table, err);
	if (e->kind == EXPR_NUMBER || (e->kind == EXPR_WORD && flag_find(table, e->str)))
		return 0;
	scenario_error_at(err, s, e->pos, "'%.48s' is not a flag here (flags are names such as "
			  "GFP_KERNEL or numbers, joined with |)", e->kind == EXPR_WORD ? e->str : "this");
	return -1;
}

/* Only after flags_resolve() accepted e. */
uint64_t flags_eval(const struct expr *e, const struct flag_name *table)
{
	if (e->kind == EXPR_BINARY)
		return flags_eval(e->lhs, table) | flags_eval(e->rhs, table);
	if (e->kind == EXPR_NUMBER)
		return e->number;
	return flag_find(table, e->str)->value;
}

const struct flag_name gfp_flags[] = {
	{ "GFP_KERNEL", GFP_KERNEL }, { "GFP_ATOMIC", GFP_ATOMIC }, { "GFP_USER", GFP_USER },
	{ "GFP_NOWAIT", GFP_NOWAIT }, { "GFP_DMA", GFP_DMA }, { "GFP_DMA32", GFP_DMA32 },
	{ "__GFP_DMA", __GFP_DMA }, { "__GFP_DMA32", __GFP_DMA32 }, { "__GFP_HIGH", __GFP_HIGH },
	{ "__GFP_IO", __GFP_IO }, { "__GFP_FS", __GFP_FS }, { "__GFP_ZERO", __GFP_ZERO },
	{ "__GFP_NOWARN", __GFP_NOWARN }, { "__GFP_RECLAIM", __GFP_RECLAIM },
	{ "__GFP_DIRECT_RECLAIM", __GFP_DIRECT_RECLAIM },
	{ "__GFP_KSWAPD_RECLAIM", __GFP_KSWAPD_RECLAIM }, { "__GFP_HARDWALL", __GFP_HARDWALL },
	{ NULL, 0 },
};

/* ---- naming processes ---- */

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
