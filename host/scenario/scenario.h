/* SPDX-License-Identifier: MIT */
/*
 * Scenario files: the syntax tree the parser builds and the executor runs.
 *
 * The parser is purely syntactic.  It knows the statement forms (vm, expect,
 * show, check, commands and `name = command` bindings, an optional `P:`
 * process prefix) and the expression grammar; it does not know which
 * commands exist.  The executor resolves command names and arguments in a
 * second pass, before the guest boots, so every error in a file is reported
 * with its file:line:column without starting a VM.
 *
 * Language reference: docs/scenario-language.md.
 */
#ifndef HOST_SCENARIO_H
#define HOST_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct src_pos {
	const char *file;	/* points into struct scenario.file */
	unsigned line;		/* 1-based */
	unsigned col;		/* 1-based, in bytes */
};

enum expr_kind {
	EXPR_NUMBER,	/* 42, 0x1000, 64K, 2M, 1G          -> number */
	EXPR_STRING,	/* "text" with \n \t \\ \" escapes  -> str */
	EXPR_WORD,	/* a bare word: panic, GFP_KERNEL   -> str */
	EXPR_VAR,	/* $name                            -> str (name) */
	EXPR_UNARY,	/* -x, +x                           -> op, lhs */
	EXPR_BINARY,	/* x + y, x - y, x * y, x | y       -> op, lhs, rhs */
	EXPR_MEMBER,	/* x.name                           -> lhs, str */
	EXPR_CALL,	/* x(args)                          -> lhs, args */
	EXPR_TEXT,	/* a here-document body             -> str */
};

/* Nodes, their arrays and their strings live in the scenario's blocks. */
struct expr {
	enum expr_kind kind;
	char op;			/* '+', '-', '*', '|' */
	struct src_pos pos;
	uint64_t number;
	char *str;
	struct expr *lhs, *rhs;
	struct arg *args;		/* EXPR_CALL */
	size_t nargs;
};

enum arg_kind {
	ARG_VALUE,	/* expr */
	ARG_KEYED,	/* key=expr */
	ARG_ARROW,	/* the token ->, as in `fork A -> B` */
};

struct arg {
	enum arg_kind kind;
	struct src_pos pos;
	char *key;			/* ARG_KEYED */
	struct expr *value;		/* ARG_VALUE, ARG_KEYED */
};

enum cmp_op { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE, CMP_MATCH };

enum stmt_kind {
	STMT_VM,	/* vm key=word ...: raw words, the machine config parses */
	STMT_COMMAND,	/* [bind =] name args... */
	STMT_EXPECT,	/* expect subject op value */
	STMT_SHOW,	/* show subject */
	STMT_CHECK,	/* check [args] */
};

struct vm_option {
	char *key;
	char *value;			/* raw text after '=' up to blank */
	struct src_pos pos;		/* of the key */
	struct src_pos value_pos;
};

struct stmt {
	enum stmt_kind kind;
	enum cmp_op op;			/* STMT_EXPECT */
	struct src_pos pos;		/* first token of the statement */
	char *text;			/* the statement's source line */
	char *process;			/* `A:` prefix or NULL */
	char *bind;			/* `name =` or NULL */
	char *name;			/* command name (STMT_COMMAND) */
	struct src_pos name_pos;
	struct arg *args;		/* STMT_COMMAND, STMT_CHECK */
	size_t nargs;
	struct expr *subject;		/* STMT_EXPECT, STMT_SHOW */
	struct src_pos op_pos;
	struct expr *value;		/* STMT_EXPECT */
	struct vm_option *options;	/* STMT_VM */
	size_t noptions;
};

struct scenario_block;
struct scenario_source;

/*
 * A parsed scenario, or an opened one read a window of statements at a
 * time: a 60 MB file then costs its text and one window, not a tree of
 * every statement.
 */
struct scenario {
	char *file;			/* owned copy of the path */
	struct stmt *stmts;		/* the window: the statements parsed last */
	size_t nstmts;
	struct scenario_block *blocks;	/* what the statements point to */
	struct scenario_source *src;	/* an opened file's text; NULL: all is in stmts */
};

struct scenario_error {
	struct src_pos pos;
	char msg[256];
	char line[256];			/* the offending source line, for a caret */
};

/*
 * Parse `len` bytes of `text` read from `file`.  Returns 0 and fills `out`,
 * or -1 with `err` describing the first error.  Never reads past `len`; the
 * text need not be NUL-terminated and may contain any bytes.
 */
int scenario_parse(const char *file, const char *text, size_t len,
		   struct scenario *out, struct scenario_error *err);
int scenario_parse_file(const char *path, struct scenario *out,
			struct scenario_error *err);
/*
 * Open a regular file as a scenario without parsing it yet; `path` must
 * outlive the scenario (errors point at it).  Then read it window by window:
 *
 *	for (n = scenario_first(sc, W, err); n > 0; n = scenario_next(sc, W, err))
 *		... sc->stmts[0 .. sc->nstmts) ...
 *
 * Each call replaces the window with up to max statements and returns how
 * many, 0 at the end, -1 with err on the first error.  scenario_first()
 * starts again from the top.  A scenario from scenario_parse() is one
 * window, all of it.
 */
/*
 * The window the host reads statements in: a window's syntax trees cost
 * some 300 bytes a statement, the file's text its own bytes.
 */
#define SCENARIO_WINDOW		4096

int scenario_open_file(const char *path, struct scenario *out, struct scenario_error *err);
long scenario_first(struct scenario *sc, size_t max, struct scenario_error *err);
long scenario_next(struct scenario *sc, size_t max, struct scenario_error *err);
void scenario_free(struct scenario *sc);

/* An error at pos inside statement s, found after parsing. */
void scenario_error_at(struct scenario_error *err, const struct stmt *s, struct src_pos pos,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* "file:line:col: error: msg\n  line\n  ^" to `f`. */
void scenario_error_print(const struct scenario_error *err, FILE *f);

const char *cmp_op_str(enum cmp_op op);

/* Format an expression back into source form (for messages). */
size_t expr_format(const struct expr *e, char *buf, size_t size);

#endif
