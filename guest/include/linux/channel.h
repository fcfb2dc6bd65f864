/* SPDX-License-Identifier: MIT */
/*
 * The guest side of the host channel (shared/channel.h).  Each message is
 * one doorbell exit, so callers batch: a reply carries all its text in the
 * data area, the console sends whole lines.
 */
#ifndef _LINUX_CHANNEL_H
#define _LINUX_CHANNEL_H

#include <linux/compiler.h>
#include <linux/types.h>
#include "shared/channel.h"

struct pt_regs;

extern struct vmm_mailbox *mailbox;

void channel_init(phys_addr_t pa, u64 size);
bool channel_ready(void);

/* The reply data area and its size: handlers write their answer here. */
char *channel_data(void);
u32 channel_data_size(void);
/*
 * A /proc-style text reply: show writes into the data area and returns its
 * length, or -1 if it did not fit (the request then fails with -ENOSPC).
 */
long channel_reply_text(int (*show)(char *buf, size_t size), struct vmm_message *reply);

/* Send msg (type, status, val, len already set in mailbox->msg). */
void channel_send(u32 type);

void channel_console(const char *line, u32 len);
__noreturn void channel_crash(const struct pt_regs *regs, const char *reason);

/* Answer requests forever; first tells the host the kernel is ready. */
__noreturn void serve_requests(void);

#endif
