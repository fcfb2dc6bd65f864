/* SPDX-License-Identifier: MIT */
/* A bounded text buffer: how every /proc-style answer is produced. */
#ifndef _LINUX_SEQ_BUF_H
#define _LINUX_SEQ_BUF_H

#include <linux/compiler.h>
#include <linux/types.h>

struct seq_buf {
	char *buffer;
	size_t size;
	size_t len;
	bool overflow;
};

static inline void seq_buf_init(struct seq_buf *s, char *buf, size_t size)
{
	s->buffer = buf;
	s->size = size;
	s->len = 0;
	s->overflow = false;
}

void seq_buf_printf(struct seq_buf *s, const char *fmt, ...) __printf(2, 3);

#endif
