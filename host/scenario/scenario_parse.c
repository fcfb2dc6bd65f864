// SPDX-License-Identifier: MIT
/*
 * Scenario parser: source text to the syntax tree of scenario.h.
 *
 * The input is cut into lines; each non-blank line is one statement, and a
 * here-document also takes the lines of its body.  Within a line a
 * recursive-descent parser pulls tokens from the lexer on demand, because a
 * `vm` line is read as raw KEY=VALUE words, not tokens.  The first error
 * stops the parse: later errors are often echoes of the first.
 *
 * Errors point at the caller's `file` string (err->pos.file), which outlives
 * a failed parse; the tree's positions point at its own copy, sc->file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/kernel.h"
#include "scenario.h"
#include "scenario_lex.h"

#define LINE_MAX_BYTES	65536
#define FILE_MAX_BYTES	(64u << 20)
/*
 * Terms (nodes and parentheses) in one top-level expression.  It bounds the
 * recursion of the parser, of expr_format() and of scenario_free(), so a
 * line of 60000 '(' cannot exhaust the stack.
 */
#define EXPR_MAX_TERMS	1000

struct line {
	const char *s;
	size_t len;		/* without the newline and a CR before it */
	unsigned no;
};

/*
 * Names bound so far, for `undefined name $x`: open addressing.  The set
 * outlives a window of statements, so it owns copies of the names.
 */
struct name_set {
	char **slot;		/* owned */
	size_t cap;		/* a power of two, or 0 */
	size_t count;
};

struct parser {
	const char *path;	/* the caller's, for errors */
	struct scenario *sc;
	struct scenario_error *err;
	bool failed;
	const char *text;
	size_t len;
	size_t next;		/* offset of the next unread line */
	unsigned lineno;
	struct line cur;
	size_t pos;		/* in cur: end of the last consumed token */
	size_t stmt_start;	/* in cur: first token of the statement */
	struct token tok;	/* the token at pos, if have_tok */
	bool have_tok;
	unsigned terms;		/* in the current top-level expression */
	struct name_set names;
	size_t stmt_cap;
	struct scenario_block *spare;	/* emptied blocks of earlier windows */
};

/* ---- memory: allocation failure is not a parse error, so it aborts ---- */

static void *xrealloc(void *ptr, size_t size)
{
	ptr = realloc(ptr, size ? size : 1);
	if (!ptr) {
		fprintf(stderr, "vmm: out of memory\n");
		abort();
	}
	return ptr;
}

static void *xzalloc(size_t size)
{
	return memset(xrealloc(NULL, size), 0, size);
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = xrealloc(NULL, n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* Make room in *arr for element n, doubling the capacity. */
static void *grow(void *arr, size_t n, size_t *cap, size_t elem)
{
	if (n < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 8;
	return xrealloc(arr, *cap * elem);
}

/*
 * The tree's nodes and strings come from big blocks that scenario_free()
 * releases whole.  One malloc() per node cost a 60 MB file of `echo 1`
 * lines some 630 bytes a statement, most of it allocator headers, size
 * rounding and argument arrays with room for eight; here a statement costs
 * its bytes.  Arrays are built with grow() and moved in exactly sized.
 */
struct scenario_block {
	struct scenario_block *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

/* Blocks double from the first to the largest: a short scenario costs 4 KiB. */
#define BLOCK_FIRST	(4u << 10)
#define BLOCK_BYTES	(1u << 20)

static void *arena_alloc(struct parser *p, size_t size, size_t align)
{
	struct scenario_block *b = p->sc->blocks;
	size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;

	if (!b || at + size > b->size) {
		size_t next = b && b->size < BLOCK_BYTES / 2 ? 2 * (b->size + sizeof(*b)) :
			      b ? BLOCK_BYTES : BLOCK_FIRST;
		size_t room = size > next / 4 ? size : next - sizeof(*b);

		if (p->spare && p->spare->size >= size) {
			b = p->spare;		/* a window reuses the last one's memory */
			p->spare = b->next;
		} else {
			b = xrealloc(NULL, sizeof(*b) + room);
			b->size = room;
		}
		b->next = p->sc->blocks;
		p->sc->blocks = b;
		at = 0;
	}
	b->used = at + size;
	return b->data + at;
}

static void *node_alloc(struct parser *p, size_t size)
{
	return memset(arena_alloc(p, size, 8), 0, size);
}

static char *arena_strndup(struct parser *p, const char *s, size_t n)
{
	char *d = arena_alloc(p, n + 1, 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* Move an array built with grow() into the arena, exactly sized. */
static void *seal(struct parser *p, void *arr, size_t n, size_t elem)
{
	void *d = n ? memcpy(arena_alloc(p, n * elem, 8), arr, n * elem) : NULL;

	free(arr);
	return d;
}

/* ---- errors ---- */

/* Copy the line for the caret; control bytes would garble a terminal. */
static void copy_line(char *dst, size_t size, const struct line *ln)
{
	size_t i, n = ln->len < size - 1 ? ln->len : size - 1;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)ln->s[i];

		dst[i] = (c < 0x20 && c != '\t') || c == 0x7f ? '?' : (char)c;
	}
	dst[n] = '\0';
}

static int vfail(struct parser *p, const struct line *ln, size_t off,
		 const char *fmt, va_list ap)
{
	struct scenario_error *err = p->err;

	if (p->failed)
		return -1;
	p->failed = true;
	err->pos.file = p->path;
	err->pos.line = ln->no;
	err->pos.col = (unsigned)off + 1;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	copy_line(err->line, sizeof(err->line), ln);
	return -1;
}

__attribute__((format(printf, 4, 5)))
static int fail_line(struct parser *p, const struct line *ln, size_t off,
		     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(p, ln, off, fmt, ap);
	va_end(ap);
	return -1;
}

/* Report an error at byte `off` of the current line; returns -1. */
__attribute__((format(printf, 3, 4)))
static int fail(struct parser *p, size_t off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(p, &p->cur, off, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- tokens ---- */

static const struct token *peek(struct parser *p)
{
	if (!p->have_tok) {
		lex_token(p->cur.s, p->cur.len, p->pos, &p->tok);
		p->have_tok = true;
		if (p->tok.kind == TOK_ERROR)
			fail(p, p->tok.start, "%s", p->tok.msg);
	}
	return &p->tok;
}

/* The token after the next one. */
static void peek2(struct parser *p, struct token *t)
{
	lex_token(p->cur.s, p->cur.len, peek(p)->end, t);
	if (t->kind == TOK_ERROR)
		fail(p, t->start, "%s", t->msg);
}

static void advance(struct parser *p)
{
	p->pos = peek(p)->end;
	p->have_tok = false;
}

static bool tok_is_op(const struct token *t, enum tok_op op)
{
	return t->kind == TOK_OP && t->op == op;
}

static bool next_is(struct parser *p, enum tok_op op)
{
	struct token t;

	peek2(p, &t);
	return tok_is_op(&t, op);
}

static bool tok_is_word(const struct parser *p, const struct token *t,
			const char *word)
{
	size_t n = strlen(word);

	return t->kind == TOK_NAME && t->end - t->start == n &&
	       !memcmp(p->cur.s + t->start, word, n);
}

static bool is_keyword(const struct parser *p, const struct token *t)
{
	return tok_is_word(p, t, "vm") || tok_is_word(p, t, "expect") ||
	       tok_is_word(p, t, "show") || tok_is_word(p, t, "check");
}

static char *tok_dup(struct parser *p, const struct token *t)
{
	return arena_strndup(p, p->cur.s + t->start, t->end - t->start);
}

static struct src_pos at(const struct parser *p, size_t off)
{
	return (struct src_pos){ p->sc->file, p->cur.no, (unsigned)off + 1 };
}

static bool can_start_expr(const struct token *t)
{
	switch (t->kind) {
	case TOK_NAME: case TOK_NUMBER: case TOK_STRING: case TOK_VAR:
		return true;
	case TOK_OP:
		return t->op == OP_LPAREN || t->op == OP_MINUS || t->op == OP_PLUS;
	default:
		return false;
	}
}

static bool can_start_arg(const struct token *t)
{
	return can_start_expr(t) || tok_is_op(t, OP_ARROW);
}

/* "unexpected 'foo' after the value" and its kin. */
static int fail_unexpected(struct parser *p, const struct token *t,
			   const char *where)
{
	char what[160];

	if (tok_is_op(t, OP_RPAREN))
		return fail(p, t->start, "unmatched ')'");
	lex_describe(p->cur.s, t, what, sizeof(what));
	return fail(p, t->start, "unexpected %s %s", what, where);
}

static int expect_eol(struct parser *p, const char *where)
{
	const struct token *t = peek(p);

	return t->kind == TOK_EOL ? 0 : fail_unexpected(p, t, where);
}

/* ---- bound names ---- */

static size_t name_hash(const char *s, size_t n)
{
	size_t h = 2166136261u;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* The slot holding s[0, n), or the empty slot where it would go. */
static char **name_slot(const struct name_set *ns, const char *s, size_t n)
{
	size_t i = name_hash(s, n) & (ns->cap - 1);

	while (ns->slot[i] && (strlen(ns->slot[i]) != n || memcmp(ns->slot[i], s, n)))
		i = (i + 1) & (ns->cap - 1);
	return &ns->slot[i];
}

static bool names_has(const struct name_set *ns, const char *s, size_t n)
{
	return ns->cap && *name_slot(ns, s, n);
}

static void names_rehash(struct name_set *ns)
{
	struct name_set old = *ns;
	char *name;
	size_t i;

	ns->cap = old.cap ? old.cap * 2 : 64;
	ns->slot = xzalloc(ns->cap * sizeof(*ns->slot));
	for (i = 0; i < old.cap; i++) {
		name = old.slot[i];
		if (name)
			*name_slot(ns, name, strlen(name)) = name;
	}
	free(old.slot);
}

static void names_add(struct name_set *ns, const char *name)
{
	char **slot;

	if (2 * (ns->count + 1) > ns->cap)
		names_rehash(ns);
	slot = name_slot(ns, name, strlen(name));
	if (!*slot) {
		*slot = xstrndup(name, strlen(name));
		ns->count++;
	}
}

static void names_free(struct name_set *ns)
{
	for (size_t i = 0; i < ns->cap; i++)
		free(ns->slot[i]);
	free(ns->slot);
	memset(ns, 0, sizeof(*ns));
}

/* ---- expressions ---- */

static bool charge(struct parser *p, size_t off)
{
	if (++p->terms <= EXPR_MAX_TERMS)
		return true;
	fail(p, off, "expression too long (more than %d terms)", EXPR_MAX_TERMS);
	return false;
}

static struct expr *new_expr(struct parser *p, enum expr_kind kind, size_t off)
{
	struct expr *e;

	if (!charge(p, off))
		return NULL;
	e = node_alloc(p, sizeof(*e));
	e->kind = kind;
	e->pos = at(p, off);
	return e;
}

static struct expr *parse_expr(struct parser *p);
static bool parse_arg(struct parser *p, struct arg *a);

static struct expr *parse_group(struct parser *p)
{
	size_t open = peek(p)->start;
	struct expr *e;

	if (!charge(p, open))
		return NULL;
	advance(p);
	e = parse_expr(p);
	if (!e)
		return NULL;
	if (!tok_is_op(peek(p), OP_RPAREN)) {
		fail(p, peek(p)->start, "expected ')' to close the '(' at column %zu",
		     open + 1);
		return NULL;
	}
	advance(p);
	return e;
}

static struct expr *parse_var(struct parser *p, const struct token *t)
{
	const char *name = p->cur.s + t->start + 1;
	size_t n = t->end - t->start - 1;
	struct expr *e;

	if (!names_has(&p->names, name, n)) {
		fail(p, t->start, "undefined name $%.*s (no earlier statement binds it)",
		     (int)n, name);
		return NULL;
	}
	e = new_expr(p, EXPR_VAR, t->start);
	if (e)
		e->str = arena_strndup(p, name, n);
	return e;
}

static struct expr *parse_string(struct parser *p, const struct token *t)
{
	struct expr *e = new_expr(p, EXPR_STRING, t->start);

	if (e) {
		e->str = arena_alloc(p, t->end - t->start, 1);
		lex_string_decode(p->cur.s, t, e->str);
	}
	return e;
}

static struct expr *parse_primary(struct parser *p)
{
	const struct token *t = peek(p);
	char what[160];
	struct expr *e;

	if (t->kind == TOK_NUMBER) {
		e = new_expr(p, EXPR_NUMBER, t->start);
		if (e)
			e->number = t->number;
	} else if (t->kind == TOK_NAME) {
		e = new_expr(p, EXPR_WORD, t->start);
		if (e)
			e->str = tok_dup(p, t);
	} else if (t->kind == TOK_STRING) {
		e = parse_string(p, t);
	} else if (t->kind == TOK_VAR) {
		e = parse_var(p, t);
	} else if (tok_is_op(t, OP_LPAREN)) {
		return parse_group(p);
	} else {
		lex_describe(p->cur.s, t, what, sizeof(what));
		fail(p, t->start, "expected an operand (number, \"string\", name, $name or '('), found %s",
		     what);
		return NULL;
	}
	if (e)
		advance(p);
	return e;
}

/* Field names have no '-', so `$p.pfn-1` subtracts. */
static struct expr *parse_member(struct parser *p, struct expr *base)
{
	const char *s = p->cur.s;
	size_t i, end;
	struct expr *e;

	advance(p);
	i = p->pos;
	if (i >= p->cur.len || !lex_is_name_start(s[i])) {
		fail(p, i, "expected a field name after '.'");
		return NULL;
	}
	end = lex_name_end(s, p->cur.len, i, false);
	e = new_expr(p, EXPR_MEMBER, i);
	if (!e)
		return NULL;
	e->lhs = base;
	e->str = arena_strndup(p, s + i, end - i);
	p->pos = end;
	p->have_tok = false;
	return e;
}

/* After '(' or ',': one argument, then ',' or ')'.  Returns 1 at ')'. */
static int parse_call_arg(struct parser *p, struct expr *call, size_t *cap,
			  size_t open)
{
	const struct token *t = peek(p);
	bool closed;

	if (!can_start_arg(t))
		return fail(p, t->start, "expected an argument after '%s'",
			    call->nargs ? "," : "(");
	call->args = grow(call->args, call->nargs, cap, sizeof(*call->args));
	if (!parse_arg(p, &call->args[call->nargs]))
		return -1;
	call->nargs++;
	t = peek(p);
	closed = tok_is_op(t, OP_RPAREN);
	if (!closed && !tok_is_op(t, OP_COMMA))
		return fail(p, t->start,
			    "expected ',' or ')' after an argument of the call at column %zu",
			    open + 1);
	advance(p);
	return closed;
}

static struct expr *parse_call(struct parser *p, struct expr *base)
{
	size_t open = peek(p)->start, cap = 0;
	struct expr *e = new_expr(p, EXPR_CALL, open);
	int done;

	if (!e)
		return NULL;
	e->lhs = base;
	advance(p);
	done = tok_is_op(peek(p), OP_RPAREN);
	if (done)
		advance(p);
	while (!done)
		done = parse_call_arg(p, e, &cap, open);
	e->args = seal(p, e->args, e->nargs, sizeof(*e->args));
	return done < 0 ? NULL : e;
}

/* Postfix binds only without a blank: `f (x)` is two arguments. */
static struct expr *parse_postfix(struct parser *p)
{
	struct expr *e = parse_primary(p);
	const struct token *t;

	while (e) {
		t = peek(p);
		if (t->blank_before)
			break;
		if (tok_is_op(t, OP_DOT))
			e = parse_member(p, e);
		else if (tok_is_op(t, OP_LPAREN))
			e = parse_call(p, e);
		else
			break;
	}
	return e;
}

static struct expr *parse_unary(struct parser *p)
{
	const struct token *t = peek(p);
	struct expr *e;

	if (!tok_is_op(t, OP_MINUS) && !tok_is_op(t, OP_PLUS))
		return parse_postfix(p);
	e = new_expr(p, EXPR_UNARY, t->start);
	if (!e)
		return NULL;
	e->op = t->op == OP_MINUS ? '-' : '+';
	advance(p);
	e->lhs = parse_unary(p);
	return e->lhs ? e : NULL;
}

/* Binary operators by precedence, loosest first; all left-associative. */
static const char binary_ops[][3] = { "|", "+-", "*" };

/* The operator character if t is a binary operator of this level, or 0. */
static char binary_op(const struct token *t, unsigned level)
{
	char c;

	if (t->kind != TOK_OP)
		return 0;
	switch (t->op) {
	case OP_PIPE: c = '|'; break;
	case OP_PLUS: c = '+'; break;
	case OP_MINUS: c = '-'; break;
	case OP_STAR: c = '*'; break;
	default: return 0;
	}
	return strchr(binary_ops[level], c) ? c : 0;
}

/* Binary operators continue an expression across blanks: `$a + 4K`. */
static struct expr *parse_binary(struct parser *p, unsigned level)
{
	struct expr *lhs, *e;
	const struct token *t;
	char op;

	if (level == ARRAY_SIZE(binary_ops))
		return parse_unary(p);
	lhs = parse_binary(p, level + 1);
	while (lhs && (op = binary_op(t = peek(p), level))) {
		e = new_expr(p, EXPR_BINARY, t->start);
		if (!e)
			break;
		e->op = op;
		e->lhs = lhs;
		lhs = e;
		advance(p);
		e->rhs = parse_binary(p, level + 1);
		if (!e->rhs)
			break;
	}
	return p->failed ? NULL : lhs;
}

static struct expr *parse_expr(struct parser *p)
{
	return parse_binary(p, 0);
}

/* A statement-level expression: the term budget starts afresh. */
static struct expr *parse_top_expr(struct parser *p)
{
	p->terms = 0;
	return parse_expr(p);
}

/* key=value: no blanks around '=', which tells it from a comparison. */
static bool parse_keyed(struct parser *p, struct arg *a)
{
	const struct token *t;

	a->kind = ARG_KEYED;
	a->key = tok_dup(p, peek(p));
	advance(p);
	advance(p);
	t = peek(p);
	if (t->blank_before || !can_start_expr(t)) {
		fail(p, p->pos, "expected a value right after '%s=' (no blanks around '=')",
		     a->key);
		return false;
	}
	a->value = parse_expr(p);
	return a->value != NULL;
}

/* An argument that can_start_arg(); on failure *a holds nothing. */
static bool parse_arg(struct parser *p, struct arg *a)
{
	const struct token *t = peek(p);

	memset(a, 0, sizeof(*a));
	a->pos = at(p, t->start);
	if (tok_is_op(t, OP_ARROW)) {
		a->kind = ARG_ARROW;
		advance(p);
		return true;
	}
	if (t->kind == TOK_NAME) {
		struct token eq;

		peek2(p, &eq);
		if (tok_is_op(&eq, OP_ASSIGN) && !eq.blank_before)
			return parse_keyed(p, a);
	}
	a->kind = ARG_VALUE;
	a->value = parse_expr(p);
	return a->value != NULL;
}

/* ---- statements ---- */

static const enum tok_op cmp_tokens[] = {
	[CMP_EQ] = OP_EQ, [CMP_NE] = OP_NE, [CMP_LT] = OP_LT, [CMP_LE] = OP_LE,
	[CMP_GT] = OP_GT, [CMP_GE] = OP_GE, [CMP_MATCH] = OP_MATCH,
};

/* The comparison t spells, or -1. */
static int tok_cmp(const struct token *t)
{
	int i;

	for (i = 0; i < (int)(ARRAY_SIZE(cmp_tokens)); i++)
		if (tok_is_op(t, cmp_tokens[i]))
			return i;
	return -1;
}

static int read_args(struct parser *p, struct stmt *st, const char *name)
{
	const struct token *t;
	char where[128];
	size_t cap = 0;

	while ((t = peek(p))->kind != TOK_EOL && !p->failed) {
		if (tok_is_op(t, OP_ASSIGN))
			return fail(p, t->start,
				    "unexpected '=' (a keyed argument is key=value, without blanks)");
		if (!can_start_arg(t)) {
			snprintf(where, sizeof(where), "in the arguments of '%.60s'%s", name,
				 tok_cmp(t) >= 0 ? " (comparisons belong in 'expect')" : "");
			return fail_unexpected(p, t, where);
		}
		st->args = grow(st->args, st->nargs, &cap, sizeof(*st->args));
		p->terms = 0;
		if (!parse_arg(p, &st->args[st->nargs]))
			return -1;
		st->nargs++;
	}
	return p->failed ? -1 : 0;
}

static int parse_args(struct parser *p, struct stmt *st, const char *name)
{
	int ret = read_args(p, st, name);

	st->args = seal(p, st->args, st->nargs, sizeof(*st->args));
	return ret;
}

static int parse_command(struct parser *p, struct stmt *st)
{
	const struct token *t = peek(p);

	st->kind = STMT_COMMAND;
	st->name = tok_dup(p, t);
	st->name_pos = at(p, t->start);
	advance(p);
	return parse_args(p, st, st->name);
}

/* Bound names have no '-': `$a-b` reads as $a minus b. */
static int parse_binding(struct parser *p, struct stmt *st)
{
	const struct token *t = peek(p);
	size_t n = t->end - t->start;

	if (memchr(p->cur.s + t->start, '-', n))
		return fail(p, t->start,
			    "a bound name cannot contain '-' ($%.*s would read as a subtraction)",
			    (int)n, p->cur.s + t->start);
	st->bind = tok_dup(p, t);
	advance(p);
	advance(p);
	t = peek(p);
	if (t->kind != TOK_NAME)
		return fail(p, t->start, "expected a command after '%s ='", st->bind);
	if (is_keyword(p, t))
		return fail(p, t->start,
			    "'%.*s' is a statement, not a command: it has no result to bind",
			    (int)(t->end - t->start), p->cur.s + t->start);
	return parse_command(p, st);
}

static int parse_heredoc(struct parser *p, struct stmt *st);

static int parse_cmp(struct parser *p, struct stmt *st)
{
	const struct token *t = peek(p);
	int op = tok_cmp(t);

	if (op >= 0) {
		st->op = (enum cmp_op)op;
		st->op_pos = at(p, t->start);
		advance(p);
		return 0;
	}
	return fail(p, t->start,
		    "expected a comparison (==, !=, <, <=, >, >=, =~) after the subject%s",
		    tok_is_op(t, OP_ASSIGN) ? " (did you mean '=='?)" : "");
}

static int parse_subject(struct parser *p, struct stmt *st, const char *keyword)
{
	const struct token *t;

	st->name_pos = at(p, peek(p)->start);
	advance(p);
	t = peek(p);
	if (!can_start_expr(t))
		return fail(p, t->start, "expected a subject after '%s'", keyword);
	st->subject = parse_top_expr(p);
	return st->subject ? 0 : -1;
}

static int parse_expect(struct parser *p, struct stmt *st)
{
	const struct token *t;

	st->kind = STMT_EXPECT;
	if (parse_subject(p, st, "expect") || parse_cmp(p, st))
		return -1;
	t = peek(p);
	if (tok_is_op(t, OP_HEREDOC))
		return parse_heredoc(p, st);
	if (!can_start_expr(t))
		return fail(p, t->start, "expected a value after '%s'", cmp_op_str(st->op));
	st->value = parse_top_expr(p);
	if (!st->value)
		return -1;
	return expect_eol(p, "after the value");
}

static int parse_show(struct parser *p, struct stmt *st)
{
	st->kind = STMT_SHOW;
	if (parse_subject(p, st, "show"))
		return -1;
	return expect_eol(p, "after the subject");
}

static int parse_check(struct parser *p, struct stmt *st)
{
	st->kind = STMT_CHECK;
	st->name_pos = at(p, peek(p)->start);
	advance(p);
	return parse_args(p, st, "check");
}

/* ---- here-documents ---- */

/* Take the next input line into *ln; false at the end of the input. */
static bool next_line(struct parser *p, struct line *ln)
{
	size_t rest = p->len - p->next;
	const char *nl;

	if (!rest)
		return false;
	ln->s = p->text + p->next;
	nl = memchr(ln->s, '\n', rest);
	ln->len = nl ? (size_t)(nl - ln->s) : rest;
	p->next += ln->len + (nl != NULL);
	if (ln->len && ln->s[ln->len - 1] == '\r')
		ln->len--;
	ln->no = ++p->lineno;
	return true;
}

static bool check_line(struct parser *p, const struct line *ln)
{
	const char *nul;

	if (ln->len > LINE_MAX_BYTES) {
		fail_line(p, ln, LINE_MAX_BYTES, "line longer than %d bytes",
			  LINE_MAX_BYTES);
		return false;
	}
	nul = memchr(ln->s, '\0', ln->len);
	if (nul) {
		fail_line(p, ln, (size_t)(nul - ln->s), "NUL byte in the input");
		return false;
	}
	return true;
}

/* Body lines up to the one that is exactly `tag`, each ending in '\n'. */
static int read_heredoc(struct parser *p, struct expr *e, const char *tag,
			size_t taglen, size_t open)
{
	size_t n = 0, cap = 0;
	struct line ln;
	char *body = NULL;
	int ret = 0;

	for (;;) {
		if (!next_line(p, &ln)) {
			ret = fail(p, open, "unterminated here-document: no line '%.*s' ends it",
				   (int)taglen, tag);
			break;
		}
		if (!check_line(p, &ln)) {
			ret = -1;
			break;
		}
		if (ln.len == taglen && !memcmp(ln.s, tag, taglen))
			break;
		if (n + ln.len + 2 > cap) {
			cap = 2 * (n + ln.len + 2);
			body = xrealloc(body, cap);
		}
		memcpy(body + n, ln.s, ln.len);
		n += ln.len;
		body[n++] = '\n';
	}
	if (!ret)
		e->str = arena_strndup(p, body ? body : "", n);
	free(body);
	return ret;
}

static int parse_heredoc(struct parser *p, struct stmt *st)
{
	size_t open = peek(p)->start;
	const struct token *t;
	const char *tag;
	size_t taglen;

	advance(p);
	t = peek(p);
	if (t->kind != TOK_NAME)
		return fail(p, t->start, "expected a tag after '<<', as in <<END");
	tag = p->cur.s + t->start;
	taglen = t->end - t->start;
	advance(p);
	if (expect_eol(p, "after the here-document tag (the text starts on the next line)"))
		return -1;
	p->terms = 0;
	st->value = new_expr(p, EXPR_TEXT, open);
	return read_heredoc(p, st->value, tag, taglen, open);
}

/* ---- the vm line ---- */

/* A raw value runs to a blank or '#'; control bytes are refused. */
static size_t raw_value_end(struct parser *p, size_t i)
{
	const char *s = p->cur.s;

	for (; i < p->cur.len && !lex_is_blank(s[i]) && s[i] != '#'; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			fail(p, i, "unexpected byte 0x%02x in a vm option", (unsigned char)s[i]);
			break;
		}
	}
	return i;
}

static int parse_vm_option(struct parser *p, struct stmt *st, size_t *pos,
			   size_t *cap)
{
	const char *s = p->cur.s;
	size_t i = *pos, key_end, end;
	struct vm_option *o;
	char what[160];

	if (!lex_is_name_start(s[i])) {
		end = i + 1;
		while (end < p->cur.len && !lex_is_blank(s[end]) && s[end] != '#')
			end++;
		lex_quote(s + i, end - i, what, sizeof(what));
		return fail(p, i, "expected a vm option KEY=VALUE, found %s", what);
	}
	key_end = lex_name_end(s, p->cur.len, i, true);
	if (key_end >= p->cur.len || s[key_end] != '=')
		return fail(p, key_end, "expected '=' after vm option '%.*s' (options are KEY=VALUE)",
			    (int)(key_end - i), s + i);
	end = raw_value_end(p, key_end + 1);
	if (end == key_end + 1)
		return fail(p, end, "expected a value after '%.*s='", (int)(key_end - i), s + i);
	st->options = grow(st->options, st->noptions, cap, sizeof(*st->options));
	o = &st->options[st->noptions++];
	o->key = arena_strndup(p, s + i, key_end - i);
	o->value = arena_strndup(p, s + key_end + 1, end - key_end - 1);
	o->pos = at(p, i);
	o->value_pos = at(p, key_end + 1);
	*pos = end;
	return p->failed ? -1 : 0;
}

static int read_vm_options(struct parser *p, struct stmt *st)
{
	size_t pos, cap = 0;

	for (pos = p->pos;; ) {
		while (pos < p->cur.len && lex_is_blank(p->cur.s[pos]))
			pos++;
		if (pos >= p->cur.len || p->cur.s[pos] == '#')
			return 0;
		if (parse_vm_option(p, st, &pos, &cap))
			return -1;
		p->pos = pos;
	}
}

static int parse_vm(struct parser *p, struct stmt *st)
{
	const struct scenario *sc = p->sc;
	int ret;

	if (sc->nstmts && sc->stmts[0].kind == STMT_VM)
		return fail(p, peek(p)->start, "duplicate 'vm' line (the first is on line %u)",
			    sc->stmts[0].pos.line);
	if (sc->nstmts)
		return fail(p, peek(p)->start,
			    "'vm' must be the first statement (it configures the machine)");
	st->kind = STMT_VM;
	st->name_pos = at(p, peek(p)->start);
	advance(p);
	ret = read_vm_options(p, st);
	st->options = seal(p, st->options, st->noptions, sizeof(*st->options));
	return ret;
}

/* ---- lines ---- */

static int parse_body(struct parser *p, struct stmt *st)
{
	const struct token *t = peek(p);
	char what[160];

	if (t->kind != TOK_NAME) {
		lex_describe(p->cur.s, t, what, sizeof(what));
		return fail(p, t->start,
			    "expected a statement (a command, expect, show, check or vm), found %s",
			    what);
	}
	if (next_is(p, OP_ASSIGN))
		return parse_binding(p, st);
	if (tok_is_word(p, t, "vm") && st->process)
		return fail(p, t->start, "'vm' cannot have a process prefix");
	if (tok_is_word(p, t, "vm"))
		return parse_vm(p, st);
	if (tok_is_word(p, t, "expect"))
		return parse_expect(p, st);
	if (tok_is_word(p, t, "show"))
		return parse_show(p, st);
	if (tok_is_word(p, t, "check"))
		return parse_check(p, st);
	return parse_command(p, st);
}

/* [process ':'] statement */
static int parse_statement(struct parser *p, struct stmt *st)
{
	const struct token *t = peek(p);

	p->stmt_start = t->start;
	st->pos = at(p, t->start);
	if (t->kind != TOK_NAME || !next_is(p, OP_COLON))
		return parse_body(p, st);
	st->process = tok_dup(p, t);
	advance(p);
	advance(p);
	t = peek(p);
	if (t->kind == TOK_EOL)
		return fail(p, t->start, "expected a statement after '%s:'", st->process);
	if (t->kind == TOK_NAME && next_is(p, OP_COLON))
		return fail(p, t->start, "only one process prefix per statement");
	return parse_body(p, st);
}

static void add_stmt(struct parser *p, struct stmt *st)
{
	struct scenario *sc = p->sc;

	st->text = arena_strndup(p, p->cur.s + p->stmt_start, p->pos - p->stmt_start);
	sc->stmts = grow(sc->stmts, sc->nstmts, &p->stmt_cap, sizeof(*sc->stmts));
	sc->stmts[sc->nstmts++] = *st;
	if (st->bind)
		names_add(&p->names, st->bind);
}

static void parse_line(struct parser *p)
{
	struct stmt st;

	p->pos = 0;
	p->have_tok = false;
	if (peek(p)->kind == TOK_EOL)
		return;
	memset(&st, 0, sizeof(st));
	if (!parse_statement(p, &st) && !p->failed)
		add_stmt(p, &st);
}

/*
 * What is left to parse of an opened file, and the parser's state between
 * windows: where the next line starts, its number, the names bound.
 */
struct scenario_source {
	struct parser p;
	char *text;		/* the whole file, owned */
	size_t len;
};

static void blocks_free(struct scenario_block *b)
{
	struct scenario_block *next;

	for (; b; b = next) {
		next = b->next;
		free(b);
	}
}

/* Drop the current window: its statements and everything they point to. */
static void window_free(struct scenario *sc)
{
	blocks_free(sc->blocks);
	sc->blocks = NULL;
	free(sc->stmts);
	sc->stmts = NULL;
	sc->nstmts = 0;
}

/*
 * Empty the window, keeping its memory for the next one: freeing and
 * allocating a megabyte per window costs more than parsing it.
 */
static void window_empty(struct parser *p, struct scenario *sc)
{
	struct scenario_block *b, *next;

	for (b = sc->blocks; b; b = next) {
		next = b->next;
		b->used = 0;
		b->next = p->spare;
		p->spare = b;
	}
	sc->blocks = NULL;
	sc->nstmts = 0;
}

/* Parse up to max statements from where p stands into sc's window. */
static long parse_window(struct parser *p, struct scenario *sc, size_t max,
			 struct scenario_error *err)
{
	struct scenario_error ignored;

	window_empty(p, sc);
	p->sc = sc;
	p->err = err ? err : &ignored;
	memset(p->err, 0, sizeof(*p->err));
	while (!p->failed && sc->nstmts < max && next_line(p, &p->cur))
		if (check_line(p, &p->cur))
			parse_line(p);
	if (!p->failed)
		return (long)sc->nstmts;
	window_free(sc);
	p->stmt_cap = 0;
	return -1;
}

static void parser_init(struct parser *p, const char *path, const char *text, size_t len)
{
	memset(p, 0, sizeof(*p));
	p->path = path;
	p->text = text;
	p->len = len;
}

/* Back to the top of the text, keeping the memory of the windows. */
static void parser_rewind(struct parser *p)
{
	struct scenario_block *spare = p->spare;
	size_t stmt_cap = p->stmt_cap;

	names_free(&p->names);
	parser_init(p, p->path, p->text, p->len);
	p->spare = spare;
	p->stmt_cap = stmt_cap;
}

int scenario_parse(const char *file, const char *text, size_t len,
		   struct scenario *out, struct scenario_error *err)
{
	struct parser p;
	long n;

	if (!file)
		file = "<input>";
	memset(out, 0, sizeof(*out));
	out->file = xstrndup(file, strlen(file));
	parser_init(&p, file, text, len);
	n = parse_window(&p, out, SIZE_MAX, err);
	names_free(&p.names);
	blocks_free(p.spare);
	if (n >= 0)
		return 0;
	scenario_free(out);
	return -1;
}

long scenario_first(struct scenario *sc, size_t max, struct scenario_error *err)
{
	struct scenario_source *src = sc->src;

	if (!src)
		return (long)sc->nstmts;
	parser_rewind(&src->p);
	return parse_window(&src->p, sc, max, err);
}

long scenario_next(struct scenario *sc, size_t max, struct scenario_error *err)
{
	if (!sc->src)
		return 0;	/* the one window stays for the next pass */
	return parse_window(&sc->src->p, sc, max, err);
}

static int file_error(const char *path, struct scenario_error *err,
		      const char *what)
{
	memset(err, 0, sizeof(*err));
	err->pos.file = path;
	snprintf(err->msg, sizeof(err->msg), "%s", what);
	return -1;
}

/* Read a whole file; NULL with errno set, or EFBIG past the cap. */
static char *read_all(FILE *f, size_t *len)
{
	size_t cap = 0, n = 0, got;
	char *buf = NULL;

	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = xrealloc(buf, cap);
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got && n <= FILE_MAX_BYTES);
	if (ferror(f) || n > FILE_MAX_BYTES) {
		errno = ferror(f) ? EIO : EFBIG;
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* What a path that is not a regular file names, for the error. */
static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "not a regular file (a directory)";
	if (S_ISFIFO(mode))
		return "not a regular file (a FIFO)";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "not a regular file (a device)";
	if (S_ISSOCK(mode))
		return "not a regular file (a socket)";
	return "not a regular file";
}

/* Read all of f and close it: the source of out, not parsed yet. */
static int open_stream(const char *path, FILE *f, struct scenario *out,
		       struct scenario_error *err)
{
	struct scenario_source *src;
	size_t len;
	char *text = read_all(f, &len);

	fclose(f);
	if (!text)
		return file_error(path, err, errno == EFBIG ?
				  "file larger than 64 MiB" : "read error");
	src = xzalloc(sizeof(*src));
	src->text = text;
	src->len = len;
	out->file = xstrndup(path, strlen(path));
	out->src = src;
	parser_init(&src->p, path, text, len);
	return 0;
}

/*
 * O_NONBLOCK: opening a FIFO would otherwise wait for a writer for ever.
 * Only regular files are read; anything else is refused before a read.
 */
int scenario_open_file(const char *path, struct scenario *out, struct scenario_error *err)
{
	struct scenario_error ignored;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	FILE *f;
	int ret;

	if (!err)
		err = &ignored;
	memset(out, 0, sizeof(*out));
	if (fd < 0)
		return file_error(path, err, strerror(errno));
	if (fstat(fd, &st))
		ret = file_error(path, err, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		ret = file_error(path, err, file_kind(st.st_mode));
	else if ((f = fdopen(fd, "rb")))
		return open_stream(path, f, out, err);
	else
		ret = file_error(path, err, strerror(errno));
	close(fd);
	return ret;
}

int scenario_parse_file(const char *path, struct scenario *out,
			struct scenario_error *err)
{
	if (scenario_open_file(path, out, err))
		return -1;
	if (scenario_first(out, SIZE_MAX, err) >= 0)
		return 0;
	scenario_free(out);
	return -1;
}

void scenario_free(struct scenario *sc)
{
	if (!sc)
		return;
	window_free(sc);
	if (sc->src) {
		names_free(&sc->src->p.names);
		blocks_free(sc->src->p.spare);
		free(sc->src->text);
		free(sc->src);
	}
	free(sc->file);
	memset(sc, 0, sizeof(*sc));
}

/* ---- errors found after parsing (machine config, command resolution) ---- */

void scenario_error_at(struct scenario_error *err, const struct stmt *s, struct src_pos pos,
		       const char *fmt, ...)
{
	va_list ap;

	err->pos = pos;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	/* stmt.text starts at the statement's column: pad so that the caret lines up. */
	snprintf(err->line, sizeof(err->line), "%*s%s", (int)(s->pos.col - 1), "", s->text);
}

/* ---- printing ---- */

void scenario_error_print(const struct scenario_error *err, FILE *f)
{
	const char *file = err->pos.file ? err->pos.file : "<input>";
	size_t i, n;

	if (!err->pos.line) {
		fprintf(f, "%s: error: %s\n", file, err->msg);
		return;
	}
	fprintf(f, "%s:%u:%u: error: %s\n  %s\n", file, err->pos.line,
		err->pos.col, err->msg, err->line);
	n = strlen(err->line);
	if (err->pos.col - 1 > n)
		return;		/* the column lies past the stored part */
	fputs("  ", f);
	/* tabs stay tabs and UTF-8 continuation bytes take no column */
	for (i = 0; i + 1 < err->pos.col; i++)
		if ((err->line[i] & 0xc0) != 0x80)
			fputc(err->line[i] == '\t' ? '\t' : ' ', f);
	fputs("^\n", f);
}

const char *cmp_op_str(enum cmp_op op)
{
	static const char *const names[] = {
		[CMP_EQ] = "==", [CMP_NE] = "!=", [CMP_LT] = "<", [CMP_LE] = "<=",
		[CMP_GT] = ">", [CMP_GE] = ">=", [CMP_MATCH] = "=~",
	};

	return (unsigned)op < ARRAY_SIZE(names) ? names[op] : "?";
}

/* ---- expr_format: canonical source form ---- */

/* An snprintf-style sink: counts everything, stores what fits. */
struct sink {
	char *buf;
	size_t size, len;
};

static void put(struct sink *o, const char *s, size_t n)
{
	size_t room = o->len + 1 < o->size ? o->size - 1 - o->len : 0;

	if (room)
		memcpy(o->buf + o->len, s, n < room ? n : room);
	o->len += n;
}

static void puts_sink(struct sink *o, const char *s)
{
	put(o, s, strlen(s));
}

/*
 * Sizes read best with a suffix (4K, 2M), addresses in hex, counts in
 * decimal: an exact multiple of K, M or G below 1024 units takes the
 * suffix, else values from 64K up print in hex.
 */
static void fmt_number(struct sink *o, uint64_t v)
{
	static const char suffix[] = "GMK";
	char tmp[32];
	unsigned i, shift;

	for (i = 0; i < 3; i++) {
		shift = 30 - 10 * i;
		if (v && !(v & ((1ull << shift) - 1)) && v >> shift < 1024) {
			snprintf(tmp, sizeof(tmp), "%llu%c",
				 (unsigned long long)(v >> shift), suffix[i]);
			puts_sink(o, tmp);
			return;
		}
	}
	snprintf(tmp, sizeof(tmp), v >= 0x10000 ? "0x%llx" : "%llu",
		 (unsigned long long)v);
	puts_sink(o, tmp);
}

static void fmt_string(struct sink *o, const char *s)
{
	put(o, "\"", 1);
	for (; *s; s++) {
		if (*s == '\n') {
			put(o, "\\n", 2);
			continue;
		}
		if (*s == '\t') {
			put(o, "\\t", 2);
			continue;
		}
		if (*s == '"' || *s == '\\')
			put(o, "\\", 1);
		put(o, s, 1);
	}
	put(o, "\"", 1);
}

/* Binding strength: | 1, + - 2, * 3, unary 4, postfix and primaries 5. */
static int prec(const struct expr *e)
{
	if (e->kind == EXPR_BINARY)
		return e->op == '|' ? 1 : e->op == '*' ? 3 : 2;
	return e->kind == EXPR_UNARY ? 4 : 5;
}

static void fmt_expr(struct sink *o, const struct expr *e);

static void fmt_operand(struct sink *o, const struct expr *e, int min_prec)
{
	bool paren = prec(e) < min_prec;

	if (paren)
		put(o, "(", 1);
	fmt_expr(o, e);
	if (paren)
		put(o, ")", 1);
}

/* Does e print ending in a bare word?  Then `x-1` would lex as one name. */
static bool ends_in_word(const struct expr *e)
{
	while (e->kind == EXPR_BINARY || e->kind == EXPR_UNARY)
		e = e->kind == EXPR_BINARY ? e->rhs : e->lhs;
	return e->kind == EXPR_WORD;
}

static void fmt_binary(struct sink *o, const struct expr *e)
{
	bool spaced = e->op == '-' && ends_in_word(e->lhs);

	fmt_operand(o, e->lhs, prec(e));
	put(o, spaced ? " - " : &e->op, spaced ? 3 : 1);
	/* left-associative: a right operand of equal strength needs parentheses */
	fmt_operand(o, e->rhs, prec(e) + 1);
}

static void fmt_args(struct sink *o, const struct arg *args, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			put(o, ", ", 2);
		if (args[i].kind == ARG_ARROW) {
			put(o, "->", 2);
			continue;
		}
		if (args[i].kind == ARG_KEYED) {
			puts_sink(o, args[i].key);
			put(o, "=", 1);
		}
		fmt_expr(o, args[i].value);
	}
}

static void fmt_expr(struct sink *o, const struct expr *e)
{
	switch (e->kind) {
	case EXPR_NUMBER:
		fmt_number(o, e->number);
		break;
	case EXPR_STRING:
	case EXPR_TEXT:
		fmt_string(o, e->str);
		break;
	case EXPR_VAR:
		put(o, "$", 1);
		/* fall through */
	case EXPR_WORD:
		puts_sink(o, e->str);
		break;
	case EXPR_UNARY:
		put(o, &e->op, 1);
		fmt_operand(o, e->lhs, prec(e));
		break;
	case EXPR_BINARY:
		fmt_binary(o, e);
		break;
	case EXPR_MEMBER:
		fmt_operand(o, e->lhs, 5);
		put(o, ".", 1);
		puts_sink(o, e->str);
		break;
	case EXPR_CALL:
		fmt_operand(o, e->lhs, 5);
		put(o, "(", 1);
		fmt_args(o, e->args, e->nargs);
		put(o, ")", 1);
		break;
	}
}

/*
 * Like snprintf: returns the full length and stores what fits, always
 * NUL-terminated when size > 0.  A here-document prints as a string.
 */
size_t expr_format(const struct expr *e, char *buf, size_t size)
{
	struct sink o = { buf, size, 0 };

	if (e)
		fmt_expr(&o, e);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}
