/* SPDX-License-Identifier: MIT */
/*
 * The shapes of command arguments, for resolve functions: checked before
 * boot, so a mistake is reported at its file:line:column.
 */
#ifndef HOST_ENGINE_ARGS_H
#define HOST_ENGINE_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "scenario/scenario.h"
#include "scope.h"

int want_args(const struct stmt *s, size_t lo, size_t hi, struct scenario_error *err);
int want_value(const struct scope *sc, const struct stmt *s, size_t i,
	       struct scenario_error *err);
/* Keyed arguments: each key must be one of keys; returns the arg or NULL. */
int want_keys(const struct stmt *s, size_t first, const char *const *keys,
	      struct scenario_error *err);
const struct arg *keyed_arg(const struct stmt *s, const char *key);
/* The value of option key, or NULL when it is not given. */
const struct expr *opt_value(const struct stmt *s, const char *key);
/* A literal text argument the request carries must fit its req_data. */
int want_request_fits(const struct stmt *s, size_t i, struct scenario_error *err);

/* Named bits a command accepts in a flags argument (gfp=GFP_KERNEL|__GFP_ZERO). */
struct flag_name {
	const char *name;
	uint64_t value;
};

/* A flags argument: numbers and names from table (NULL-name ended), joined with '|'. */
int flags_resolve(const struct stmt *s, const struct expr *e, const struct flag_name *table,
		  struct scenario_error *err);
uint64_t flags_eval(const struct expr *e, const struct flag_name *table);

/* The GFP flags, by their names in Linux. */
extern const struct flag_name gfp_flags[];

/* Argument i is a bare word; a name no process has yet. */
int want_word(const struct stmt *s, size_t i, const char *what, struct scenario_error *err);
int want_new_process(const struct scope *sc, const struct stmt *s, size_t i,
		     struct scenario_error *err);
/* `CMD PARENT -> NEW`: fork and clone. */
int parent_child_resolve(const struct scope *sc, const struct stmt *s,
			 struct scenario_error *err);

#endif
