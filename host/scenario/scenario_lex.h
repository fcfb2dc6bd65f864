/* SPDX-License-Identifier: MIT */
/*
 * The scenario lexer, private to host/scenario_parse.c.
 *
 * It works on one line at a time and is a pure function of (line, offset):
 * lex_token() returns the token at or after an offset without allocating,
 * so the parser can peek ahead, back off, or switch to reading raw words
 * (the values of a `vm` line) just by moving its offset.  Token text stays
 * in the line; strings are decoded only when the parser keeps them.
 */
#ifndef HOST_SCENARIO_LEX_H
#define HOST_SCENARIO_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tok_kind {
	TOK_EOL,	/* end of line or a comment; empty, at the offset asked */
	TOK_NAME,	/* [A-Za-z_][A-Za-z0-9_]*, inner '-' allowed: kmalloc-128 */
	TOK_NUMBER,	/* value in number, K/M/G applied */
	TOK_STRING,	/* quotes included; lex_string_decode() gives the text */
	TOK_VAR,	/* $name; the name (no '-') is [start + 1, end) */
	TOK_OP,		/* op */
	TOK_ERROR,	/* msg says why; start is the offending byte */
};

enum tok_op {
	OP_NONE,
	OP_EQ, OP_NE, OP_LE, OP_GE, OP_MATCH, OP_HEREDOC, OP_ARROW,
	OP_ASSIGN, OP_LT, OP_GT, OP_PLUS, OP_MINUS, OP_STAR, OP_PIPE,
	OP_DOT, OP_LPAREN, OP_RPAREN, OP_COMMA, OP_COLON,
};

struct token {
	enum tok_kind kind;
	enum tok_op op;
	size_t start, end;	/* byte offsets into the line */
	bool blank_before;	/* blanks between the asked offset and start */
	uint64_t number;
	char msg[160];		/* TOK_ERROR */
};

bool lex_is_blank(char c);
bool lex_is_name_start(char c);

/* The token at or after `pos` in the line s[0, len). */
void lex_token(const char *s, size_t len, size_t pos, struct token *t);

/* End of the name starting at s[pos]; `hyphens` allows inner '-'. */
size_t lex_name_end(const char *s, size_t len, size_t pos, bool hyphens);

/*
 * Decode a TOK_STRING into `out`, which needs t->end - t->start bytes;
 * returns the length.  The escapes were checked by lex_token().
 */
size_t lex_string_decode(const char *s, const struct token *t, char *out);

/* Quote s[0, n) for a message: 'text', control bytes as \xNN, long text cut. */
void lex_quote(const char *s, size_t n, char *buf, size_t size);

/* The token for a message: 'text' or "end of line". */
void lex_describe(const char *s, const struct token *t, char *buf, size_t size);

#endif
