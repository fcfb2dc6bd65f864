// SPDX-License-Identifier: MIT
/*
 * vsnprintf: the subset of printf formats the kernel uses.
 * Flags '-' and '0', a field width (or '*'), a precision for strings
 * (or '*'), length modifiers l, ll, z; conversions d i u x X p s c %.
 * %p prints 0x-prefixed hex.  Output is always NUL-terminated when size > 0;
 * the return value is the length the full output would have had.
 */
#include <stdarg.h>
#include <linux/kernel.h>
#include <linux/sprintf.h>
#include <string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

/*
 * n bytes at once: as many as fit (room kept for the NUL) are copied, all
 * of them count.  Literal text and strings go this way, a word at a time,
 * rather than through put() byte by byte: the boot banner alone cost some
 * 1,700 guest instructions that way.
 */
static void put_run(struct out *o, const char *s, size_t n)
{
	if (o->len + 1 < o->size) {
		size_t room = o->size - 1 - o->len;

		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	bool left, zero;
	int width, precision;
};

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
	size_t n = strnlen(s, sp->precision >= 0 ? (size_t)sp->precision : (size_t)-1);

	if (!sp->left)
		pad(o, ' ', sp->width - (int)n);
	put_run(o, s, n);
	if (sp->left)
		pad(o, ' ', sp->width - (int)n);
}

static void put_num(struct out *o, unsigned long long v, unsigned base, bool neg,
		    bool upper, const char *prefix, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, ndigits, plen = (int)strlen(prefix) + neg;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	ndigits = n;
	if (!sp->left && !sp->zero)
		pad(o, ' ', sp->width - n - plen);
	if (neg)
		put(o, '-');
	while (*prefix)
		put(o, *prefix++);
	if (!sp->left && sp->zero)
		pad(o, '0', sp->width - n - plen);
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, ' ', sp->width - ndigits - plen);
}

static unsigned long long get_unsigned(va_list *ap, int lmod)
{
	if (lmod >= 2)
		return va_arg(*ap, unsigned long long);
	if (lmod == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static long long get_signed(va_list *ap, int lmod)
{
	if (lmod >= 2)
		return va_arg(*ap, long long);
	if (lmod == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static const char *parse_spec(const char *f, struct spec *sp, int *lmod, va_list *ap)
{
	*sp = (struct spec){ .precision = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->precision = 0;
		if (*f == '*') {
			sp->precision = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->precision = sp->precision * 10 + (*f++ - '0');
	}
	*lmod = 0;
	for (; *f == 'l' || *f == 'z'; f++)
		(*lmod)++;	/* size_t is unsigned long here */
	return f;
}

static void convert(struct out *o, char c, const struct spec *sp, int lmod, va_list *ap)
{
	long long s;
	char ch;

	switch (c) {
	case 'd':
	case 'i':
		s = get_signed(ap, lmod);
		put_num(o, s < 0 ? -(unsigned long long)s : (unsigned long long)s, 10,
			s < 0, false, "", sp);
		break;
	case 'u':
		put_num(o, get_unsigned(ap, lmod), 10, false, false, "", sp);
		break;
	case 'x':
	case 'X':
		put_num(o, get_unsigned(ap, lmod), 16, false, c == 'X', "", sp);
		break;
	case 'p':
		put_num(o, (unsigned long)va_arg(*ap, void *), 16, false, false, "0x", sp);
		break;
	case 's':
		put_str(o, va_arg(*ap, const char *) ?: "(null)", sp);
		break;
	case 'c':
		ch = (char)va_arg(*ap, int);
		put_str(o, (char[2]){ ch, 0 }, sp);
		break;
	case '%':
		put(o, '%');
		break;
	default:
		put(o, '%');
		if (c)
			put(o, c);
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	struct out o = { buf, size, 0 };
	const char *f = fmt, *end = fmt + strlen(fmt), *pct;
	struct spec sp;
	va_list ap;
	int lmod;

	va_copy(ap, args);
	while (f < end) {
		pct = memchr(f, '%', (size_t)(end - f)) ?: end;
		put_run(&o, f, (size_t)(pct - f));
		if (pct == end)
			break;
		f = parse_spec(pct + 1, &sp, &lmod, &ap);
		convert(&o, *f, &sp, lmod, &ap);
		if (!*f)
			break;
		f++;
	}
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* Like snprintf, but returns what was actually written (Linux's scnprintf). */
int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!size)
		return 0;
	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return (size_t)n < size ? n : (int)size - 1;
}
