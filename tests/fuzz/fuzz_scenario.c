// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the scenario parser (host/scenario_parse.c,
 * host/scenario_lex.c) and the vm line's options (host/machine.c).
 *
 * The input is a scenario file, any bytes at all.  scenario_parse() promises
 * never to read past the length it is given; libFuzzer's buffer is exactly
 * that long, so ASan sees any byte read beyond it.  A broken invariant
 * aborts:
 *  - a failed parse has an error at a real place: line >= 1 and no further
 *    than the input's last line, column >= 1 and at most one past the end
 *    of that line (a line cut at the length limit excepted), a message, a
 *    caret line without control bytes, the caller's file name, and an
 *    emptied scenario;
 *  - a successful parse gives a well-formed tree: every statement and node
 *    has what its kind needs, at a position inside the input;
 *  - expr_format() behaves like snprintf on every statement-level
 *    expression (the same length at any buffer size, a NUL-terminated
 *    prefix when cut), and what it prints is source that parses back to the
 *    same expression;
 *  - machine_configure() either fails at a real place or gives a machine
 *    inside the documented limits.
 *
 * With FUZZ_SEED_DIR set (fuzz.mk does) the target first writes seeds that
 * use every construct of the language, and with FUZZ_DICT set a libFuzzer
 * dictionary of its keywords and operators; libFuzzer calls
 * LLVMFuzzerInitialize() before it reads its -dict flag.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/machine.h"
#include "scenario/scenario.h"

#define FILE_NAME	"fuzz.vmm"
#define LINE_LIMIT	65536		/* scenario_parse.c's LINE_MAX_BYTES */
#define FORMAT_MAX	60000		/* longer output cannot be one line of source again */
#define CUT_SIZES	4

#define CHECK(cond)			\
	do {				\
		if (!(cond))		\
			abort();	\
	} while (0)

/* ---- the input's lines, as the parser counts them ------------------------------ */

struct input {
	const char *text;
	size_t len;
	unsigned nlines;
	size_t *line_len;	/* [i]: line i + 1 without its '\n' and a CR before it */
};

/* Cut the input into lines the way the parser's next_line() does. */
static void split_lines(struct input *in)
{
	size_t off = 0, n, i;
	const char *nl;

	in->nlines = 0;
	for (i = 0; i < in->len; i++)
		in->nlines += in->text[i] == '\n';
	in->nlines += in->len && in->text[in->len - 1] != '\n';
	in->line_len = malloc((in->nlines ? in->nlines : 1) * sizeof(*in->line_len));
	CHECK(in->line_len);
	for (i = 0; off < in->len; i++) {
		nl = memchr(in->text + off, '\n', in->len - off);
		n = nl ? (size_t)(nl - (in->text + off)) : in->len - off;
		off += n + (nl != NULL);
		if (n && in->text[off - (nl != NULL) - 1] == '\r')
			n--;
		in->line_len[i] = n;
	}
	CHECK(i == in->nlines);
}

/* A position the parser reports must name a byte of the input, or just past a line. */
static void check_pos(const struct input *in, const struct src_pos *pos)
{
	size_t len;

	CHECK(pos->line >= 1 && pos->line <= in->nlines);
	CHECK(pos->col >= 1);
	len = in->line_len[pos->line - 1];
	CHECK(pos->col <= len + 1 || (len > LINE_LIMIT && pos->col == LINE_LIMIT + 1));
}

static bool terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

static void check_error(const struct input *in, const struct scenario_error *err)
{
	const char *c;

	check_pos(in, &err->pos);
	CHECK(terminated(err->msg, sizeof(err->msg)) && err->msg[0]);
	CHECK(terminated(err->line, sizeof(err->line)));
	for (c = err->line; *c; c++)
		CHECK((unsigned char)*c >= 0x20 || *c == '\t');
}

/* ---- the tree ------------------------------------------------------------------- */

static void check_expr(const struct input *in, const struct scenario *sc,
		       const struct expr *e);

static void check_args(const struct input *in, const struct scenario *sc,
		       const struct arg *args, size_t n)
{
	size_t i;

	CHECK(!n || args);
	for (i = 0; i < n; i++) {
		check_pos(in, &args[i].pos);
		switch (args[i].kind) {
		case ARG_ARROW:
			CHECK(!args[i].key && !args[i].value);
			break;
		case ARG_KEYED:
			CHECK(args[i].key && args[i].key[0]);
			/* fall through */
		case ARG_VALUE:
			CHECK(args[i].value);
			check_expr(in, sc, args[i].value);
			break;
		default:
			abort();
		}
	}
}

/* Recursion is bounded: the parser allows 1000 terms per expression. */
static void check_expr(const struct input *in, const struct scenario *sc,
		       const struct expr *e)
{
	check_pos(in, &e->pos);
	CHECK(e->pos.file == sc->file);
	switch (e->kind) {
	case EXPR_NUMBER:
		CHECK(!e->str && !e->lhs && !e->rhs);
		break;
	case EXPR_STRING:
	case EXPR_TEXT:
		CHECK(e->str && !e->lhs);
		break;
	case EXPR_WORD:
	case EXPR_VAR:
		CHECK(e->str && e->str[0] && !e->lhs);
		break;
	case EXPR_UNARY:
		CHECK((e->op == '-' || e->op == '+') && e->lhs && !e->rhs);
		break;
	case EXPR_BINARY:
		CHECK(e->op && strchr("+-*|", e->op) && e->lhs && e->rhs);
		break;
	case EXPR_MEMBER:
		CHECK(e->lhs && e->str && e->str[0] && !e->rhs);
		break;
	case EXPR_CALL:
		CHECK(e->lhs && !e->rhs);
		break;
	default:
		abort();
	}
	if (e->kind != EXPR_CALL)
		CHECK(!e->args && !e->nargs);
	if (e->lhs)
		check_expr(in, sc, e->lhs);
	if (e->rhs)
		check_expr(in, sc, e->rhs);
	check_args(in, sc, e->args, e->nargs);
}

static void check_stmt(const struct input *in, const struct scenario *sc, const struct stmt *s,
		       size_t index)
{
	size_t i;

	check_pos(in, &s->pos);
	CHECK(s->pos.file == sc->file && s->text && s->text[0]);
	switch (s->kind) {
	case STMT_VM:
		CHECK(index == 0 && !s->process);
		CHECK(!s->noptions || s->options);
		for (i = 0; i < s->noptions; i++) {
			CHECK(s->options[i].key && s->options[i].key[0]);
			CHECK(s->options[i].value && s->options[i].value[0]);
			check_pos(in, &s->options[i].pos);
			check_pos(in, &s->options[i].value_pos);
			CHECK(s->options[i].value_pos.col > s->options[i].pos.col);
		}
		break;
	case STMT_COMMAND:
		CHECK(s->name && s->name[0]);
		break;
	case STMT_EXPECT:
		CHECK(s->subject && s->value && (unsigned)s->op <= CMP_MATCH);
		CHECK(strcmp(cmp_op_str(s->op), "?"));
		break;
	case STMT_SHOW:
		CHECK(s->subject && !s->value);
		break;
	case STMT_CHECK:
		break;
	default:
		abort();
	}
	if (s->subject)
		check_expr(in, sc, s->subject);
	if (s->value)
		check_expr(in, sc, s->value);
	check_args(in, sc, s->args, s->nargs);
}

/* ---- expr_format -------------------------------------------------------------- */

/* The variables an expression uses, for bindings that make its printout parse. */
struct names {
	char *text;		/* "a = x\nb = x\n..." */
	size_t len, cap;
};

static void names_add(struct names *n, const char *name)
{
	size_t need = strlen(name) + 6;

	if (n->len + need + 1 > n->cap) {
		n->cap = 2 * (n->len + need + 1);
		n->text = realloc(n->text, n->cap);
		CHECK(n->text);
	}
	n->len += (size_t)sprintf(n->text + n->len, "%s = x\n", name);
}

static void collect_vars(struct names *n, const struct expr *e)
{
	size_t i;

	if (e->kind == EXPR_VAR)
		names_add(n, e->str);
	if (e->lhs)
		collect_vars(n, e->lhs);
	if (e->rhs)
		collect_vars(n, e->rhs);
	for (i = 0; i < e->nargs; i++)
		if (e->args[i].value)
			collect_vars(n, e->args[i].value);
}

static bool same_expr(const struct expr *a, const struct expr *b);

static bool same_args(const struct arg *a, const struct arg *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (a[i].kind != b[i].kind || !a[i].key != !b[i].key)
			return false;
		if (a[i].key && strcmp(a[i].key, b[i].key))
			return false;
		if (!a[i].value != !b[i].value)
			return false;
		if (a[i].value && !same_expr(a[i].value, b[i].value))
			return false;
	}
	return true;
}

/* The same tree; a here-document prints as a string and so comes back as one. */
static bool same_expr(const struct expr *a, const struct expr *b)
{
	enum expr_kind ka = a->kind == EXPR_TEXT ? EXPR_STRING : a->kind;

	if (ka != b->kind || a->op != b->op || a->number != b->number)
		return false;
	if (!a->str != !b->str || (a->str && strcmp(a->str, b->str)))
		return false;
	if (!a->lhs != !b->lhs || (a->lhs && !same_expr(a->lhs, b->lhs)))
		return false;
	if (!a->rhs != !b->rhs || (a->rhs && !same_expr(a->rhs, b->rhs)))
		return false;
	return a->nargs == b->nargs && same_args(a->args, b->args, a->nargs);
}

/* snprintf's contract: the same length at every size, a NUL-terminated prefix. */
static char *format(const struct expr *e)
{
	size_t len = expr_format(e, NULL, 0), cuts[CUT_SIZES], i;
	char *full, *cut;

	full = malloc(len + 1);
	CHECK(full);
	memset(full, 'x', len + 1);
	CHECK(expr_format(e, full, len + 1) == len);
	CHECK(strlen(full) == len);
	cuts[0] = 1;
	cuts[1] = 2;
	cuts[2] = len / 2 + 1;
	cuts[3] = len;
	for (i = 0; i < CUT_SIZES; i++) {
		size_t keep;

		if (!cuts[i])
			continue;
		keep = cuts[i] - 1 < len ? cuts[i] - 1 : len;
		cut = malloc(cuts[i]);
		CHECK(cut);
		CHECK(expr_format(e, cut, cuts[i]) == len);
		CHECK(strlen(cut) == keep && !memcmp(cut, full, keep));
		free(cut);
	}
	return full;
}

/*
 * "name = x" for each variable, then "show TEXT": the printout must parse
 * back to the same tree (not merely to text that prints the same: `a - 1`
 * printed as `a-1` would come back as the one word a-1, which prints
 * alike).  A printout too long for one line of source is skipped.
 */
static void check_reparse(const struct expr *e, const char *text)
{
	struct names n = { 0 };
	struct scenario sc;
	struct scenario_error err;
	size_t tlen = strlen(text);
	char *again;

	if (tlen > FORMAT_MAX)
		return;
	collect_vars(&n, e);
	n.cap = n.len + tlen + 8;
	n.text = realloc(n.text, n.cap);
	CHECK(n.text);
	n.len += (size_t)sprintf(n.text + n.len, "show %s\n", text);
	if (scenario_parse(FILE_NAME, n.text, n.len, &sc, &err)) {
		fprintf(stderr, "printout does not parse: %u:%u: %s\n%s", err.pos.line,
			err.pos.col, err.msg, n.text);
		abort();
	}
	CHECK(sc.nstmts >= 1 && sc.stmts[sc.nstmts - 1].kind == STMT_SHOW);
	again = format(sc.stmts[sc.nstmts - 1].subject);
	if (strcmp(again, text) || !same_expr(e, sc.stmts[sc.nstmts - 1].subject)) {
		fprintf(stderr, "printout parses to another expression:\n%s\n%s\n", text, again);
		abort();
	}
	free(again);
	scenario_free(&sc);
	free(n.text);
}

static void check_format(const struct expr *e)
{
	char *text = format(e);

	check_reparse(e, text);
	free(text);
}

static void check_formats(const struct stmt *s)
{
	size_t i;

	if (s->subject)
		check_format(s->subject);
	if (s->value)
		check_format(s->value);
	for (i = 0; i < s->nargs; i++)
		if (s->args[i].value)
			check_format(s->args[i].value);
}

/* ---- the machine ------------------------------------------------------------ */

static void check_machine(const struct input *in, struct scenario *sc)
{
	struct scenario_error err;
	struct machine m;

	memset(&err, 0, sizeof(err));
	if (machine_configure(sc, &m, &err)) {
		check_pos(in, &err.pos);
		CHECK(err.pos.file == sc->file);
		CHECK(terminated(err.msg, sizeof(err.msg)) && err.msg[0]);
		CHECK(terminated(err.line, sizeof(err.line)));
		return;
	}
	CHECK(m.memory >= MACHINE_MIN_MEMORY && m.memory <= MACHINE_MAX_MEMORY);
	CHECK(!(m.memory % 4096));
	CHECK(m.zone_dma_end <= m.zone_dma32_end);
	CHECK(!(m.zone_dma_end % 4096) && !(m.zone_dma32_end % 4096));
	CHECK(terminated(m.bootargs, sizeof(m.bootargs)));
	CHECK(!sc->nstmts || sc->stmts[0].kind == STMT_VM || !m.bootargs[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { (const char *)data, size, 0, NULL };
	struct scenario_error err;
	struct scenario sc;
	size_t i;

	split_lines(&in);
	if (scenario_parse(FILE_NAME, in.text, in.len, &sc, &err)) {
		check_error(&in, &err);
		CHECK(!strcmp(err.pos.file, FILE_NAME));
		CHECK(!sc.stmts && !sc.nstmts && !sc.file);
		free(in.line_len);
		return 0;
	}
	CHECK(sc.file && !strcmp(sc.file, FILE_NAME));
	CHECK(!sc.nstmts || sc.stmts);
	for (i = 0; i < sc.nstmts; i++) {
		check_stmt(&in, &sc, &sc.stmts[i], i);
		check_formats(&sc.stmts[i]);
	}
	check_machine(&in, &sc);
	scenario_free(&sc);
	CHECK(!sc.stmts && !sc.file && !sc.nstmts);
	free(in.line_len);
	return 0;
}

/* ---- seeds and dictionary ---------------------------------------------------- */

/* Each construct at least once; the make rule adds the real scenario files. */
static const char *const seeds[] = {
	"vm memory=64M zones=dma:16M,dma32:48M seed=7\n"
	"x = echo 42\n"
	"expect $x == 42\n"
	"show iomem\n"
	"check\n",

	"# a comment\r\n"
	"vm memory=0x4000000 # trailing\r\n"
	"\r\n"
	"p = alloc_pages order=9 gfp=GFP_DMA32|__GFP_ZERO count=max\r\n"
	"expect $p.zone == DMA32\r\n"
	"expect zone(Normal).free >= ($p.count - 1) * 4K + -2\r\n"
	"free_pages $p\r\n",

	"expect cmdline == <<END\n"
	"memory=64M seed=7\n"
	"\tindented \"quoted\" \\ text\n"
	"END\n"
	"expect buddyinfo =~ \"^Node 0, zone +DMA\\t\\n\"\n",

	"A: fork A -> B\n"
	"B: x = f(1, k=2, ->, \"s\", g(h).i) 0x10000 1G 3M 5K 7\n"
	"expect -$x + +1 * (2 | 3) != x-y\n"
	"show kmalloc-128.active\n"
	"check rule=walk verbose\n",

	"a = capture findings\n"
	"b = echo $a\n"
	"expect $a < $b\n"
	"expect $a <= $b\n"
	"expect $a > 1\n"
	"expect $a >= 0\n"
	"provoke triple-fault\n",

	/* errors, for the mutator to repair or move */
	"vm memory=1X seed=K colour=red zones=dma:64M,dma32:32M\n",
	"expect (((1 + \n",
	"x-y = echo \"unterminated\n",
	"expect $undefined == 1\n",
	"echo \"\\q\"\n",
	"vm\nvm\n",
	"show 99999999999999999999999\n",
	"x = <<TAG\nnever ends\n",
};

static const char *const dict[] = {
	"vm", "expect", "show", "check", "echo", "capture", "alloc_pages", "free_pages",
	"provoke", "plant", "memory=", "seed=", "zones=", "dma:", "dma32:", "order=",
	"gfp=", "count=", "max", "GFP_KERNEL", "zone(", "DMA32", "Normal", "cmdline",
	"buddyinfo", "==", "!=", "<=", ">=", "=~", "<", ">", "<<", "<<END\n", "\nEND\n",
	"->", "=", "$", ".", "(", ")", ",", ":", "|", "*", "+", "-", "#", "\"", "\\n",
	"\\t", "\\\\", "\\\"", "\r\n", "\t", "0x", "K", "M", "G", "64M", "4K", "A: ",
	"18446744073709551615", "x = ", "$x",
};

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(text, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* One dictionary entry: "..." with quotes, backslashes and non-printables escaped. */
static void dict_entry(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if (*s < 0x20 || *s >= 0x7f)
			fprintf(f, "\\x%02X", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputs("\"\n", f);
}

static void write_dict(const char *path)
{
	FILE *f = fopen(path, "w");
	size_t i;

	if (!f) {
		perror(path);
		exit(1);
	}
	for (i = 0; i < sizeof(dict) / sizeof(dict[0]); i++)
		dict_entry(f, dict[i]);
	if (fclose(f)) {
		perror(path);
		exit(1);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("FUZZ_SEED_DIR"), *dict_path = getenv("FUZZ_DICT");
	char path[4096];
	size_t i;

	(void)argc;
	(void)argv;
	if (dir)
		for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
			snprintf(path, sizeof(path), "%s/seed-%zu.vmm", dir, i);
			write_file(path, seeds[i], strlen(seeds[i]));
		}
	if (dict_path)
		write_dict(dict_path);
	return 0;
}
