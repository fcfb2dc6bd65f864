// SPDX-License-Identifier: MIT
/*
 * Reading QMP lines (qmp.h).  A small JSON scanner that walks one object's
 * top-level members, takes the few it knows and skips the rest, with a
 * depth limit so that no input can make it recurse without bound.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/kernel.h"
#include "qmp.h"

#define MAX_DEPTH	16

struct scan {
	const char *p;
};

static void skip_ws(struct scan *s)
{
	while (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n')
		s->p++;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* \uXXXX as UTF-8 (no surrogate pairs: QEMU's text is ASCII). */
static int put_unicode(struct scan *s, char *out, size_t *o, size_t outlen)
{
	unsigned cp = 0;

	for (int i = 1; i <= 4; i++) {
		int d = hex_digit(s->p[i]);

		if (d < 0)
			return -1;
		cp = cp << 4 | d;
	}
	s->p += 5;
	if (cp >= 0x80)
		cp = '?';
	if (out && *o + 1 < outlen)
		out[(*o)++] = cp;
	return 0;
}

static int put_escape(struct scan *s, char *out, size_t *o, size_t outlen)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;

	if (s->p[0] == 'u')
		return put_unicode(s, out, o, outlen);
	e = s->p[0] ? strchr(from, s->p[0]) : NULL;
	if (!e)
		return -1;
	if (out && *o + 1 < outlen)
		out[(*o)++] = to[e - from];
	s->p++;
	return 0;
}

/* A JSON string at s->p, unescaped into out (truncated to outlen), or skipped. */
static int scan_string(struct scan *s, char *out, size_t outlen)
{
	size_t o = 0;

	if (*s->p != '"')
		return -1;
	s->p++;
	while (*s->p != '"') {
		if (!*s->p || (unsigned char)*s->p < 0x20)
			return -1;
		if (*s->p == '\\') {
			s->p++;
			if (put_escape(s, out, &o, outlen))
				return -1;
			continue;
		}
		if (out && o + 1 < outlen)
			out[o++] = *s->p;
		s->p++;
	}
	s->p++;
	if (out && outlen)
		out[o] = '\0';
	return 0;
}

static int skip_value(struct scan *s, int depth);

/* Calls member() for each member of the object at s->p. */
static int scan_object(struct scan *s, int depth,
		       int (*member)(struct scan *s, const char *key, int depth, void *arg),
		       void *arg)
{
	char key[32];

	if (*s->p != '{' || depth > MAX_DEPTH)
		return -1;
	s->p++;
	skip_ws(s);
	if (*s->p == '}') {
		s->p++;
		return 0;
	}
	for (;;) {
		skip_ws(s);
		if (scan_string(s, key, sizeof(key)))
			return -1;
		skip_ws(s);
		if (*s->p++ != ':')
			return -1;
		skip_ws(s);
		if (member ? member(s, key, depth, arg) : skip_value(s, depth))
			return -1;
		skip_ws(s);
		if (*s->p == '}') {
			s->p++;
			return 0;
		}
		if (*s->p++ != ',')
			return -1;
	}
}

static int skip_array(struct scan *s, int depth)
{
	s->p++;
	skip_ws(s);
	if (*s->p == ']') {
		s->p++;
		return 0;
	}
	for (;;) {
		skip_ws(s);
		if (skip_value(s, depth))
			return -1;
		skip_ws(s);
		if (*s->p == ']') {
			s->p++;
			return 0;
		}
		if (*s->p++ != ',')
			return -1;
	}
}

static int skip_value(struct scan *s, int depth)
{
	if (depth > MAX_DEPTH)
		return -1;
	switch (*s->p) {
	case '"':
		return scan_string(s, NULL, 0);
	case '{':
		return scan_object(s, depth + 1, NULL, NULL);
	case '[':
		return skip_array(s, depth + 1);
	}
	/* numbers, true, false, null */
	if (!strchr("-0123456789tfn", *s->p) || !*s->p)
		return -1;
	while (*s->p && strchr("+-.0123456789eEtruefalsn", *s->p))
		s->p++;
	return 0;
}

static int data_member(struct scan *s, const char *key, int depth, void *arg)
{
	struct qmp_msg *m = arg;

	if (!strcmp(key, "reason") && *s->p == '"')
		return scan_string(s, m->reason, sizeof(m->reason));
	return skip_value(s, depth);
}

static int version_member(struct scan *s, const char *key, int depth, void *arg)
{
	static const char *const names[] = { "major", "minor", "micro" };
	struct qmp_msg *m = arg;

	for (int i = 0; i < 3; i++) {
		if (strcmp(key, names[i]))
			continue;
		m->version[i] = (int)strtol(s->p, NULL, 10);
	}
	if (!strcmp(key, "qemu") || !strcmp(key, "version"))
		return *s->p == '{' ? scan_object(s, depth + 1, version_member, m) : -1;
	return skip_value(s, depth);
}

static int return_text(struct scan *s, struct qmp_msg *m)
{
	size_t len = strlen(s->p) + 1;	/* unescaping never lengthens */

	m->text = malloc(len);
	return m->text ? scan_string(s, m->text, len) : -1;
}

static int top_member(struct scan *s, const char *key, int depth, void *arg)
{
	struct qmp_msg *m = arg;

	if (!strcmp(key, "QMP")) {
		m->kind = QMP_GREETING;
		return *s->p == '{' ? scan_object(s, depth + 1, version_member, m) : -1;
	}
	if (!strcmp(key, "return")) {
		m->kind = QMP_RETURN;
		return *s->p == '"' && !m->text ? return_text(s, m) : skip_value(s, depth);
	}
	if (!strcmp(key, "error"))
		m->kind = QMP_ERROR;
	if (!strcmp(key, "event") && *s->p == '"') {
		m->kind = QMP_EVENT;
		return scan_string(s, m->event, sizeof(m->event));
	}
	if (!strcmp(key, "data") && *s->p == '{')
		return scan_object(s, depth + 1, data_member, m);
	return skip_value(s, depth);
}

int qmp_parse(const char *line, struct qmp_msg *msg)
{
	struct scan s = { line };

	*msg = (struct qmp_msg){ .kind = QMP_UNKNOWN };
	skip_ws(&s);
	if (scan_object(&s, 0, top_member, msg)) {
		qmp_msg_free(msg);
		msg->kind = QMP_UNKNOWN;
		return -1;
	}
	return 0;
}

void qmp_msg_free(struct qmp_msg *msg)
{
	free(msg->text);
	msg->text = NULL;
}

/* "NAME=hex" anywhere in text, the name at a word start; -1 if absent. */
static int reg_value(const char *text, const char *name, uint64_t *v)
{
	size_t n = strlen(name);

	for (const char *p = strstr(text, name); p; p = strstr(p + 1, name)) {
		char *end;

		if (p != text && p[-1] != ' ' && p[-1] != '\n')
			continue;
		if (p[n] != '=')
			continue;
		*v = strtoull(p + n + 1, &end, 16);
		return end == p + n + 1 ? -1 : 0;
	}
	return -1;
}

int qmp_parse_registers(const char *text, struct cpu_regs *r, bool *halted)
{
	static const struct { const char *name; size_t off; } regs[] = {
#define REG(n, f) { n, offsetof(struct cpu_regs, f) }
		REG("RAX", rax), REG("RBX", rbx), REG("RCX", rcx), REG("RDX", rdx),
		REG("RSI", rsi), REG("RDI", rdi), REG("RBP", rbp), REG("RSP", rsp),
		REG("R8 ", r8), REG("R9 ", r9), REG("R10", r10), REG("R11", r11),
		REG("R12", r12), REG("R13", r13), REG("R14", r14), REG("R15", r15),
		REG("RIP", rip), REG("RFL", rflags), REG("CR0", cr0), REG("CR2", cr2),
		REG("CR3", cr3), REG("CR4", cr4), REG("CS ", cs), REG("SS ", ss),
#undef REG
	};
	uint64_t hlt = 0, rip, cr3;

	*r = (struct cpu_regs){ 0 };
	for (size_t i = 0; i < ARRAY_SIZE(regs); i++)
		reg_value(text, regs[i].name, (uint64_t *)((char *)r + regs[i].off));
	reg_value(text, "HLT", &hlt);
	*halted = hlt != 0;
	return reg_value(text, "RIP", &rip) || reg_value(text, "CR3", &cr3) ? -1 : 0;
}
