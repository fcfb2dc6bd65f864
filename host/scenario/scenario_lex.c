// SPDX-License-Identifier: MIT
/*
 * Scenario lexer: see scenario_lex.h.  Every scan checks its index against
 * the line length first; the line need not be NUL-terminated.
 */
#include <stdio.h>
#include <string.h>

#include "lib/kernel.h"
#include "scenario_lex.h"

#define QUOTE_MAX	32	/* source bytes shown in a quoted token */

static const struct {
	const char *text;
	enum tok_op op;
} ops[] = {
	/* two-byte operators first, so "<=" is not read as "<" "=" */
	{ "==", OP_EQ }, { "!=", OP_NE }, { "<=", OP_LE }, { ">=", OP_GE },
	{ "=~", OP_MATCH }, { "<<", OP_HEREDOC }, { "->", OP_ARROW },
	{ "=", OP_ASSIGN }, { "<", OP_LT }, { ">", OP_GT }, { "+", OP_PLUS },
	{ "-", OP_MINUS }, { "*", OP_STAR }, { "|", OP_PIPE }, { ".", OP_DOT },
	{ "(", OP_LPAREN }, { ")", OP_RPAREN }, { ",", OP_COMMA }, { ":", OP_COLON },
};

bool lex_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* ASCII only: the C library's isalpha() depends on the locale. */
bool lex_is_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_name_char(char c)
{
	return lex_is_name_start(c) || is_digit(c);
}

static bool is_printable(char c)
{
	return c >= 0x20 && c < 0x7f;
}

/*
 * A '-' belongs to a name only between name characters, so `A->B` is
 * A, ->, B and a trailing '-' is an operator.
 */
size_t lex_name_end(const char *s, size_t len, size_t pos, bool hyphens)
{
	size_t i = pos + 1;

	for (;;) {
		if (i < len && is_name_char(s[i]))
			i++;
		else if (hyphens && i + 1 < len && s[i] == '-' && is_name_char(s[i + 1]))
			i += 2;
		else
			return i;
	}
}

static void lex_error(struct token *t, size_t at, const char *msg)
{
	t->kind = TOK_ERROR;
	t->start = at;
	t->end = at;
	snprintf(t->msg, sizeof(t->msg), "%s", msg);
}

static int digit_value(char c, unsigned base)
{
	if (is_digit(c))
		return c - '0';
	if (base == 16 && c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (base == 16 && c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static unsigned suffix_shift(char c)
{
	switch (c) {
	case 'K': return 10;
	case 'M': return 20;
	case 'G': return 30;
	default: return 0;
	}
}

/* Digits from s[*i]; returns false if the value needs more than 64 bits. */
static bool scan_digits(const char *s, size_t len, size_t *i, unsigned base,
			uint64_t *value)
{
	bool fits = true;
	uint64_t v = 0;
	int d;

	while (*i < len && (d = digit_value(s[*i], base)) >= 0) {
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			fits = false;
		v = v * base + (uint64_t)d;
		(*i)++;
	}
	*value = v;
	return fits;
}

static void bad_suffix(const char *s, size_t len, size_t at, struct token *t)
{
	char what[QUOTE_MAX * 4 + 8], msg[sizeof(t->msg)];

	lex_quote(s + at, lex_name_end(s, len, at, false) - at, what, sizeof(what));
	snprintf(msg, sizeof(msg), "bad suffix %.100s on a number (sizes take K, M or G)",
		 what);
	lex_error(t, at, msg);
}

static void lex_number(const char *s, size_t len, struct token *t)
{
	size_t i = t->start, digits, end;
	unsigned base = 10, shift;
	uint64_t v;
	bool fits;

	if (i + 1 < len && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		base = 16;
		i += 2;
	}
	digits = i;
	fits = scan_digits(s, len, &i, base, &v);
	if (i == digits)
		return lex_error(t, t->start, "expected hex digits after '0x'");
	shift = i < len ? suffix_shift(s[i]) : 0;
	end = i + (shift != 0);
	/* 4KB, 10x, 2nd: a number runs into letters it cannot take */
	if (end < len && is_name_char(s[end]))
		return bad_suffix(s, len, i, t);
	if (!fits || (shift && v > UINT64_MAX >> shift))
		return lex_error(t, t->start, "number does not fit in 64 bits");
	t->kind = TOK_NUMBER;
	t->number = v << shift;
	t->end = end;
}

static bool is_escape(char c)
{
	return c == 'n' || c == 't' || c == '\\' || c == '"';
}

static void bad_escape(const char *s, size_t at, struct token *t)
{
	char what[16], msg[sizeof(t->msg)];

	lex_quote(s + at, 2, what, sizeof(what));
	snprintf(msg, sizeof(msg),
		 "unknown escape %s in a string (use \\n, \\t, \\\\ or \\\")", what);
	lex_error(t, at, msg);
}

static void lex_string(const char *s, size_t len, struct token *t)
{
	size_t i = t->start + 1;

	while (i < len && s[i] != '"') {
		if (s[i] == '\\' && i + 1 < len && !is_escape(s[i + 1]))
			return bad_escape(s, i, t);
		i += s[i] == '\\' ? 2 : 1;
	}
	if (i >= len)
		return lex_error(t, t->start,
				 "unterminated string: no closing '\"' on this line");
	t->kind = TOK_STRING;
	t->end = i + 1;
}

static void lex_var(const char *s, size_t len, struct token *t)
{
	size_t i = t->start + 1;

	if (i >= len || !lex_is_name_start(s[i]))
		return lex_error(t, t->start, "expected a name after '$'");
	t->kind = TOK_VAR;
	t->end = lex_name_end(s, len, i, false);
}

static void bad_char(const char *s, struct token *t)
{
	char msg[sizeof(t->msg)];
	unsigned char c = (unsigned char)s[t->start];

	if (is_printable((char)c))
		snprintf(msg, sizeof(msg),
			 "unexpected character '%c' (quote text that is not a name or number: \"...\")",
			 c);
	else
		snprintf(msg, sizeof(msg), "unexpected byte 0x%02x", c);
	lex_error(t, t->start, msg);
}

static void lex_op(const char *s, size_t len, struct token *t)
{
	size_t i, n, room = len - t->start;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		n = strlen(ops[i].text);
		if (n <= room && !memcmp(s + t->start, ops[i].text, n)) {
			t->kind = TOK_OP;
			t->op = ops[i].op;
			t->end = t->start + n;
			return;
		}
	}
	bad_char(s, t);
}

void lex_token(const char *s, size_t len, size_t pos, struct token *t)
{
	size_t i = pos;
	char c;

	while (i < len && lex_is_blank(s[i]))
		i++;
	memset(t, 0, sizeof(*t));
	t->blank_before = i > pos;
	t->start = i;
	if (i >= len || s[i] == '#') {
		/* an empty token just after the previous one: carets go there */
		t->start = t->end = pos;
		return;
	}
	c = s[i];
	if (lex_is_name_start(c)) {
		t->kind = TOK_NAME;
		t->end = lex_name_end(s, len, i, true);
	} else if (is_digit(c)) {
		lex_number(s, len, t);
	} else if (c == '"') {
		lex_string(s, len, t);
	} else if (c == '$') {
		lex_var(s, len, t);
	} else {
		lex_op(s, len, t);
	}
}

size_t lex_string_decode(const char *s, const struct token *t, char *out)
{
	size_t i, n = 0;

	for (i = t->start + 1; i + 1 < t->end; i++) {
		if (s[i] != '\\') {
			out[n++] = s[i];
			continue;
		}
		i++;
		out[n++] = s[i] == 'n' ? '\n' : s[i] == 't' ? '\t' : s[i];
	}
	out[n] = '\0';
	return n;
}

void lex_quote(const char *s, size_t n, char *buf, size_t size)
{
	char tmp[QUOTE_MAX * 4 + 8];
	size_t i, o = 0, shown = n < QUOTE_MAX ? n : QUOTE_MAX;

	tmp[o++] = '\'';
	for (i = 0; i < shown; i++) {
		if (is_printable(s[i]))
			tmp[o++] = s[i];
		else
			o += (size_t)snprintf(tmp + o, sizeof(tmp) - o, "\\x%02x",
					      (unsigned char)s[i]);
	}
	if (shown < n)
		o += (size_t)snprintf(tmp + o, sizeof(tmp) - o, "...");
	tmp[o++] = '\'';
	tmp[o] = '\0';
	snprintf(buf, size, "%s", tmp);
}

void lex_describe(const char *s, const struct token *t, char *buf, size_t size)
{
	if (t->kind == TOK_EOL)
		snprintf(buf, size, "end of line");
	else
		lex_quote(s + t->start, t->end - t->start, buf, size);
}
