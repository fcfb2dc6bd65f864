/* SPDX-License-Identifier: MIT */
/*
 * Running a parsed scenario against a real guest.
 *
 * scenario_run() resolves every statement first (command names, argument
 * shapes, subjects) so that a mistake anywhere in the file is reported at
 * its file:line:column before a VM exists.  Then it boots the guest and
 * executes the statements in order.
 *
 * Commands (commands.c) and subjects (subjects.c) are tables: adding one is
 * adding a row and a function, and documenting it in
 * docs/scenario-language.md.
 */
#ifndef HOST_RUN_H
#define HOST_RUN_H

#include <stdbool.h>

#include "guest.h"
#include "profile.h"
#include "report.h"
#include "scenario.h"
#include "value.h"

struct run_options {
	const struct accel_ops *accel;	/* what runs the guest */
	const char *kernel;
	unsigned timeout_ms;
	unsigned run_timeout_ms;	/* the whole run (--run-timeout); 0: RUN_TIMEOUT_DEFAULT_MS */
	bool check_each;		/* run `check` after every command */
	bool fail_fast;
	bool profile;			/* a note per command: exits and guest instructions */
	bool profile_symbols;		/* ... and its instructions by function (profile.h) */
	struct report *report;
};

#define RUN_TIMEOUT_DEFAULT_MS	(600 * 1000)

struct binding {
	char *name;
	struct value value;
};

/* A process the scenario created (spawn, fork), alive or not. */
struct proc {
	char *name;
	int pid;
	bool alive;
	struct vmm_fault fault;		/* how its last user-mode run ended */
};

struct run_ctx {
	const struct scenario *sc;
	const struct run_options *opt;
	struct report *rep;
	struct guest g;
	bool booted;
	struct binding *binds;
	size_t nbinds;
	struct proc *procs;
	size_t nprocs;
	unsigned slab_reports;		/* slab bugs the guest reported */
	struct vmm_message last_slab;	/* the last one */
	char last_slab_text[256];
	unsigned commands;		/* executed, for the per-command statistics */
	uint64_t command_exits;
	int64_t command_insns;		/* guest instructions in commands; -1: not counted */
	bool profiling;			/* --profile-symbols, and the accelerator single-steps */
	struct profile prof;		/* the current command's steps */
};

/* The outcome of one step. */
enum step {
	STEP_OK,
	STEP_FAILED,	/* a failed expectation or command; the run goes on */
	STEP_DEAD,	/* the guest ended; ctx->g.diag says why */
};

struct command {
	const char *name;
	const char *usage;
	const char *const *fields;	/* of its result ($x.field), NULL-ended; or NULL */
	/* Argument checks before boot; NULL accepts no arguments. */
	int (*resolve)(const struct scenario *sc, const struct stmt *s, struct scenario_error *err);
	/* Run it; a command with a result stores it in *result. */
	enum step (*run)(struct run_ctx *ctx, const struct stmt *s, struct value *result,
			 char *msg, size_t msglen);
	bool in_process;		/* runs in a process: takes the `P:` prefix */
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
};

/* Named bits a command accepts in a flags argument (gfp=GFP_KERNEL|__GFP_ZERO). */
struct flag_name {
	const char *name;
	uint64_t value;
};

const struct command *command_find(const char *name);
const struct subject *subject_find(const char *name);
/* "echo, provoke" for error messages. */
void command_names(char *buf, size_t size);
void subject_names(char *buf, size_t size);

/* Evaluate an expression; bare words are text.  On failure, msg says why. */
enum step eval_expr(struct run_ctx *ctx, const struct expr *e, struct value *out,
		    char *msg, size_t msglen);
/* The same, except that a bare word names a subject (expect/show SUBJECT). */
enum step eval_subject(struct run_ctx *ctx, const struct expr *e, struct value *out,
		       char *msg, size_t msglen);
/*
 * Does the expression only use forms the evaluator knows, and members its
 * values have?  For resolve time; sc and s locate the bindings in scope.
 */
int expr_resolve(const struct scenario *sc, const struct stmt *s, const struct expr *e,
		 bool subject_position, struct scenario_error *err);
/* A flags argument: numbers and names from table, joined with '|'. */
int flags_resolve(const struct stmt *s, const struct expr *e, const struct flag_name *table,
		  struct scenario_error *err);
uint64_t flags_eval(const struct expr *e, const struct flag_name *table);

/* A guest call that turns a dead guest into STEP_DEAD. */
enum step call_guest(struct run_ctx *ctx, uint32_t code, const uint64_t args[6],
		     const void *data, uint32_t len, struct guest_reply *reply);

/*
 * A reply that failed its check (reply.h): the guest lied about what it
 * sent, so it is ended as a protocol error, and the step is STEP_DEAD.
 */
enum step guest_lied(struct run_ctx *ctx, uint32_t code, const char *why);

/* `check`: the host's independent verification (verify.c). */
enum step verify_check(struct run_ctx *ctx, char **findings);

int scenario_run(const struct scenario *sc, const struct run_options *opt);

#endif
