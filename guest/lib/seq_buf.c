// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <linux/seq_buf.h>
#include <linux/sprintf.h>

/* Append formatted text; on overflow keep what fit and remember it. */
void seq_buf_printf(struct seq_buf *s, const char *fmt, ...)
{
	size_t room = s->size - s->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s->buffer + s->len, room, fmt, ap);
	va_end(ap);
	if ((size_t)n < room) {
		s->len += n;
	} else {
		s->len = s->size ? s->size - 1 : 0;
		s->overflow = true;
	}
}
