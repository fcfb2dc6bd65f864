/* SPDX-License-Identifier: MIT */
/* Expressions: resolved before boot, evaluated during the run (eval.c). */
#ifndef HOST_ENGINE_EVAL_H
#define HOST_ENGINE_EVAL_H

#include <stdbool.h>

#include "run.h"
#include "scope.h"

/* Evaluate an expression; bare words are text.  On failure, msg says why. */
enum step eval_expr(struct run_ctx *ctx, const struct expr *e, struct value *out,
		    char *msg, size_t msglen);
/* The same, except that a bare word names a subject (expect/show SUBJECT). */
enum step eval_subject(struct run_ctx *ctx, const struct expr *e, struct value *out,
		       char *msg, size_t msglen);
/*
 * e's value, which must be a number, into *out; dflt when e is NULL (an
 * option not given).  key names the option in the error, if it is one.
 */
enum step eval_num(struct run_ctx *ctx, const struct expr *e, const char *key, uint64_t dflt,
		   uint64_t *out, char *msg, size_t msglen);
/*
 * Does the expression only use forms the evaluator knows, and members its
 * values have?  For resolve time; sc and s locate the bindings in scope.
 */
int expr_resolve(const struct scope *sc, const struct stmt *s, const struct expr *e,
		 bool subject_position, struct scenario_error *err);

#endif
