// SPDX-License-Identifier: MIT
/*
 * The scenario parser: exact trees for good input, exact positions and
 * messages for bad input, and a fuzz-like loop for robustness.  Trees are
 * compared through dump(), an S-expression rendering that shows every
 * node kind and decoded value but no positions, so expectations stay
 * readable; positions are checked separately where they matter.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/kernel.h"
#include "check_fast.h"
#include "check_main.h"
#include "scenario/scenario.h"

/* ---- a string builder for dumps ---- */

struct buf {
	char s[8192];
	size_t n;
};

static void add(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->s + b->n, sizeof(b->s) - b->n, fmt, ap);
	va_end(ap);
	fast_assert_int_ge(n, 0);
	fast_assert_uint_lt(b->n + (size_t)n, sizeof(b->s));
	b->n += (size_t)n;
}

static void add_quoted(struct buf *b, const char *s)
{
	add(b, "\"");
	for (; *s; s++)
		add(b, *s == '\n' ? "\\n" : "%c", *s);
	add(b, "\"");
}

static void dump_expr(struct buf *b, const struct expr *e);

static void dump_args(struct buf *b, const struct arg *args, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		add(b, " ");
		if (args[i].kind == ARG_ARROW) {
			add(b, "->");
			continue;
		}
		if (args[i].kind == ARG_KEYED)
			add(b, "%s=", args[i].key);
		dump_expr(b, args[i].value);
	}
}

static void dump_expr(struct buf *b, const struct expr *e)
{
	switch (e->kind) {
	case EXPR_NUMBER: add(b, "#%llu", (unsigned long long)e->number); break;
	case EXPR_STRING: add_quoted(b, e->str); break;
	case EXPR_TEXT: add(b, "<<"); add_quoted(b, e->str); break;
	case EXPR_WORD: add(b, "%s", e->str); break;
	case EXPR_VAR: add(b, "$%s", e->str); break;
	case EXPR_UNARY:
		add(b, "(%s ", e->op == '-' ? "neg" : "pos");
		dump_expr(b, e->lhs);
		add(b, ")");
		break;
	case EXPR_BINARY:
		add(b, "(%c ", e->op);
		dump_expr(b, e->lhs);
		add(b, " ");
		dump_expr(b, e->rhs);
		add(b, ")");
		break;
	case EXPR_MEMBER:
		add(b, "(. ");
		dump_expr(b, e->lhs);
		add(b, " %s)", e->str);
		break;
	case EXPR_CALL:
		add(b, "(call ");
		dump_expr(b, e->lhs);
		dump_args(b, e->args, e->nargs);
		add(b, ")");
		break;
	}
}

static void dump_stmt(struct buf *b, const struct stmt *st)
{
	size_t i;

	if (st->process)
		add(b, "%s: ", st->process);
	switch (st->kind) {
	case STMT_VM:
		add(b, "vm");
		for (i = 0; i < st->noptions; i++)
			add(b, " %s=%s", st->options[i].key, st->options[i].value);
		break;
	case STMT_COMMAND:
		if (st->bind)
			add(b, "%s = ", st->bind);
		add(b, "%s", st->name);
		dump_args(b, st->args, st->nargs);
		break;
	case STMT_EXPECT:
		add(b, "expect ");
		dump_expr(b, st->subject);
		add(b, " %s ", cmp_op_str(st->op));
		dump_expr(b, st->value);
		break;
	case STMT_SHOW:
		add(b, "show ");
		dump_expr(b, st->subject);
		break;
	case STMT_CHECK:
		add(b, "check");
		dump_args(b, st->args, st->nargs);
		break;
	}
}

/* All statements, one per line. */
static const char *dump(const struct scenario *sc)
{
	static struct buf b;
	size_t i;

	b.n = 0;
	b.s[0] = '\0';
	for (i = 0; i < sc->nstmts; i++) {
		dump_stmt(&b, &sc->stmts[i]);
		add(&b, "\n");
	}
	return b.s;
}

/* The last statement only. */
static const char *dump_last(const struct scenario *sc)
{
	static struct buf b;

	b.n = 0;
	dump_stmt(&b, &sc->stmts[sc->nstmts - 1]);
	add(&b, "\n");
	return b.s;
}

/* ---- parse helpers ---- */

static void parse_ok(const char *src, struct scenario *sc)
{
	struct scenario_error err;

	if (scenario_parse("t.vmm", src, strlen(src), sc, &err))
		ck_abort_msg("parse failed: %u:%u: %s", err.pos.line, err.pos.col, err.msg);
}

/* Parse `src` and compare the dump of its statements with `want`. */
static void check_tree(const char *src, const char *want)
{
	struct scenario sc;

	parse_ok(src, &sc);
	ck_assert_str_eq(dump(&sc), want);
	scenario_free(&sc);
}

static void check_error_n(const char *src, size_t len, unsigned line,
			  unsigned col, const char *msg)
{
	struct scenario_error err;
	struct scenario sc;

	ck_assert_msg(scenario_parse("t.vmm", src, len, &sc, &err) == -1,
		      "parsed: %.80s", src);
	ck_assert_msg(err.pos.line == line && err.pos.col == col && strstr(err.msg, msg),
		      "%.80s: want %u:%u '%s', got %u:%u '%s'", src, line, col, msg,
		      err.pos.line, err.pos.col, err.msg);
	ck_assert_str_eq(err.pos.file, "t.vmm");
	ck_assert_ptr_null(sc.stmts);
	ck_assert_ptr_null(sc.file);
}

static void check_error(const char *src, unsigned line, unsigned col, const char *msg)
{
	check_error_n(src, strlen(src), line, col, msg);
}

/* ---- good input ---- */

static const char sketch[] =
	"# brk is lazy: frames arrive at first touch (seed 000)\n"
	"vm memory=64M zones=dma:16M,dma32:48M seed=7 slab_debug=FZP\n"
	"\n"
	"spawn A\n"
	"A: old = brk +64K\n"
	"expect A.vma($old).name == \"[heap]\"\n"
	"expect A.rss == 0\n"
	"A: touch $old write\n"
	"expect A.rss == 1\n"
	"expect A.pte($old) == present|rw|user\n"
	"A: touch $old+4K read\n"
	"expect A.pte($old+4K) == present|user|zero_page\n"
	"check\n"
	"\n"
	"k = kmalloc 100\n"
	"expect $k.cache == kmalloc-128\n"
	"kfree $k\n"
	"\n"
	"p = alloc_pages order=9 gfp=GFP_KERNEL\n"
	"expect $p.zone == Normal\n"
	"free_pages $p\n"
	"expect buddyinfo == <<END\n"
	"Node 0, zone      DMA      ...\n"
	"END\n"
	"\n"
	"fork A -> B\n"
	"B: touch $old write\n"
	"expect B.pte($old).pfn != A.pte($old).pfn\n"
	"A: touch 0x1000 write\n"
	"expect A.signal == \"SIGSEGV/SEGV_MAPERR\"\n";

static const char sketch_tree[] =
	"vm memory=64M zones=dma:16M,dma32:48M seed=7 slab_debug=FZP\n"
	"spawn A\n"
	"A: old = brk (pos #65536)\n"
	"expect (. (call (. A vma) $old) name) == \"[heap]\"\n"
	"expect (. A rss) == #0\n"
	"A: touch $old write\n"
	"expect (. A rss) == #1\n"
	"expect (call (. A pte) $old) == (| (| present rw) user)\n"
	"A: touch (+ $old #4096) read\n"
	"expect (call (. A pte) (+ $old #4096)) == (| (| present user) zero_page)\n"
	"check\n"
	"k = kmalloc #100\n"
	"expect (. $k cache) == kmalloc-128\n"
	"kfree $k\n"
	"p = alloc_pages order=#9 gfp=GFP_KERNEL\n"
	"expect (. $p zone) == Normal\n"
	"free_pages $p\n"
	"expect buddyinfo == <<\"Node 0, zone      DMA      ...\\n\"\n"
	"fork A -> B\n"
	"B: touch $old write\n"
	"expect (. (call (. B pte) $old) pfn) != (. (call (. A pte) $old) pfn)\n"
	"A: touch #4096 write\n"
	"expect (. A signal) == \"SIGSEGV/SEGV_MAPERR\"\n";

START_TEST(test_sketch_tree)
{
	check_tree(sketch, sketch_tree);
}
END_TEST

static void check_pos(struct src_pos pos, unsigned line, unsigned col)
{
	ck_assert_str_eq(pos.file, "t.vmm");
	ck_assert_uint_eq(pos.line, line);
	ck_assert_uint_eq(pos.col, col);
}

START_TEST(test_sketch_details)
{
	const struct stmt *st;
	struct scenario sc;

	parse_ok(sketch, &sc);
	ck_assert_str_eq(sc.file, "t.vmm");
	ck_assert_uint_eq(sc.nstmts, 23);

	st = &sc.stmts[0];
	ck_assert_int_eq(st->kind, STMT_VM);
	check_pos(st->pos, 2, 1);
	ck_assert_uint_eq(st->noptions, 4);
	check_pos(st->options[1].pos, 2, 15);
	check_pos(st->options[1].value_pos, 2, 21);

	st = &sc.stmts[2];		/* A: old = brk +64K */
	ck_assert_int_eq(st->kind, STMT_COMMAND);
	ck_assert_str_eq(st->text, "A: old = brk +64K");
	check_pos(st->pos, 5, 1);
	check_pos(st->name_pos, 5, 10);
	check_pos(st->args[0].pos, 5, 14);
	check_pos(st->args[0].value->pos, 5, 14);
	check_pos(st->args[0].value->lhs->pos, 5, 15);

	st = &sc.stmts[3];		/* expect A.vma($old).name == "[heap]" */
	ck_assert_int_eq(st->kind, STMT_EXPECT);
	ck_assert_int_eq(st->op, CMP_EQ);
	check_pos(st->op_pos, 6, 25);
	check_pos(st->subject->pos, 6, 20);		/* the field name */
	check_pos(st->subject->lhs->pos, 6, 13);	/* the '(' */
	check_pos(st->value->pos, 6, 28);
	ck_assert_str_eq(st->value->str, "[heap]");

	st = &sc.stmts[10];		/* check */
	ck_assert_int_eq(st->kind, STMT_CHECK);
	ck_assert_uint_eq(st->nargs, 0);
	ck_assert_ptr_null(st->name);

	st = &sc.stmts[17];		/* expect buddyinfo == <<END */
	ck_assert_int_eq(st->value->kind, EXPR_TEXT);
	check_pos(st->value->pos, 22, 21);
	ck_assert_str_eq(st->text, "expect buddyinfo == <<END");

	st = &sc.stmts[18];		/* fork A -> B */
	check_pos(st->pos, 26, 1);
	ck_assert_int_eq(st->args[1].kind, ARG_ARROW);
	ck_assert_ptr_null(st->args[1].value);
	check_pos(st->args[1].pos, 26, 8);
	scenario_free(&sc);
}
END_TEST

START_TEST(test_numbers)
{
	check_tree("f 0 42 007 0x1000 0XaBc 64K 2M 1G 0x10K 18446744073709551615\n"
		   "f 0xffffffffffffffff 16777215G 17179869183G\n",
		   "f #0 #42 #7 #4096 #2748 #65536 #2097152 #1073741824 #16384 "
		   "#18446744073709551615\n"
		   "f #18446744073709551615 #18014397435740160 #18446744072635809792\n");
}
END_TEST

START_TEST(test_strings)
{
	struct scenario sc;

	parse_ok("f \"a\\nb\\tc\\\\d\\\"e\" \"\" \"# not a comment\" \"caf\xc3\xa9\"\n", &sc);
	ck_assert_uint_eq(sc.stmts[0].nargs, 4);
	ck_assert_str_eq(sc.stmts[0].args[0].value->str, "a\nb\tc\\d\"e");
	ck_assert_str_eq(sc.stmts[0].args[1].value->str, "");
	ck_assert_str_eq(sc.stmts[0].args[2].value->str, "# not a comment");
	ck_assert_str_eq(sc.stmts[0].args[3].value->str, "caf\xc3\xa9");
	scenario_free(&sc);
}
END_TEST

START_TEST(test_names_and_hyphens)
{
	check_tree("a = f\n"
		   "p = f\n"
		   "f triple-fault kmalloc-128 x-1 x - 1 $a-4K $p.pfn-1 A->B a_b-c_d\n",
		   "a = f\n"
		   "p = f\n"
		   "f triple-fault kmalloc-128 x-1 (- x #1) (- $a #4096) (- (. $p pfn) #1) "
		   "A -> B a_b-c_d\n");
}
END_TEST

START_TEST(test_precedence)
{
	check_tree("x = f\n"
		   "show 1+2*3|4\n"
		   "show 1-2-3\n"
		   "show 1*(2+3)\n"
		   "show -$x.y\n"
		   "show --1\n"
		   "show +1 - -2\n"
		   "show a|b|c\n"
		   "show (a).b(c)(d).e\n",
		   "x = f\n"
		   "show (| (+ #1 (* #2 #3)) #4)\n"
		   "show (- (- #1 #2) #3)\n"
		   "show (* #1 (+ #2 #3))\n"
		   "show (neg (. $x y))\n"
		   "show (neg (neg #1))\n"
		   "show (- (pos #1) (neg #2))\n"
		   "show (| (| a b) c)\n"
		   "show (. (call (call (. a b) c) d) e)\n");
}
END_TEST

START_TEST(test_args_and_blanks)
{
	check_tree("a = f\n"
		   "f $a + 4K\n"
		   "f $a+4K b\n"
		   "f $a\t+\t4K\tb\n"
		   "f g (1)\n"
		   "f g(1)\n"
		   "f order=9 gfp=A|B x=-1 y=(1)\n"
		   "f g(a, k=1, ->, h())\n"
		   "f g( 1 ,2 )\n"
		   "f 1 -2\n"
		   "f -> ->\n",
		   "a = f\n"
		   "f (+ $a #4096)\n"
		   "f (+ $a #4096) b\n"
		   "f (+ $a #4096) b\n"
		   "f g #1\n"
		   "f (call g #1)\n"
		   "f order=#9 gfp=(| A B) x=(neg #1) y=#1\n"
		   "f (call g a k=#1 -> (call h))\n"
		   "f (call g #1 #2)\n"
		   "f (- #1 #2)\n"
		   "f -> ->\n");
}
END_TEST

START_TEST(test_comments_and_blank_lines)
{
	struct scenario sc;

	check_tree("", "");
	check_tree("\n\n   \n\t\n", "");
	check_tree("# only a comment", "");
	check_tree("  # indented comment\n"
		   "vm#c\n"
		   "f a # trailing comment\n"
		   "f \"#\"#x\n"
		   "expect x == 1# tight\n"
		   "   f   b   \n",
		   "vm\n"
		   "f a\n"
		   "f \"#\"\n"
		   "expect x == #1\n"
		   "f b\n");
	/* comments and blank lines before vm still leave it first */
	parse_ok("# c\n\nvm\nf", &sc);
	ck_assert_uint_eq(sc.nstmts, 2);
	ck_assert_uint_eq(sc.stmts[1].pos.line, 4);
	scenario_free(&sc);
}
END_TEST

START_TEST(test_crlf)
{
	struct scenario sc;

	parse_ok("vm memory=64M\r\n"
		 "f a\r\n"
		 "\r\n"
		 "# c\r\n"
		 "expect x == <<END\r\n"
		 "line 1\r\n"
		 "\r\n"
		 "END\r\n"
		 "f \"b\"\r\n", &sc);
	ck_assert_str_eq(dump(&sc), "vm memory=64M\n"
				    "f a\n"
				    "expect x == <<\"line 1\\n\\n\"\n"
				    "f \"b\"\n");
	ck_assert_str_eq(sc.stmts[0].options[0].value, "64M");
	ck_assert_str_eq(sc.stmts[1].text, "f a");
	ck_assert_uint_eq(sc.stmts[3].pos.line, 9);
	scenario_free(&sc);
}
END_TEST

START_TEST(test_keywords_only_at_statement_start)
{
	check_tree("expect show == check\n"
		   "f vm expect show check\n"
		   "A: expect x == 1\n"
		   "B: show x\n"
		   "C: check order=1 -> x\n"
		   "expect = f\n"
		   "A : f\n",
		   "expect show == check\n"
		   "f vm expect show check\n"
		   "A: expect x == #1\n"
		   "B: show x\n"
		   "C: check order=#1 -> x\n"
		   "expect = f\n"
		   "A: f\n");
}
END_TEST

START_TEST(test_comparisons)
{
	check_tree("expect a == 1\nexpect a != 1\nexpect a < 1\nexpect a <= 1\n"
		   "expect a > 1\nexpect a >= 1\nexpect a =~ \"x.*\"\nexpect a==b\n",
		   "expect a == #1\nexpect a != #1\nexpect a < #1\nexpect a <= #1\n"
		   "expect a > #1\nexpect a >= #1\nexpect a =~ \"x.*\"\nexpect a == b\n");
}
END_TEST

START_TEST(test_heredoc)
{
	check_tree("expect a == <<END\n"
		   "END\n"
		   "expect b =~ << EOT # the tag may follow a blank\n"
		   "  # kept \"verbatim\" \\q $undefined\n"
		   "END\n"
		   " EOT\n"
		   "EOT \n"
		   "EOT\n"
		   "f",
		   "expect a == <<\"\"\n"
		   "expect b =~ <<\"  # kept \"verbatim\" \\q $undefined\\nEND\\n EOT\\nEOT \\n\"\n"
		   "f\n");
}
END_TEST

START_TEST(test_bindings)
{
	struct scenario sc;

	check_tree("k=kmalloc 1\n"
		   "k = kfree $k\n"
		   "A: m = mmap 4K\n"
		   "B: touch $m $k\n"
		   "vm_x = f\n"
		   "f $vm_x\n",
		   "k = kmalloc #1\n"
		   "k = kfree $k\n"
		   "A: m = mmap #4096\n"
		   "B: touch $m $k\n"
		   "vm_x = f\n"
		   "f $vm_x\n");
	parse_ok("A: m = mmap 4K # c", &sc);
	ck_assert_str_eq(sc.stmts[0].text, "A: m = mmap 4K");
	ck_assert_str_eq(sc.stmts[0].bind, "m");
	ck_assert_str_eq(sc.stmts[0].process, "A");
	check_pos(sc.stmts[0].name_pos, 1, 8);
	scenario_free(&sc);
}
END_TEST

/* Many bindings exercise the name table's growth. */
START_TEST(test_many_bindings)
{
	size_t i, n = 0, cap = 300 * 32;
	char *src = malloc(cap);
	struct scenario sc;

	for (i = 0; i < 300; i++)
		n += (size_t)snprintf(src + n, cap - n, "v%zu = f\n", i);
	for (i = 0; i < 300; i++)
		n += (size_t)snprintf(src + n, cap - n, "f $v%zu\n", i);
	parse_ok(src, &sc);
	ck_assert_uint_eq(sc.nstmts, 600);
	ck_assert_str_eq(sc.stmts[599].args[0].value->str, "v299");
	scenario_free(&sc);
	free(src);
}
END_TEST

START_TEST(test_text_trimmed)
{
	struct scenario sc;

	parse_ok("  vm  a=1   b=2  # c \n\t f  x   y \t# c\n   expect a == \"x # y\"  \n", &sc);
	ck_assert_str_eq(sc.stmts[0].text, "vm  a=1   b=2");
	ck_assert_str_eq(sc.stmts[1].text, "f  x   y");
	ck_assert_str_eq(sc.stmts[2].text, "expect a == \"x # y\"");
	check_pos(sc.stmts[1].pos, 2, 3);
	scenario_free(&sc);
}
END_TEST

/* ---- expr_format ---- */

static const struct {
	const char *src, *canonical;
} formats[] = {
	{ "$a+4K", "$a+4K" },
	{ "$a + 4096", "$a+4K" },
	{ "present | rw | user", "present|rw|user" },
	{ "A.pte($a).pfn", "A.pte($a).pfn" },
	{ "A.vma( $a , k=1 , -> )", "A.vma($a, k=1, ->)" },
	{ "f()", "f()" },
	{ "0x1000", "4K" },
	{ "1024", "1K" },
	{ "1536", "1536" },
	{ "65535", "65535" },
	{ "0x7fff0000", "0x7fff0000" },
	{ "3M", "3M" },
	{ "1024M", "1G" },
	{ "1024G", "0x10000000000" },
	{ "0", "0" },
	{ "\"a\\nb\\t\\\"\\\\\"", "\"a\\nb\\t\\\"\\\\\"" },
	{ "x - 1", "x - 1" },
	{ "x-1", "x-1" },
	{ "$a - 1", "$a-1" },
	{ "(a|b) - c", "(a|b) - c" },
	{ "1 - -x", "1--x" },
	{ "x - -1", "x - -1" },
	{ "1-(2-3)", "1-(2-3)" },
	{ "(1-2)-3", "1-2-3" },
	{ "(1+2)*3", "(1+2)*3" },
	{ "-(1+2)", "-(1+2)" },
	{ "-(-1)", "--1" },
	{ "(-1).x", "(-1).x" },
	{ "(a+b).c", "(a+b).c" },
	{ "((a))", "a" },
	{ "4K.x", "4K.x" },
	{ "kmalloc-128", "kmalloc-128" },
};

START_TEST(test_format)
{
	char src[256], out[256], first[1024];
	struct scenario sc, again;
	const struct expr *e;
	size_t n;

	snprintf(src, sizeof(src), "a = f\nshow %s\n", formats[_i].src);
	parse_ok(src, &sc);
	e = sc.stmts[1].subject;
	n = expr_format(e, out, sizeof(out));
	ck_assert_str_eq(out, formats[_i].canonical);
	ck_assert_uint_eq(n, strlen(out));

	/* the canonical form parses back to the same tree */
	snprintf(first, sizeof(first), "%s", dump(&sc));
	snprintf(src, sizeof(src), "a = f\nshow %s\n", out);
	parse_ok(src, &again);
	ck_assert_str_eq(dump(&again), first);
	scenario_free(&again);
	scenario_free(&sc);
}
END_TEST

START_TEST(test_format_truncates)
{
	struct scenario sc;
	char out[8];

	parse_ok("expect x == <<END\nab\"c\nEND\nshow A.pte(1, 2)\n", &sc);
	ck_assert_uint_eq(expr_format(sc.stmts[0].value, out, sizeof(out)), 9);
	ck_assert_str_eq(out, "\"ab\\\"c\\");
	ck_assert_uint_eq(expr_format(sc.stmts[1].subject, out, 4), 11);
	ck_assert_str_eq(out, "A.p");
	ck_assert_uint_eq(expr_format(sc.stmts[1].subject, NULL, 0), 11);
	ck_assert_uint_eq(expr_format(sc.stmts[1].subject, out, 1), 11);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(expr_format(NULL, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "");
	scenario_free(&sc);
}
END_TEST

START_TEST(test_cmp_op_str)
{
	ck_assert_str_eq(cmp_op_str(CMP_EQ), "==");
	ck_assert_str_eq(cmp_op_str(CMP_NE), "!=");
	ck_assert_str_eq(cmp_op_str(CMP_LT), "<");
	ck_assert_str_eq(cmp_op_str(CMP_LE), "<=");
	ck_assert_str_eq(cmp_op_str(CMP_GT), ">");
	ck_assert_str_eq(cmp_op_str(CMP_GE), ">=");
	ck_assert_str_eq(cmp_op_str(CMP_MATCH), "=~");
	ck_assert_str_eq(cmp_op_str((enum cmp_op)99), "?");
}
END_TEST

/* ---- bad input ---- */

static const struct {
	const char *src;
	unsigned line, col;
	const char *msg;
} errors[] = {
	{ "f \"abc", 1, 3, "unterminated string" },
	{ "f \"abc\\\"", 1, 3, "unterminated string" },
	{ "f \"a\\qb\"", 1, 5, "unknown escape '\\q' in a string" },
	{ "f 18446744073709551616", 1, 3, "number does not fit in 64 bits" },
	{ "f 17179869184G", 1, 3, "number does not fit in 64 bits" },
	{ "f 0x10000000000000000", 1, 3, "number does not fit in 64 bits" },
	{ "f 4KB", 1, 4, "bad suffix 'KB' on a number (sizes take K, M or G)" },
	{ "f 4k", 1, 4, "bad suffix 'k'" },
	{ "f 10x", 1, 5, "bad suffix 'x'" },
	{ "f 0x", 1, 3, "expected hex digits after '0x'" },
	{ "f 0xg", 1, 3, "expected hex digits after '0x'" },
	{ "expect A.rss 0", 1, 14,
	  "expected a comparison (==, !=, <, <=, >, >=, =~) after the subject" },
	{ "expect A.rss", 1, 13, "expected a comparison (==, !=, <, <=, >, >=, =~)" },
	{ "expect A.rss = 0", 1, 14, "did you mean '=='?" },
	{ "expect A.rss ==", 1, 16, "expected a value after '=='" },
	{ "expect A.rss =~  # c", 1, 16, "expected a value after '=~'" },
	{ "expect A.rss != )", 1, 17, "expected a value after '!='" },
	{ "f\nexpect x == <<END\nbody\nEN\n", 2, 13,
	  "unterminated here-document: no line 'END' ends it" },
	{ "expect x == <<END\n END", 1, 13, "unterminated here-document" },
	{ "expect x == <<", 1, 15, "expected a tag after '<<'" },
	{ "expect x == <<END junk", 1, 19,
	  "unexpected 'junk' after the here-document tag" },
	{ "show <<END\nEND", 1, 6, "expected a subject after 'show'" },
	{ "touch $nope", 1, 7, "undefined name $nope" },
	{ "\n\n  show A.pte($x)", 3, 14, "undefined name $x" },
	{ "x = f $x", 1, 7, "undefined name $x" },
	{ "f $x\nx = f", 1, 3, "undefined name $x" },
	{ "f\nvm", 2, 1, "'vm' must be the first statement" },
	{ "vm\nvm", 2, 1, "duplicate 'vm' line (the first is on line 1)" },
	{ "vm\n\n  vm a=1", 3, 3, "duplicate 'vm' line" },
	{ "vm memory 64M", 1, 10, "expected '=' after vm option 'memory'" },
	{ "vm memory", 1, 10, "expected '=' after vm option 'memory'" },
	{ "vm memory=", 1, 11, "expected a value after 'memory='" },
	{ "vm memory= 64M", 1, 11, "expected a value after 'memory='" },
	{ "vm a=1 64M", 1, 8, "expected a vm option KEY=VALUE, found '64M'" },
	{ "vm a=1\x01", 1, 7, "unexpected byte 0x01 in a vm option" },
	{ "A: vm", 1, 4, "'vm' cannot have a process prefix" },
	{ "expect A.rss == 0 pages", 1, 19, "unexpected 'pages' after the value" },
	{ "show A.rss junk", 1, 12, "unexpected 'junk' after the subject" },
	{ "show A.pte ($x)", 1, 12, "unexpected '(' after the subject" },
	{ "expect (1 == 2", 1, 11, "expected ')' to close the '(' at column 8" },
	{ "show ((1)", 1, 10, "expected ')' to close the '(' at column 6" },
	{ "show f(1", 1, 9, "expected ',' or ')' after an argument of the call at column 7" },
	{ "show f(1 2)", 1, 10, "expected ',' or ')'" },
	{ "show f(1,)", 1, 10, "expected an argument after ','" },
	{ "show f(", 1, 8, "expected an argument after '('" },
	{ "f 1)", 1, 4, "unmatched ')'" },
	{ "expect x == 1)", 1, 14, "unmatched ')'" },
	{ "expect", 1, 7, "expected a subject after 'expect'" },
	{ "expect   # c", 1, 7, "expected a subject after 'expect'" },
	{ "expect == 1", 1, 8, "expected a subject after 'expect'" },
	{ "show", 1, 5, "expected a subject after 'show'" },
	{ "A:", 1, 3, "expected a statement after 'A:'" },
	{ "A: B: f", 1, 4, "only one process prefix per statement" },
	{ "42 f", 1, 1, "expected a statement (a command, expect, show, check or vm), found '42'" },
	{ "$x", 1, 1, "expected a statement" },
	{ "k = 5", 1, 5, "expected a command after 'k ='" },
	{ "k =", 1, 4, "expected a command after 'k ='" },
	{ "k = check", 1, 5, "'check' is a statement, not a command" },
	{ "my-p = f", 1, 1, "a bound name cannot contain '-'" },
	{ "f order= 9", 1, 9, "expected a value right after 'order=' (no blanks around '=')" },
	{ "f order=", 1, 9, "expected a value right after 'order='" },
	{ "f order =9", 1, 9, "unexpected '=' (a keyed argument is key=value, without blanks)" },
	{ "f a, b", 1, 4, "unexpected ',' in the arguments of 'f'" },
	{ "check ==", 1, 7, "unexpected '==' in the arguments of 'check'" },
	{ "expct x == 1", 1, 9,
	  "unexpected '==' in the arguments of 'expct' (comparisons belong in 'expect')" },
	{ "f [heap]", 1, 3, "unexpected character '['" },
	{ "f a\rb", 1, 4, "unexpected byte 0x0d" },
	{ "f \xff", 1, 3, "unexpected byte 0xff" },
	{ "f $", 1, 3, "expected a name after '$'" },
	{ "f $1", 1, 3, "expected a name after '$'" },
	{ "f a.", 1, 5, "expected a field name after '.'" },
	{ "f a.-b", 1, 5, "expected a field name after '.'" },
	{ "f 1 +", 1, 6, "expected an operand (number, \"string\", name, $name or '('), found end of line" },
	{ "f 1 * ->", 1, 7, "expected an operand" },
	{ "f (", 1, 4, "expected an operand" },
	{ "f !", 1, 3, "unexpected character '!'" },
	{ "f\n# c\n\n  g \"x\\y\"", 4, 7, "unknown escape '\\y'" },
	{ "f\r\ng 4KB\r\n", 2, 4, "bad suffix 'KB'" },
};

START_TEST(test_errors)
{
	check_error(errors[_i].src, errors[_i].line, errors[_i].col, errors[_i].msg);
}
END_TEST

START_TEST(test_nul_byte)
{
	static const char src[] = "f a\0b\n";
	static const char body[] = "expect x == <<END\nok\nb\0d\nEND\n";

	check_error_n(src, sizeof(src) - 1, 1, 4, "NUL byte in the input");
	check_error_n(body, sizeof(body) - 1, 3, 2, "NUL byte in the input");
	check_error_n("\0", 1, 1, 1, "NUL byte");
}
END_TEST

START_TEST(test_long_lines)
{
	size_t n = 65536;
	char *src = malloc(n + 8);

	/* exactly at the limit: one long word is fine */
	memset(src, 'a', n);
	src[n] = '\n';
	{
		struct scenario sc;
		struct scenario_error err;

		ck_assert_int_eq(scenario_parse("t.vmm", src, n + 1, &sc, &err), 0);
		ck_assert_uint_eq(strlen(sc.stmts[0].name), n);
		scenario_free(&sc);
	}
	src[n] = 'a';
	check_error_n(src, n + 1, 1, 65537, "line longer than 65536 bytes");
	free(src);
}
END_TEST

START_TEST(test_deep_expressions)
{
	size_t n = 30000, i;
	char *src = malloc(2 * n + 16);
	struct scenario sc;

	/* 30000 '(' would overflow the stack without the term budget */
	memcpy(src, "show ", 5);
	memset(src + 5, '(', n);
	check_error_n(src, n + 5, 1, 1006, "expression too long (more than 1000 terms)");

	memset(src + 5, '-', n);
	check_error_n(src, n + 5, 1, 1006, "expression too long");

	for (i = 0; i < n; i++)
		memcpy(src + 5 + 2 * i, "1+", 2);
	check_error_n(src, 2 * n + 5, 1, 1006, "expression too long");

	/* the budget is per expression: many arguments are fine */
	memcpy(src, "f ", 2);
	for (i = 0; i < n; i++)
		memcpy(src + 2 + 2 * i, "1 ", 2);
	ck_assert_int_eq(scenario_parse("t.vmm", src, 2 * n + 2, &sc, NULL), 0);
	ck_assert_uint_eq(sc.stmts[0].nargs, n);
	scenario_free(&sc);
	free(src);
}
END_TEST

/* ---- error printing ---- */

static const char *print_error(const struct scenario_error *err)
{
	static char out[1024];
	FILE *f = fmemopen(out, sizeof(out), "w");

	ck_assert_ptr_nonnull(f);
	scenario_error_print(err, f);
	fclose(f);
	return out;
}

START_TEST(test_error_print)
{
	struct scenario_error err;
	struct scenario sc;
	const char *src = "f\n\tA: touch $old write # c\n";

	ck_assert_int_eq(scenario_parse("dir/t.vmm", src, strlen(src), &sc, &err), -1);
	ck_assert_str_eq(print_error(&err),
			 "dir/t.vmm:2:11: error: undefined name $old (no earlier statement binds it)\n"
			 "  \tA: touch $old write # c\n"
			 "  \t         ^\n");

	/* control bytes are masked; UTF-8 continuation bytes take no column */
	src = "f \"\xc3\xa9\" \x01";
	ck_assert_int_eq(scenario_parse("t", src, strlen(src), &sc, &err), -1);
	ck_assert_str_eq(print_error(&err),
			 "t:1:8: error: unexpected byte 0x01\n"
			 "  f \"\xc3\xa9\" ?\n"
			 "        ^\n");

	/* a caret at the end of the line, after the last token */
	src = "expect x ==";
	ck_assert_int_eq(scenario_parse("t", src, strlen(src), &sc, &err), -1);
	ck_assert_str_eq(print_error(&err),
			 "t:1:12: error: expected a value after '=='\n"
			 "  expect x ==\n"
			 "             ^\n");
}
END_TEST

START_TEST(test_error_print_long_line)
{
	struct scenario_error err;
	struct scenario sc;
	char src[400];
	const char *out;

	memset(src, 'a', sizeof(src));
	memcpy(src + 300, " [", 2);
	ck_assert_int_eq(scenario_parse("t", src, sizeof(src), &sc, &err), -1);
	ck_assert_uint_eq(err.pos.col, 302);
	ck_assert_uint_eq(strlen(err.line), sizeof(err.line) - 1);
	out = print_error(&err);
	/* the column is past the stored part of the line: no caret */
	ck_assert_ptr_null(strchr(out, '^'));
	ck_assert_ptr_nonnull(strstr(out, "t:1:302: error: unexpected character '['"));
}
END_TEST

/* ---- files ---- */

START_TEST(test_parse_file)
{
	char path[] = "/tmp/test_scenario_parse.XXXXXX", want[128];
	struct scenario_error err;
	struct scenario sc;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, sketch, strlen(sketch)), (int)strlen(sketch));
	close(fd);
	ck_assert_int_eq(scenario_parse_file(path, &sc, &err), 0);
	ck_assert_str_eq(dump(&sc), sketch_tree);
	ck_assert_str_eq(sc.file, path);
	ck_assert_ptr_eq(sc.stmts[5].pos.file, sc.file);
	scenario_free(&sc);
	scenario_free(&sc);	/* freeing twice is harmless: it clears */
	unlink(path);

	ck_assert_int_eq(scenario_parse_file(path, &sc, &err), -1);
	ck_assert_ptr_eq(err.pos.file, path);
	ck_assert_uint_eq(err.pos.line, 0);
	ck_assert_str_eq(err.msg, "No such file or directory");
	ck_assert_ptr_null(sc.stmts);
	snprintf(want, sizeof(want), "%s: error: No such file or directory\n", path);
	ck_assert_str_eq(print_error(&err), want);
}
END_TEST

/* A file path holding src; the caller unlinks it. */
static void write_temp(char *path, const char *src)
{
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, src, strlen(src)), (int)strlen(src));
	close(fd);
}

/* Read window by window, the statements are those of the whole parse, twice over. */
START_TEST(test_windows)
{
	char path[] = "/tmp/test_scenario_parse.XXXXXX";
	static struct buf whole, windows;
	struct scenario_error err;
	struct scenario sc;
	long n;

	parse_ok(sketch, &sc);
	whole.n = 0;
	add(&whole, "%s", dump(&sc));
	scenario_free(&sc);
	write_temp(path, sketch);
	ck_assert_int_eq(scenario_open_file(path, &sc, &err), 0);
	ck_assert_uint_eq(sc.nstmts, 0);
	for (int pass = 0; pass < 2; pass++) {
		windows.n = 0;
		windows.s[0] = '\0';
		for (n = scenario_first(&sc, 3, &err); n > 0; n = scenario_next(&sc, 3, &err)) {
			ck_assert_uint_le(sc.nstmts, 3);
			add(&windows, "%s", dump(&sc));
		}
		ck_assert_int_eq(n, 0);
		ck_assert_str_eq(windows.s, whole.s);
	}
	scenario_free(&sc);
	unlink(path);
}
END_TEST

/* A name bound in one window is in scope in the next; an error in a later window has its line. */
START_TEST(test_windows_names_and_errors)
{
	char path[] = "/tmp/test_scenario_parse.XXXXXX";
	struct scenario_error err;
	struct scenario sc;
	long n, total = 0;

	write_temp(path, "x = echo 1\necho 2\necho 3\necho $x\nexpect $x ==\n");
	ck_assert_int_eq(scenario_open_file(path, &sc, &err), 0);
	for (n = scenario_first(&sc, 2, &err); n > 0; n = scenario_next(&sc, 2, &err))
		total += n;
	ck_assert_int_eq(n, -1);
	ck_assert_int_eq(total, 4);
	ck_assert_uint_eq(err.pos.line, 5);
	ck_assert_ptr_eq(err.pos.file, path);
	ck_assert_ptr_nonnull(strstr(err.msg, "expected a value after '=='"));
	ck_assert_ptr_null(sc.stmts);
	scenario_free(&sc);
	unlink(path);
}
END_TEST

/*
 * Only regular files are read.  A FIFO nobody writes to used to block the
 * open() for ever; now it, a directory and a device are refused at once.
 */
START_TEST(test_parse_special_files)
{
	char dir[] = "/tmp/test_scenario_parse.XXXXXX", fifo[64], cmd[96];
	struct scenario_error err;
	struct scenario sc;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	/* by the shell: <sys/stat.h> clashes with the guest headers on the include path */
	snprintf(cmd, sizeof(cmd), "mkfifo %s", fifo);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(scenario_parse_file(fifo, &sc, &err), -1);
	ck_assert_str_eq(err.msg, "not a regular file (a FIFO)");
	ck_assert_ptr_null(sc.stmts);
	unlink(fifo);
	ck_assert_int_eq(scenario_parse_file(dir, &sc, &err), -1);
	ck_assert_str_eq(err.msg, "not a regular file (a directory)");
	rmdir(dir);
	ck_assert_int_eq(scenario_parse_file("/dev/null", &sc, &err), -1);
	ck_assert_str_eq(err.msg, "not a regular file (a device)");
}
END_TEST

/* ---- robustness ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static size_t rnd_below(size_t n)
{
	return n ? rnd() % n : 0;
}

static const char alphabet[] =
	"aAzZ_9 0x1KMG$\"\\#=<>!~-+*|.(),:\t\n\r vm expect show check END <<END";

static char rnd_char(void)
{
	if (rnd_below(8) == 0)
		return (char)rnd();
	return alphabet[rnd_below(sizeof(alphabet) - 1)];
}

/* A random mutation of `src` into buf; returns the length. */
static size_t mutate(const char *src, size_t len, char *buf, size_t cap)
{
	size_t n = len < cap ? len : cap, k, i, at, count = 1 + rnd_below(8);

	memcpy(buf, src, n);
	for (k = 0; k < count && n; k++) {
		at = rnd_below(n);
		switch (rnd_below(5)) {
		case 0:
			buf[at] = rnd_char();
			break;
		case 1:
			if (n < cap) {
				memmove(buf + at + 1, buf + at, n - at);
				buf[at] = rnd_char();
				n++;
			}
			break;
		case 2:
			memmove(buf + at, buf + at + 1, n - at - 1);
			n--;
			break;
		case 3:
			n = at;
			break;
		default:
			/* copy a chunk over another spot */
			i = rnd_below(n);
			memmove(buf + at, buf + i, (n - (at > i ? at : i)) / 2);
			break;
		}
	}
	return n;
}

static void format_all_sizes(const struct expr *e)
{
	char small[16], big[70000];
	size_t full;

	full = expr_format(e, big, sizeof(big));
	fast_assert_uint_eq(strlen(big), full < sizeof(big) ? full : sizeof(big) - 1);
	fast_assert_uint_eq(expr_format(e, small, 1 + rnd_below(sizeof(small))), full);
}

/* `show <canonical form>` must parse to the same tree as the subject. */
static void round_trip(const struct scenario *sc, const struct expr *e)
{
	static char src[200000];
	struct scenario again;
	size_t i, n = 0;
	struct buf b = { .n = 0 };

	for (i = 0; i < sc->nstmts; i++)
		if (sc->stmts[i].bind)
			n += (size_t)snprintf(src + n, sizeof(src) - n, "%s = f\n",
					      sc->stmts[i].bind);
	n += (size_t)snprintf(src + n, sizeof(src) - n, "show ");
	n += expr_format(e, src + n, sizeof(src) - n);
	fast_assert_uint_lt(n, sizeof(src));
	add(&b, "show ");
	dump_expr(&b, e);
	add(&b, "\n");
	if (scenario_parse("t", src, n, &again, NULL))
		ck_abort_msg("canonical form does not parse: %s", src);
	fast_assert_str_eq(dump_last(&again), b.s);
	scenario_free(&again);
}

static void check_expr(const struct scenario *sc, const struct expr *e)
{
	if (!e)
		return;
	format_all_sizes(e);
	if (e->kind != EXPR_TEXT)
		round_trip(sc, e);
}

/* Every expression of a good parse formats and round-trips. */
static void check_parsed(const struct scenario *sc)
{
	const struct stmt *st;
	size_t i, j;

	for (i = 0; i < sc->nstmts; i++) {
		st = &sc->stmts[i];
		fast_assert_ptr_nonnull(st->text);
		fast_assert_uint_ge(st->pos.line, 1);
		check_expr(sc, st->subject);
		check_expr(sc, st->value);
		for (j = 0; j < st->nargs; j++)
			check_expr(sc, st->args[j].value);
	}
}

static void check_failed(const struct scenario *sc, const struct scenario_error *err,
			 FILE *devnull)
{
	fast_assert_ptr_null(sc->stmts);
	fast_assert_uint_ge(err->pos.line, 1);
	fast_assert_uint_ge(err->pos.col, 1);
	fast_assert_uint_gt(strlen(err->msg), 0);
	scenario_error_print(err, devnull);
}

static const char *const corpus[] = {
	sketch,
	"a = f\nshow (a).b(c, k=-1, ->)(d).e - $a*2 | \"s\\n\"\n",
	"expect x =~ <<END\r\nEND\r\nA: p = f 0x10G order=9\n",
};

static size_t next_input(char *buf, size_t cap)
{
	const char *src;
	size_t i, n;

	if (rnd_below(2)) {
		n = rnd_below(300);
		for (i = 0; i < n; i++)
			buf[i] = rnd_char();
		return n;
	}
	src = corpus[rnd_below(ARRAY_SIZE(corpus))];
	return mutate(src, strlen(src), buf, cap);
}

START_TEST(test_fuzz)
{
	static char buf[4096];
	struct scenario_error err;
	struct scenario sc;
	FILE *devnull = fopen("/dev/null", "w");
	unsigned i, good = 0;
	size_t n;
	char *in;

	ck_assert_ptr_nonnull(devnull);
	rng_state = 0x9e3779b97f4a7c15ull;
	for (i = 0; i < 10000; i++) {
		n = next_input(buf, sizeof(buf));
		/* an exact-size copy, not NUL-terminated: ASan sees overreads */
		in = malloc(n ? n : 1);
		memcpy(in, buf, n);
		if (scenario_parse("fuzz", in, n, &sc, &err) == 0) {
			good++;
			check_parsed(&sc);
			scenario_free(&sc);
		} else {
			check_failed(&sc, &err, devnull);
		}
		free(in);
	}
	fclose(devnull);
	/* the loop should reach deep into the grammar, not just fail early */
	ck_assert_uint_gt(good, 500);
}
END_TEST

static Suite *scenario_parse_suite(void)
{
	Suite *s = suite_create("scenario_parse");
	TCase *good = tcase_create("good"), *bad = tcase_create("bad");
	TCase *fmt = tcase_create("format"), *fuzz = tcase_create("fuzz");

	tcase_add_test(good, test_sketch_tree);
	tcase_add_test(good, test_sketch_details);
	tcase_add_test(good, test_numbers);
	tcase_add_test(good, test_strings);
	tcase_add_test(good, test_names_and_hyphens);
	tcase_add_test(good, test_precedence);
	tcase_add_test(good, test_args_and_blanks);
	tcase_add_test(good, test_comments_and_blank_lines);
	tcase_add_test(good, test_crlf);
	tcase_add_test(good, test_keywords_only_at_statement_start);
	tcase_add_test(good, test_comparisons);
	tcase_add_test(good, test_heredoc);
	tcase_add_test(good, test_bindings);
	tcase_add_test(good, test_many_bindings);
	tcase_add_test(good, test_text_trimmed);
	tcase_add_test(good, test_parse_file);
	tcase_add_test(good, test_windows);
	tcase_add_test(good, test_windows_names_and_errors);
	suite_add_tcase(s, good);

	tcase_add_loop_test(fmt, test_format, 0, ARRAY_SIZE(formats));
	tcase_add_test(fmt, test_format_truncates);
	tcase_add_test(fmt, test_cmp_op_str);
	suite_add_tcase(s, fmt);

	tcase_add_loop_test(bad, test_errors, 0, ARRAY_SIZE(errors));
	tcase_add_test(bad, test_nul_byte);
	tcase_add_test(bad, test_long_lines);
	tcase_add_test(bad, test_deep_expressions);
	tcase_add_test(bad, test_error_print);
	tcase_add_test(bad, test_error_print_long_line);
	tcase_add_test(bad, test_parse_special_files);
	suite_add_tcase(s, bad);

	tcase_add_test(fuzz, test_fuzz);
	suite_add_tcase(s, fuzz);
	return s;
}

CHECK_MAIN_NOFORK(scenario_parse_suite)
