/* SPDX-License-Identifier: MIT */
/*
 * Tasks.  Every process is a task with an mm; it runs in user mode only
 * while the kernel asks its user program to do something (run_user), so
 * there is no scheduler: the kernel is the only other thread, and it has no
 * mm of its own.  It borrows the last process's page tables (active_mm),
 * as Linux's kernel threads do, since the kernel half is the same in all.
 */
#ifndef _LINUX_SCHED_H
#define _LINUX_SCHED_H

#include <linux/fault-inject.h>
#include <linux/mm_types.h>
#include <linux/types.h>

#include "shared/signal.h"

#define TASK_COMM_LEN	16
#define PID_MAX		64

struct pt_regs;
struct files_struct;

/* How a task's last trip to user mode ended. */
struct task_fault {
	int signo;		/* 0: it finished normally */
	int code;		/* si_code */
	unsigned long addr;	/* si_addr */
	unsigned long ip;	/* where it faulted */
};

struct task_struct {
	int pid;
	char comm[TASK_COMM_LEN];
	struct mm_struct *mm;		/* NULL once it has exited */
	struct task_fault fault;
	int exit_code;
	bool exited;
	unsigned long kernel_sp;	/* run_user()'s stack while the task is in user mode */
	struct files_struct *files;	/* open file descriptors (linux/fs.h) */
	struct fail_task fail;		/* make_it_fail, fail_nth */
};

/* The task in user mode, or the last one to have been there. */
extern struct task_struct *current;
/* The page tables loaded: current's, or borrowed by the kernel from it. */
extern struct mm_struct *active_mm;

struct agent_call {
	unsigned long op;		/* AGENT_* (asm/agent.h) */
	unsigned long target;		/* address, or system-call number */
	unsigned long value;
	unsigned long args[6];		/* system-call arguments */
	/*
	 * Bytes for the call to point at (a path, a struct stat to fill):
	 * placed on the user stack just above the stack pointer, as execve()
	 * places argv, and args[buf_arg] set to their address.  NULL: none.
	 */
	void *buf;
	unsigned long buf_len;
	unsigned int buf_arg;
};

/*
 * Run task's user program once.  Returns what it handed back with
 * vmm_done; if it was killed instead, task->fault says by what and the
 * return value is -EFAULT.
 */
long run_user(struct task_struct *task, const struct agent_call *call);

/* From the exception and system-call paths, in user-mode context: never return. */
__attribute__((noreturn)) void user_done(long ret);
__attribute__((noreturn)) void force_sig_fault(int signo, int code, unsigned long addr,
					       const struct pt_regs *regs);

struct task_struct *find_task(int pid);
/* A new process running the user program; its pid, or -EAGAIN/-ENOMEM. */
long spawn_task(const char *name, u32 len);
/* A copy of parent with its address space duplicated (copy-on-write); its pid. */
long do_fork(struct task_struct *parent, const char *name, u32 len);
/* The process is gone: its address space goes with its last user. */
void exit_task(struct task_struct *t);

#endif
