// SPDX-License-Identifier: MIT
/*
 * The end of a guest: panic(), unexpected exceptions (arch/x86/kernel/traps.c)
 * and stack-protector failures all come here.  The report goes to the host
 * as one PANIC message with the registers, control registers and a
 * frame-pointer backtrace; the host names the symbols (it has the ELF).
 */
#include <stdarg.h>
#include <linux/channel.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/sprintf.h>
#include <asm/desc.h>
#include <asm/processor.h>
#include <asm/ptrace.h>

static void fill_backtrace(struct vmm_crash *c, unsigned long bp)
{
	c->nr_frames = 0;
	while (c->nr_frames < VMM_BACKTRACE_DEPTH && bp && !(bp & 7) &&
	       on_kernel_stack(bp, 16)) {
		const unsigned long *frame = (const unsigned long *)bp;

		c->frames[c->nr_frames++] = frame[1];
		if (frame[0] <= bp)	/* frames only go up the stack */
			break;
		bp = frame[0];
	}
}

static void fill_regs(struct vmm_crash *c, const struct pt_regs *r)
{
	c->vector = r->vector;
	c->error_code = r->error_code;
	c->rip = r->ip;
	c->cs = r->cs;
	c->rflags = r->flags;
	c->rsp = r->sp;
	c->ss = r->ss;
	c->rax = r->ax;
	c->rbx = r->bx;
	c->rcx = r->cx;
	c->rdx = r->dx;
	c->rsi = r->si;
	c->rdi = r->di;
	c->rbp = r->bp;
	c->r8 = r->r8;
	c->r9 = r->r9;
	c->r10 = r->r10;
	c->r11 = r->r11;
	c->r12 = r->r12;
	c->r13 = r->r13;
	c->r14 = r->r14;
	c->r15 = r->r15;
}

__noreturn void channel_crash(const struct pt_regs *regs, const char *reason)
{
	struct vmm_crash *c;

	if (!channel_ready())
		halt_forever();		/* the host reports the hlt and our RIP */
	c = &mailbox->crash;
	fill_regs(c, regs);
	c->cr0 = read_cr0();
	c->cr2 = read_cr2();
	c->cr3 = read_cr3();
	c->cr4 = read_cr4();
	fill_backtrace(c, regs->bp);
	mailbox->msg.len = scnprintf(mailbox->console, VMM_CONSOLE_SIZE, "%s", reason);
	channel_send(VMM_MSG_PANIC);
	halt_forever();
}

/* A pt_regs for the caller of panic(): where it was called from. */
static void current_regs(struct pt_regs *r, unsigned long ip, unsigned long bp)
{
	*r = (struct pt_regs){ .vector = ~0UL, .ip = ip, .bp = bp };
	asm volatile("mov %%rsp, %0" : "=r"(r->sp));
	asm volatile("mov %%cs, %0" : "=r"(r->cs));
	asm volatile("mov %%ss, %0" : "=r"(r->ss));
	asm volatile("pushfq; popq %0" : "=r"(r->flags));
}

void panic(const char *fmt, ...)
{
	static char reason[VMM_CONSOLE_SIZE];
	struct pt_regs regs;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	/* RIP is our caller; the backtrace starts at the caller's caller. */
	current_regs(&regs, (unsigned long)__builtin_return_address(0),
		     *(unsigned long *)__builtin_frame_address(0));
	channel_crash(&regs, reason);
}

/* Called by libfdt's stack-protector epilogues on a smashed canary. */
__noreturn void __stack_chk_fail(void)
{
	panic("stack-protector: kernel stack is corrupted");
}
