// SPDX-License-Identifier: MIT
/*
 * The guest end of the mailbox.  A message is written in place, counted,
 * and announced with one `outb` of its type to the doorbell port; then we
 * wait for the host to acknowledge it.  The host answers a READY or REPLY
 * by leaving the next request in mailbox->req before its acknowledgement,
 * so the request loop needs no second message.  Under KVM the host has
 * acknowledged before the `outb` retires, and the wait costs two loads.
 */
#include <linux/channel.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <asm/io.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <string.h>

struct vmm_mailbox *mailbox;
static u32 data_size;
static u32 rings;		/* our own count: the host may not rewrite it */
static bool tsc_insns;		/* VMM_MAILBOX_TSC_INSNS, as the host set it at boot */
static u64 tsc_waited;		/* TSC ticks spent waiting for acknowledgements */
u64 pvh_entry_tsc;		/* the TSC at the kernel's first instruction (PVH entry) */

void channel_init(phys_addr_t pa, u64 size)
{
	if (size < VMM_MAILBOX_HDR_SIZE + PAGE_SIZE)
		halt_forever();		/* no console yet to say why; the host sees the hlt */
	mailbox = __va(pa);
	data_size = min(size - VMM_MAILBOX_HDR_SIZE, (u64)UINT32_MAX);
	tsc_insns = mailbox->flags & VMM_MAILBOX_TSC_INSNS;
}

bool channel_ready(void)
{
	return mailbox != NULL;
}

char *channel_data(void)
{
	return (char *)mailbox + VMM_MAILBOX_HDR_SIZE;
}

u32 channel_data_size(void)
{
	return data_size;
}

long channel_reply_text(int (*show)(char *buf, size_t size), struct vmm_message *reply)
{
	int n = show(channel_data(), channel_data_size());

	if (n < 0)
		return -ENOSPC;
	reply->len = n;
	return 0;
}

void channel_send(u32 type)
{
	u64 rang = 0;

	if (tsc_insns) {
		rang = rdtsc();
		mailbox->insns = rang - pvh_entry_tsc - tsc_waited;
	}
	mailbox->msg.type = type;
	WRITE_ONCE(mailbox->ring, ++rings);
	barrier();
	outb(type, VMM_DOORBELL_PORT);
	while (READ_ONCE(mailbox->ack) != rings)
		cpu_relax();
	if (tsc_insns)
		tsc_waited += rdtsc() - rang;
}

void channel_console(const char *line, u32 len)
{
	len = min(len, VMM_CONSOLE_SIZE);
	memcpy(mailbox->console, line, len);
	mailbox->msg.len = len;
	channel_send(VMM_MSG_CONSOLE);
}
