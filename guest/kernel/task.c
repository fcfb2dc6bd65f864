// SPDX-License-Identifier: MIT
/*
 * Running a task's user program, and coming back.
 *
 * run_user() enters ring 3 through user_enter() (entry_64.S), which keeps
 * the kernel's stack pointer in the task.  The user program ends with the
 * vmm_done system call, or is killed by a fault; either way the exception
 * path calls user_done(), which returns from run_user() through
 * user_exit().  What the exception path had on its stack is simply
 * abandoned: the next entry from user mode starts again at the top.
 */
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <asm/agent.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#include <string.h>

#define X86_EFLAGS_FIXED	0x2
#define X86_EFLAGS_IF		0x200

long user_enter(struct pt_regs *regs, unsigned long *kernel_sp);
__noreturn void user_exit(unsigned long kernel_sp, long ret);

extern char agent_entry[], __user_text_start[];

long run_user(struct task_struct *task, const struct agent_call *call)
{
	struct pt_regs regs = {
		.r12 = call->op, .r13 = call->target, .r14 = call->value,
		.di = call->args[0], .si = call->args[1], .dx = call->args[2],
		.r10 = call->args[3], .r8 = call->args[4], .r9 = call->args[5],
		.ip = AGENT_BASE + (agent_entry - __user_text_start),
		.cs = __USER_CS,
		.flags = X86_EFLAGS_FIXED | X86_EFLAGS_IF,
		.sp = task->mm->start_stack,
		.ss = __USER_DS,
	};

	unsigned long *args[] = { &regs.di, &regs.si, &regs.dx, &regs.r10, &regs.r8, &regs.r9 };
	unsigned long ubuf = 0;
	long ret;

	task->fault = (struct task_fault){ 0 };
	context_switch(task);
	if (call->buf) {
		if (call->buf_arg >= ARRAY_SIZE(args))
			return -EINVAL;
		regs.sp = ALIGN_DOWN(regs.sp - call->buf_len, 16);
		if (copy_to_user((void *)regs.sp, call->buf, call->buf_len))
			return -EFAULT;
		*args[call->buf_arg] = ubuf = regs.sp;
	}
	ret = user_enter(&regs, &task->kernel_sp);
	/* What the call wrote there (a struct stat) goes back to the caller, if still mapped. */
	if (call->buf && !task->fault.signo && !task->exited &&
	    copy_from_user(call->buf, (void *)ubuf, call->buf_len))
		memset(call->buf, 0, call->buf_len);
	return ret;
}

void user_done(long ret)
{
	user_exit(current->kernel_sp, ret);
}

void force_sig_fault(int signo, int code, unsigned long addr, const struct pt_regs *regs)
{
	current->fault = (struct task_fault){ signo, code, addr, regs->ip };
	user_done(-EFAULT);
}
