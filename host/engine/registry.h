/* SPDX-License-Identifier: MIT */
/*
 * The scenario language's vocabulary: commands, subjects and what a
 * process offers (A.field, A.call(ADDR)).
 *
 * Each subsystem's file keeps its own table and registers it with
 * COMMANDS() or SUBJECTS(), so adding a command touches that file and its
 * documentation in docs/scenario-language.md, nothing else.  Tables are
 * registered before main() runs, in link order, which is the order error
 * messages list the names in.
 */
#ifndef HOST_ENGINE_REGISTRY_H
#define HOST_ENGINE_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/kernel.h"
#include "run.h"
#include "scope.h"

struct command {
	const char *name;
	const char *usage;
	const char *const *fields;	/* of its result ($x.field), NULL-ended; or NULL */
	/* Argument checks before boot; NULL accepts no arguments. */
	int (*resolve)(const struct scope *sc, const struct stmt *s, struct scenario_error *err);
	/* Run it; a command with a result stores it in *result. */
	enum step (*run)(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			 char *msg, size_t msglen);
	bool in_process;		/* runs in a process: takes the `P:` prefix */
	bool defines_process;		/* the word of its last argument names a new process */
	const void *priv;		/* what a shared resolve and run need of this row */
	bool process_optional;		/* ... but may run without one */
};

struct subject {
	const char *name;
	const char *arg;		/* what its argument means (`zone(DMA)`), or NULL */
	const char *const *fields;	/* NULL-ended, or NULL for a plain value */
	const char *help;
	/* arg is the argument expression, or NULL for subjects that take none. */
	enum step (*eval)(struct run_ctx *ctx, const struct expr *arg, struct value *out,
			  char *msg, size_t msglen);
	uint32_t request;		/* eval NULL: the text the guest returns to it */
};

/* A.name(ADDR): a call on a process, and the fields of its value. */
struct process_call {
	const char *name;
	const char *const *fields;
};

/* What every process of a scenario offers; one file registers it. */
struct process_subject {
	const char *const *fields;	/* A.field, NULL-ended */
	const struct process_call *calls;	/* A.call(ADDR), ended by a NULL name */
	/* The fields among them whose values have fields (A.active_mm.users), likewise ended. */
	const struct process_call *field_values;
	/* A.field (arg NULL) or A.call(arg), A alive or not. */
	enum step (*eval)(struct run_ctx *ctx, const char *name, const char *field,
			  const struct expr *arg, struct value *out, char *msg, size_t msglen);
};

/* A table row: the fields every command or subject has, then its options. */
#define COMMAND(n, u, f, res, r, ...) \
	{ .name = n, .usage = u, .fields = f, .resolve = res, .run = r, __VA_ARGS__ }
#define SUBJECT(n, a, f, h, ...) \
	{ .name = n, .arg = a, .fields = f, .help = h, __VA_ARGS__ }

void commands_register(const struct command *table, size_t n);
void subjects_register(const struct subject *table, size_t n);
void process_subject_register(const struct process_subject *ps);

#define COMMANDS(table)							\
	static void __attribute__((constructor)) register_##table(void)	\
	{								\
		commands_register(table, ARRAY_SIZE(table));		\
	}
#define SUBJECTS(table)							\
	static void __attribute__((constructor)) register_##table(void)	\
	{								\
		subjects_register(table, ARRAY_SIZE(table));		\
	}

const struct command *command_find(const char *name);
const struct subject *subject_find(const char *name);
/* The process subject; NULL if no file registered one. */
const struct process_subject *process_subject(void);
/* "echo, provoke, ..." for error messages; in_process_only: the `P:` ones. */
void command_names(char *buf, size_t size, bool in_process_only);
void subject_names(char *buf, size_t size);

#endif
