// SPDX-License-Identifier: MIT
/*
 * The scenario executor: resolve everything, boot, run statement by
 * statement, report.  The exit status is that of the first kind of failure
 * (docs/scenario-language.md, "Results and exit status").
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "cmd_inject.h"
#include "diff.h"
#include "eval.h"
#include "procs.h"
#include "registry.h"

#define MSG_MAX 1024
#define PROFILE_TOP 15		/* functions listed per command by --profile-symbols */

/* ---- resolve: every error in the file before a VM exists --------------- */

static int resolve_command(const struct scope *sc, const struct stmt *s,
			   struct scenario_error *err)
{
	const struct command *c = command_find(s->name);
	char names[256];

	if (!c) {
		command_names(names, sizeof(names), false);
		scenario_error_at(err, s, s->name_pos, "unknown command '%.64s' (known: %s)",
				  s->name, names);
		return -1;
	}
	if (c->in_process && !c->process_optional && !s->process) {
		scenario_error_at(err, s, s->name_pos, "%s runs in a process: write 'A: %s ...'",
				  s->name, s->name);
		return -1;
	}
	if (c->resolve)
		return c->resolve(sc, s, err);
	if (s->nargs) {
		scenario_error_at(err, s, s->args[0].pos, "%s takes no arguments", s->name);
		return -1;
	}
	return 0;
}

/* The pattern of `expect X =~ "..."`, when it is written in the file, compiles. */
static int resolve_regex(const struct stmt *s, struct scenario_error *err)
{
	const struct expr *e = s->value;
	char why[128];
	regex_t re;
	int r;

	if (s->op != CMP_MATCH || (e->kind != EXPR_STRING && e->kind != EXPR_WORD))
		return 0;
	r = regcomp(&re, e->str, REG_EXTENDED | REG_NOSUB | REG_NEWLINE);
	if (!r) {
		regfree(&re);
		return 0;
	}
	regerror(r, &re, why, sizeof(why));
	scenario_error_at(err, s, e->pos, "bad regular expression: %s", why);
	return -1;
}

static int resolve_stmt(const struct scope *sc, const struct stmt *s,
			struct scenario_error *err)
{
	char names[128];

	if (s->process && (s->kind != STMT_COMMAND || !command_find(s->name) ||
			   !command_find(s->name)->in_process)) {
		command_names(names, sizeof(names), true);
		scenario_error_at(err, s, s->pos, "only commands that run in a process (%s) take a "
				  "'P:' prefix", names);
		return -1;
	}
	if (s->process && !scope_has_process(sc, s->process)) {
		scenario_error_at(err, s, s->pos, "no process %.32s: create it first with "
				  "'spawn %.32s'", s->process, s->process);
		return -1;
	}
	switch (s->kind) {
	case STMT_VM:
		return 0;
	case STMT_COMMAND:
		return resolve_command(sc, s, err);
	case STMT_EXPECT:
		return expr_resolve(sc, s, s->subject, true, err) ?:
		       expr_resolve(sc, s, s->value, false, err) ?: resolve_regex(s, err);
	case STMT_SHOW:
		return expr_resolve(sc, s, s->subject, true, err);
	case STMT_CHECK:
		if (s->nargs) {
			scenario_error_at(err, s, s->args[0].pos, "check takes no arguments");
			return -1;
		}
	}
	return 0;
}

/*
 * Every statement, window by window, in order: each sees the names and
 * processes of the statements before it.
 */
static int resolve_window(const struct scenario *sc, struct scope *scope,
			  struct scenario_error *err)
{
	for (size_t i = 0; i < sc->nstmts; i++) {
		const struct stmt *s = &sc->stmts[i];

		if (resolve_stmt(scope, s, err))
			return -1;
		if (!scope_enter(scope, s)) {
			scenario_error_at(err, s, s->pos, "out of memory");
			return -1;
		}
	}
	return 0;
}

static int resolve_all(struct scenario *sc, struct scenario_error *err)
{
	struct scope scope = { 0 };
	long n = scenario_first(sc, SCENARIO_WINDOW, err);

	while (n > 0 && !resolve_window(sc, &scope, err))
		n = scenario_next(sc, SCENARIO_WINDOW, err);
	scope_free(&scope);
	return n ? -1 : 0;
}

/* ---- execution ------------------------------------------------------------ */

static void bind(struct run_ctx *ctx, const char *name, struct value *v)
{
	struct binding *b = realloc(ctx->binds, (ctx->nbinds + 1) * sizeof(*b));
	char *n = strdup(name);

	if (!b || !n) {
		free(n);
		if (b)
			ctx->binds = b;
		value_free(v);
		return;
	}
	ctx->binds = b;
	b[ctx->nbinds++] = (struct binding){ n, *v };
	*v = (struct value){ 0 };
}

static bool compare_num(enum cmp_op op, uint64_t a, uint64_t b)
{
	switch (op) {
	case CMP_EQ: return a == b;
	case CMP_NE: return a != b;
	case CMP_LT: return a < b;
	case CMP_LE: return a <= b;
	case CMP_GT: return a > b;
	case CMP_GE: return a >= b;
	default: return false;
	}
}

static int regex_match(const char *pattern, const char *text, FILE *why)
{
	regex_t re;
	int r = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB | REG_NEWLINE);

	if (r) {
		char buf[256];

		regerror(r, &re, buf, sizeof(buf));
		fprintf(why, "bad regular expression: %s\n", buf);
		return -1;
	}
	r = regexec(&re, text, 0, NULL, 0) == 0;
	regfree(&re);
	return r;
}

/* Compare actual (subject) with expected (value); explain a mismatch in why. */
static bool compare(enum cmp_op op, const struct value *actual, const struct value *expected,
		    FILE *why)
{
	char a[256], e[256];

	if (actual->kind == VAL_NUM && expected->kind == VAL_NUM && op != CMP_MATCH) {
		if (compare_num(op, actual->num, expected->num))
			return true;
		value_format(expected, e, sizeof(e));
		value_format(actual, a, sizeof(a));
		fprintf(why, "expected: %s %s\nactual:   %s\n", cmp_op_str(op), e, a);
		return false;
	}
	if (actual->kind != VAL_TEXT || expected->kind != VAL_TEXT) {
		fprintf(why, "cannot compare %s with %s using %s\n",
			actual->kind == VAL_NUM ? "a number" : "a text",
			expected->kind == VAL_NUM ? "a number" : "a text", cmp_op_str(op));
		return false;
	}
	if (op == CMP_MATCH) {
		int r = regex_match(expected->text, actual->text, why);

		if (r == 0)
			fprintf(why, "no match for /%s/ in:\n%s\n", expected->text, actual->text);
		return r == 1;
	}
	if (op != CMP_EQ && op != CMP_NE) {
		fprintf(why, "texts compare only with ==, != and =~\n");
		return false;
	}
	if ((actual->len == expected->len && !memcmp(actual->text, expected->text, actual->len)) ==
	    (op == CMP_EQ))
		return true;
	if (op == CMP_NE) {
		fprintf(why, "the text is exactly the one it should not be\n");
		return false;
	}
	fprintf(why, "text differs (- expected, + actual):\n");
	text_diff(why, "", expected->text, expected->len, actual->text, actual->len);
	return false;
}

static enum step exec_expect(struct run_ctx *ctx, const struct stmt *s)
{
	struct value actual = { 0 }, expected = { 0 };
	char msg[MSG_MAX] = "", *why = NULL;
	size_t len;
	enum step st = eval_subject(ctx, s->subject, &actual, msg, sizeof(msg));
	bool ok = false;
	FILE *f;

	if (st == STEP_OK)
		st = eval_expr(ctx, s->value, &expected, msg, sizeof(msg));
	if (st == STEP_DEAD)
		return st;
	f = open_memstream(&why, &len);
	if (f) {
		if (st == STEP_OK)
			ok = compare(s->op, &actual, &expected, f);
		else
			fprintf(f, "%s\n", msg);
		fclose(f);
	}
	report_point(ctx->rep, s, ok, why ? why : msg);
	free(why);
	value_free(&actual);
	value_free(&expected);
	return ok ? STEP_OK : STEP_FAILED;
}

/* A number alone, or with its fields one per line: `show zone(DMA)`. */
static void show_fields(struct run_ctx *ctx, const struct stmt *s, const struct value *v,
			char *text, size_t size)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	value_format(v, text, size);
	f = v->nfields ? open_memstream(&buf, &len) : NULL;
	if (!f) {
		report_show(ctx->rep, s, text, strlen(text));
		return;
	}
	fprintf(f, "%s\n", text);
	for (size_t i = 0; i < v->nfields; i++) {
		value_format(&v->fields[i].value, text, size);
		fprintf(f, "  .%s = %s\n", v->fields[i].name, text);
	}
	fclose(f);
	report_show(ctx->rep, s, buf, len);
	free(buf);
}

static enum step exec_show(struct run_ctx *ctx, const struct stmt *s)
{
	struct value v = { 0 };
	char msg[MSG_MAX] = "", text[256];
	enum step st = eval_subject(ctx, s->subject, &v, msg, sizeof(msg));

	if (st == STEP_OK && v.kind == VAL_TEXT) {
		report_show(ctx->rep, s, v.text, v.len);
	} else if (st == STEP_OK) {
		show_fields(ctx, s, &v, text, sizeof(text));
	} else if (st == STEP_FAILED) {
		report_point(ctx->rep, s, false, msg);
	}
	value_free(&v);
	return st;
}

static enum step exec_check(struct run_ctx *ctx, const struct stmt *s, bool quiet_pass)
{
	char *findings = NULL;
	enum step st = verify_check(ctx, &findings);

	if (st != STEP_DEAD && !(quiet_pass && st == STEP_OK))
		report_point(ctx->rep, s, st == STEP_OK, findings);
	free(findings);
	return st;
}

/*
 * --profile-symbols: single-step the command itself, not the boot before
 * it nor the `check` after it.  Profiling is a diagnosis, not a result: if
 * the accelerator will not single-step, say so once and go on without it.
 */
static void profile_command_begin(struct run_ctx *ctx)
{
	char why[256];

	if (!ctx->profiling)
		return;
	profile_reset(&ctx->prof);
	if (!guest_profile(&ctx->g, &ctx->prof, why, sizeof(why)))
		return;
	report_note(ctx->rep, "profile: %s; no per-function profile", why);
	ctx->profiling = false;
}

/* A failure to turn stepping off only costs time: the next reset clears the steps. */
static void profile_command_end(struct run_ctx *ctx)
{
	if (!ctx->profiling)
		return;
	guest_profile(&ctx->g, NULL, NULL, 0);
	profile_report(&ctx->prof, ctx->rep, PROFILE_TOP);
}

static enum step exec_command(struct run_ctx *ctx, const struct stmt *s)
{
	const struct command *c = command_find(s->name);
	struct value result = { 0 };
	char msg[MSG_MAX] = "";
	uint64_t exits = ctx->g.exits;
	int64_t insns = guest_instructions(&ctx->g);
	enum step st;

	profile_command_begin(ctx);
	st = c->run(ctx, s, &result, msg, sizeof(msg));
	ctx->commands++;
	exits = ctx->g.exits - exits;
	ctx->command_exits += exits;
	if (insns >= 0)
		insns = guest_instructions(&ctx->g) - insns;
	if (insns < 0 || ctx->command_insns < 0)
		ctx->command_insns = -1;
	else
		ctx->command_insns += insns;
	if (ctx->opt->profile && insns >= 0)
		report_note(ctx->rep, "profile %s:%u %s: %llu exits, %lld guest instructions",
			    ctx->rep->file, s->pos.line, s->name, (unsigned long long)exits,
			    (long long)insns);
	else if (ctx->opt->profile)
		report_note(ctx->rep, "profile %s:%u %s: %llu exits (%s counts no instructions)",
			    ctx->rep->file, s->pos.line, s->name, (unsigned long long)exits,
			    ctx->g.accel.ops->name);
	profile_command_end(ctx);
	if (st == STEP_FAILED)
		report_point(ctx->rep, s, false, msg);
	if (st == STEP_OK && s->bind)
		bind(ctx, s->bind, &result);
	value_free(&result);
	if (st == STEP_OK && ctx->opt->check_each)
		st = exec_check(ctx, s, true);
	return st;
}

static enum step exec_stmt(struct run_ctx *ctx, const struct stmt *s)
{
	switch (s->kind) {
	case STMT_COMMAND:
		return exec_command(ctx, s);
	case STMT_EXPECT:
		return exec_expect(ctx, s);
	case STMT_SHOW:
		return exec_show(ctx, s);
	case STMT_CHECK:
		return exec_check(ctx, s, false);
	case STMT_VM:
		break;
	}
	return STEP_OK;
}

static int dead_status(const struct guest *g)
{
	return g->status == GUEST_TIMEOUT ? EXIT_TIMEOUT : EXIT_CRASH;
}

static void console_cb(void *arg, const char *line, size_t len)
{
	report_console(((struct run_ctx *)arg)->rep, line, len);
}

/* The guest caught a bug in itself: keep the last slab report for `expect slab_report`. */
static void report_cb(void *arg, const struct vmm_message *m, const char *text)
{
	struct run_ctx *ctx = arg;

	report_console(ctx->rep, text, strlen(text));
	if (m->val[0] != VMM_REPORT_SLAB)
		return;
	ctx->slab_reports++;
	ctx->last_slab = *m;
	snprintf(ctx->last_slab_text, sizeof(ctx->last_slab_text), "%s", text);
}

static void note_boot(struct run_ctx *ctx, const struct machine *m)
{
	int64_t insns = guest_instructions(&ctx->g);
	char insn_text[64] = "";

	if (insns >= 0)
		snprintf(insn_text, sizeof(insn_text), ", %lld guest instructions",
			 (long long)insns);
	report_note(ctx->rep, "booted a %llu MiB guest in %.1f ms (%llu exits%s) on %s",
		    (unsigned long long)(m->memory >> 20), ctx->g.boot_ms,
		    (unsigned long long)ctx->g.exits, insn_text, ctx->g.accel.description);
}

/* --inject: the plans are in force from the first statement on. */
static enum step arm_plans(struct run_ctx *ctx)
{
	char msg[256];

	for (size_t i = 0; i < ctx->opt->ninject; i++) {
		enum step st = inject_apply(ctx, &ctx->opt->inject[i], msg, sizeof(msg));

		if (st != STEP_OK) {
			report_abort(ctx->rep, NULL, st == STEP_DEAD ? ctx->g.diag : msg);
			return st;
		}
	}
	return STEP_OK;
}

/* One window's statements; false when the run ends here. */
static bool run_window(struct run_ctx *ctx, int *status)
{
	const struct run_hooks *hooks = ctx->opt->hooks;
	enum step st;

	for (size_t i = 0; i < ctx->sc->nstmts; i++) {
		const struct stmt *s = &ctx->sc->stmts[i];

		st = hooks && hooks->before_stmt ? hooks->before_stmt(ctx, s, ctx->opt->hooks_arg) :
		     STEP_OK;
		if (st == STEP_OK)
			st = exec_stmt(ctx, s);
		if (hooks && hooks->after_stmt && st != STEP_DEAD)
			hooks->after_stmt(ctx, s, ctx->opt->hooks_arg);
		if (st == STEP_DEAD) {
			report_abort(ctx->rep, s, ctx->g.diag);
			*status = *status ?: dead_status(&ctx->g);
			return false;
		}
		if (st == STEP_FAILED && !*status)
			*status = EXIT_FAILED;
		if (st == STEP_FAILED && ctx->opt->fail_fast)
			return false;
	}
	return true;
}

/* The file was read whole before boot, so reading it again cannot fail. */
static int run_statements(struct run_ctx *ctx)
{
	struct scenario_error err;
	int status = EXIT_PASS;
	enum step st = arm_plans(ctx);
	long n;

	if (st != STEP_OK)
		return st == STEP_DEAD ? dead_status(&ctx->g) : EXIT_FAILED;
	n = scenario_first(ctx->sc, SCENARIO_WINDOW, &err);
	for (; n > 0 && run_window(ctx, &status); n = scenario_next(ctx->sc, SCENARIO_WINDOW, &err))
		;
	return status;
}

/* The histogram needs the kernel's symbols, which boot loaded. */
static void profile_setup(struct run_ctx *ctx)
{
	if (!ctx->opt->profile_symbols)
		return;
	ctx->profiling = !profile_init(&ctx->prof, &ctx->g.img);
	if (!ctx->profiling)
		report_note(ctx->rep, "profile: out of memory; no per-function profile");
}

static int boot(struct run_ctx *ctx, const struct machine *m)
{
	const struct guest_options gopt = {
		.accel = ctx->opt->accel,
		.kernel = ctx->opt->kernel,
		.timeout_ms = ctx->opt->timeout_ms,
		.run_timeout_ms = ctx->opt->run_timeout_ms ?: RUN_TIMEOUT_DEFAULT_MS,
		.count_instructions = ctx->opt->profile,
		.console = console_cb,
		.report = report_cb,
		.ctx = ctx,
	};

	switch (guest_boot(&ctx->g, m, &gopt)) {
	case GUEST_OK:
		ctx->booted = true;
		note_boot(ctx, m);
		profile_setup(ctx);
		return EXIT_PASS;
	case GUEST_NO_ACCEL:
		fprintf(stderr, "vmm: %s", ctx->g.diag);
		return EXIT_NO_ACCEL;
	case GUEST_SETUP:
		fprintf(stderr, "vmm: %s", ctx->g.diag);
		return EXIT_USAGE;
	default:
		report_abort(ctx->rep, NULL, ctx->g.diag);
		return dead_status(&ctx->g);
	}
}

int scenario_resolve(struct scenario *sc, struct machine *m, struct scenario_error *err)
{
	memset(err, 0, sizeof(*err));
	return machine_configure(sc, m, err) || resolve_all(sc, err) ? -1 : 0;
}

int scenario_run(struct scenario *sc, const struct machine *m, const struct run_options *opt)
{
	struct run_ctx ctx = { .sc = sc, .opt = opt, .rep = opt->report };
	int status;

	report_begin(ctx.rep);
	status = boot(&ctx, m);
	if (status == EXIT_NO_ACCEL || status == EXIT_USAGE) {
		guest_destroy(&ctx.g);
		return status;
	}
	if (ctx.booted)
		status = run_statements(&ctx);
	if (ctx.booted && opt->hooks && opt->hooks->finish)
		opt->hooks->finish(&ctx, status, opt->hooks_arg);
	if (ctx.commands && ctx.command_insns >= 0)
		report_note(ctx.rep, "%u commands: %llu exits (%.1f per command), "
			    "%lld guest instructions (%.0f per command)", ctx.commands,
			    (unsigned long long)ctx.command_exits,
			    (double)ctx.command_exits / ctx.commands, (long long)ctx.command_insns,
			    (double)ctx.command_insns / ctx.commands);
	else if (ctx.commands)
		report_note(ctx.rep, "%u commands: %llu exits (%.1f per command)", ctx.commands,
			    (unsigned long long)ctx.command_exits,
			    (double)ctx.command_exits / ctx.commands);
	if (report_end(ctx.rep) && !status)
		status = EXIT_USAGE;
	guest_destroy(&ctx.g);
	profile_free(&ctx.prof);
	for (size_t i = 0; i < ctx.nbinds; i++) {
		free(ctx.binds[i].name);
		value_free(&ctx.binds[i].value);
	}
	free(ctx.binds);
	for (size_t i = 0; i < ctx.nprocs; i++)
		free(ctx.procs[i].name);
	free(ctx.procs);
	return status;
}

int scenario_prepare(const char *tool, const char *file, const char *accel,
		     struct scenario *sc, struct machine *m, struct run_options *opt)
{
	struct scenario_error err;
	char why[1024];

	if (scenario_open_file(file, sc, &err) || scenario_resolve(sc, m, &err)) {
		scenario_error_print(&err, stderr);
		scenario_free(sc);
		return EXIT_USAGE;
	}
	if (guest_check_kernel(opt->kernel, why, sizeof(why))) {
		fprintf(stderr, "vmm %s: %s\n", tool, why);
		scenario_free(sc);
		return EXIT_USAGE;
	}
	opt->accel = accel_choose(accel && *accel ? accel : "auto", why, sizeof(why));
	if (!opt->accel) {
		fprintf(stderr, "vmm %s: no accelerator: %s\n", tool, why);
		scenario_free(sc);
		return EXIT_NO_ACCEL;
	}
	return EXIT_PASS;
}
