// SPDX-License-Identifier: MIT
/* Checking what the guest wrote into the mailbox (see channel.h). */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "channel.h"

size_t channel_sanitize(char *dst, size_t dstlen, const char *src, size_t len, int keep_newlines)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char ch = src[i];
		bool plain = (ch >= 0x20 && ch < 0x7f) || (keep_newlines && ch == '\n');

		if (o + (plain ? 1 : 4) >= dstlen)	/* keep room for the NUL */
			break;
		if (plain)
			dst[o++] = ch;
		else
			o += snprintf(dst + o, dstlen - o, "\\x%02x", ch);
	}
	if (dstlen)
		dst[o] = '\0';
	return o;
}

static int reject(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

static int text_message(const struct vmm_mailbox *mb, struct channel_msg *out, int keep_newlines,
			char *why, size_t whylen)
{
	if (out->m.len > VMM_CONSOLE_SIZE)
		return reject(why, whylen, "a message with %u bytes of text (at most %u)",
			      out->m.len, VMM_CONSOLE_SIZE);
	out->text_len = channel_sanitize(out->text, sizeof(out->text), mb->console, out->m.len,
					 keep_newlines);
	return 0;
}

static int check_by_type(const struct vmm_mailbox *mb, struct channel_msg *out,
			 char *why, size_t whylen)
{
	switch (out->m.type) {
	case VMM_MSG_CONSOLE:
		return text_message(mb, out, 0, why, whylen);
	case VMM_MSG_REPORT:
		if (out->m.val[0] == 0 || out->m.val[0] >= VMM_REPORT_NR)
			return reject(why, whylen, "a report of unknown kind %llu",
				      (unsigned long long)out->m.val[0]);
		return text_message(mb, out, 0, why, whylen);
	case VMM_MSG_PANIC:
		/* A crashing guest may have scribbled on its report: keep what is usable. */
		memcpy(&out->crash, &mb->crash, sizeof(out->crash));
		out->claimed_frames = out->crash.nr_frames;
		if (out->crash.nr_frames > VMM_BACKTRACE_DEPTH)
			out->crash.nr_frames = VMM_BACKTRACE_DEPTH;
		if (out->m.len > VMM_CONSOLE_SIZE)
			out->m.len = VMM_CONSOLE_SIZE;
		return text_message(mb, out, 1, why, whylen);
	default:	/* READY, REPLY */
		if (out->m.len > VMM_MAILBOX_DATA_SIZE)
			return reject(why, whylen, "reply claims %u data bytes, the mailbox holds %u",
				      out->m.len, VMM_MAILBOX_DATA_SIZE);
		return 0;
	}
}

int channel_receive(const struct vmm_mailbox *mb, uint32_t doorbell, struct channel_msg *out,
		    char *why, size_t whylen)
{
	memcpy(&out->m, &mb->msg, sizeof(out->m));
	out->text[0] = '\0';
	out->text_len = 0;
	if (mb->magic != VMM_MAILBOX_MAGIC || mb->version != VMM_MAILBOX_VERSION)
		return reject(why, whylen, "mailbox header overwritten (magic %08x, version %u)",
			      mb->magic, mb->version);
	if (out->m.type != doorbell || out->m.type == VMM_MSG_NONE || out->m.type >= VMM_MSG_NR)
		return reject(why, whylen, "doorbell %u for a message of type %u", doorbell,
			      out->m.type);
	return check_by_type(mb, out, why, whylen);
}
