/* SPDX-License-Identifier: MIT */
/*
 * Running a parsed scenario against a real guest.
 *
 * scenario_run() resolves every statement first (command names, argument
 * shapes, subjects) so that a mistake anywhere in the file is reported at
 * its file:line:column before a VM exists.  Then it boots the guest and
 * executes the statements in order.
 *
 * Commands and subjects are registered by each subsystem's file
 * (registry.h).
 */
#ifndef HOST_RUN_H
#define HOST_RUN_H

#include <stdbool.h>

#include "vm/guest.h"
#include "vm/machine.h"
#include "vm/profile.h"
#include "report/report.h"
#include "scenario/scenario.h"
#include "value.h"

/* The outcome of one step. */
enum step {
	STEP_OK,
	STEP_FAILED,	/* a failed expectation or command; the run goes on */
	STEP_DEAD,	/* the guest ended; ctx->g.diag says why */
};

struct inject_plan;
struct run_ctx;
struct run_hooks;

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
	const struct inject_plan *inject;	/* --inject: armed before the first statement */
	size_t ninject;
	const struct run_hooks *hooks;	/* an observer of the run (vmm sweep), or NULL */
	void *hooks_arg;
};

/* Called, when set, around each statement and once the statements are done. */
struct run_hooks {
	/* Anything but STEP_OK stands for the statement's own outcome. */
	enum step (*before_stmt)(struct run_ctx *ctx, const struct stmt *s, void *arg);
	void (*after_stmt)(struct run_ctx *ctx, const struct stmt *s, void *arg);
	/* status: the run's exit status so far; the guest may be dead (ctx->g.status). */
	void (*finish)(struct run_ctx *ctx, int status, void *arg);
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
	struct scenario *sc;
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

/*
 * Read the whole file: the machine its vm lines describe, and every
 * statement resolved (command names, argument shapes, subjects, names in
 * scope).  -1 with err at the first mistake; no VM exists yet.
 */
int scenario_resolve(struct scenario *sc, struct machine *m, struct scenario_error *err);
/*
 * For the commands that run a scenario many times (vmm sweep, vmm corrupt):
 * open and resolve file, check opt->kernel, choose the accelerator into
 * opt->accel.  EXIT_PASS, or the exit status with the reason printed
 * ("vmm TOOL: ...") and sc freed.
 */
int scenario_prepare(const char *tool, const char *file, const char *accel,
		     struct scenario *sc, struct machine *m, struct run_options *opt);
/* Boot m and run the resolved statements; the exit status. */
int scenario_run(struct scenario *sc, const struct machine *m, const struct run_options *opt);

#endif
