// SPDX-License-Identifier: MIT
/*
 * printk: text is collected until a newline and then sent as one console
 * message (one exit per line).  Before the channel exists there is nowhere
 * to print; text is kept and flushed by the first printk afterwards.
 */
#include <stdarg.h>
#include <linux/channel.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/sprintf.h>
#include <string.h>

static char log_buf[VMM_CONSOLE_SIZE];
static size_t log_len;

static void flush_lines(void)
{
	char *nl;

	while ((nl = memchr(log_buf, '\n', log_len))) {
		size_t n = nl - log_buf;

		channel_console(log_buf, n);
		log_len -= n + 1;
		memmove(log_buf, nl + 1, log_len);
	}
	/* A line longer than the buffer goes out in pieces. */
	if (log_len == sizeof(log_buf) - 1) {
		channel_console(log_buf, log_len);
		log_len = 0;
	}
}

int printk(const char *fmt, ...)
{
	size_t room = sizeof(log_buf) - log_len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(log_buf + log_len, room, fmt, ap);
	va_end(ap);
	log_len += min((size_t)n, room - 1);
	if (channel_ready())
		flush_lines();
	return n;
}
