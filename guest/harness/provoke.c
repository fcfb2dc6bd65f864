// SPDX-License-Identifier: MIT
/*
 * Misbehaviour on request (`provoke` in scenarios): each kind of guest
 * failure the host must diagnose, produced for real.  Every function is
 * noinline so that the host's diagnosis can name it.
 */
#include <linux/channel.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <asm/desc.h>
#include <asm/processor.h>

static noinline __noreturn void provoke_panic(const struct vmm_request *req)
{
	u32 len = min(req->data_len, VMM_REQ_DATA_SIZE);

	panic("%.*s", (int)len, mailbox->req_data);
}

static noinline __noreturn void provoke_hang(void)
{
	for (;;)
		asm volatile("cli" ::: "memory");
}

static noinline void provoke_fault(unsigned long addr)
{
	*(volatile unsigned long *)addr = 0xdead;
}

static noinline __noreturn void provoke_triple_fault(void)
{
	idt_invalidate();
	asm volatile("ud2");
	__builtin_unreachable();
}

/* A reply that claims more data than the mailbox holds. */
static noinline void provoke_bad_message(const struct vmm_request *req)
{
	mailbox->msg = (struct vmm_message){ .seq = req->seq, .len = 0xffffffffu };
	channel_send(VMM_MSG_REPLY);
}

long req_provoke(const struct vmm_request *req, struct vmm_message *reply)
{
	(void)reply;
	switch (req->arg[0]) {
	case VMM_PROVOKE_PANIC:
		provoke_panic(req);
	case VMM_PROVOKE_HANG:
		provoke_hang();
	case VMM_PROVOKE_FAULT:
		provoke_fault(req->arg[1]);
		return 0;
	case VMM_PROVOKE_TRIPLE_FAULT:
		provoke_triple_fault();
	case VMM_PROVOKE_BAD_MESSAGE:
		provoke_bad_message(req);
		return -EIO;	/* only if the host let us go on */
	case VMM_PROVOKE_HALT:
		halt_forever();
	default:
		return -EINVAL;
	}
}
