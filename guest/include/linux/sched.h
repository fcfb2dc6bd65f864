/* SPDX-License-Identifier: MIT */
/*
 * Tasks.  Every process is a task with an mm; it runs in user mode only
 * while the kernel asks its user program to do something (run_user).
 * Kernel threads (guest/kernel/kthread.c) are tasks without an mm: one
 * runs whenever no process does, on the page tables of whatever ran last,
 * whose mm it borrows as its active_mm, holding mm_count (lazy TLB, as in
 * Linux).  With no kernel thread the CPU idles in the request loop, which
 * keeps the last tables loaded without holding them (active_mm below).
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
	struct mm_struct *mm;		/* NULL once it has exited, and for kernel threads */
	/* The mm whose tables it runs on: mm, or a borrowed one (counted in mm_count). */
	struct mm_struct *active_mm;
	bool kthread;			/* a live kernel thread (Linux: PF_KTHREAD) */
	struct task_fault fault;
	int exit_code;
	bool exited;
	unsigned long kernel_sp;	/* run_user()'s stack while the task is in user mode */
	struct files_struct *files;	/* open file descriptors (linux/fs.h) */
	struct fail_task fail;		/* make_it_fail, fail_nth */
};

/* The task in user mode, or the last one to have been there. */
extern struct task_struct *current;
/* The page tables loaded (Linux: cpu_tlbstate.loaded_mm); NULL: the kernel's own. */
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
/*
 * The process after t in pid order (the first for NULL), or NULL; kernel
 * threads are not processes.  Linux walks its task list the same way.
 */
struct task_struct *next_process(const struct task_struct *t);
#define for_each_process(t) for ((t) = next_process(NULL); (t); (t) = next_process(t))
/* find_task(), kernel threads included. */
struct task_struct *find_task_or_kthread(int pid);
/* A free task slot named name, zeroed but for pid and comm; NULL if none. */
struct task_struct *alloc_task(const char *name, u32 len);
/* A new process running the user program; its pid, or -EAGAIN/-ENOMEM. */
long spawn_task(const char *name, u32 len);
/*
 * A copy of parent with its address space duplicated (copy-on-write), or
 * with CLONE_VM in clone_flags a thread sharing it; its pid.
 */
long do_fork(struct task_struct *parent, const char *name, u32 len, unsigned long clone_flags);
/* The process is gone: its address space goes with its last user. */
void exit_task(struct task_struct *t);

/* ---- scheduling and kernel threads (guest/kernel/kthread.c) ---- */
/*
 * The CPU switches to next (a process about to run its user program, or a
 * kernel thread, or NULL: idle).  A process's tables are loaded; a kernel
 * thread borrows the previous task's active_mm (mmgrab); a previous task
 * without an mm (a kernel thread, an exited process) lets go of its
 * active_mm (mmdrop) once the switch is done.  Linux's context_switch().
 */
void context_switch(struct task_struct *next);
/* After a process's trip to user mode: a kernel thread runs if there is one, else idle. */
void schedule(void);
/* A kernel thread named name, run at once; its pid, or -EAGAIN. */
long kthread_run(const char *name, u32 len);
/* The kernel thread ends; it lets go of what it borrowed. */
void kthread_stop(struct task_struct *k);
/* The mm a task's views show: its own, or the one a kernel thread borrows. */
/* The process an mm belongs to, by name, for views of an mm a kernel thread borrows. */
static inline void mm_set_owner(struct mm_struct *mm, const struct task_struct *t)
{
	__builtin_memcpy(mm->owner, t->comm, sizeof(mm->owner));
}

static inline struct mm_struct *task_active_mm(const struct task_struct *t)
{
	return t->mm ? t->mm : t->active_mm;
}

#endif
