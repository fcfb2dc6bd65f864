// SPDX-License-Identifier: MIT
/*
 * Switching tasks, and kernel threads: tasks with no mm of their own.
 *
 * A kernel thread only ever touches the kernel half, which is the same in
 * every address space, so switching to one loads no tables: it runs on
 * whatever the CPU has (lazy TLB), and borrows that mm as its active_mm,
 * holding mm_count so that the tables cannot be freed under it, but not
 * mm_users: the mappings may go (the last process using them exits, and
 * exit_mmap() empties them) while the mm itself and its top-level table
 * stay until the kernel thread lets go at its next switch (mmdrop).
 * Linux's context_switch() with enter_lazy_tlb() and finish_task_switch().
 *
 * Here a kernel thread runs whenever no process does: after every trip
 * of a process to user mode, schedule() switches to the first live kernel
 * thread, or idles when there is none (the request loop, which keeps the
 * last tables loaded without holding them).
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm_vma.h>
#include <linux/sched.h>
#include <asm/pgtable.h>
#include <asm/processor.h>

struct task_struct *current;
struct mm_struct *active_mm;

/* Load mm's page tables unless they are loaded already. */
static void switch_mm(struct mm_struct *mm)
{
	if (active_mm == mm)
		return;
	write_cr3(mm->pgd);
	active_mm = mm;
}

void context_switch(struct task_struct *next)
{
	struct task_struct *prev = current;
	struct mm_struct *drop = NULL;

	if (prev == next)
		return;
	if (next && next->mm) {
		switch_mm(next->mm);
		next->active_mm = next->mm;
	} else if (next) {
		/* Borrowed from the previous task, or from the tables idle kept loaded. */
		next->active_mm = prev ? prev->active_mm : active_mm;
		if (next->active_mm)
			mmgrab(next->active_mm);
	}
	/* The previous task held its active_mm only if it was lazy (no mm of its own). */
	if (prev && !prev->mm) {
		drop = prev->active_mm;
		prev->active_mm = NULL;
	}
	current = next;
	if (drop)
		mmdrop(drop);	/* the last reference frees it: mm_free_pgd() unloads it */
}

/*
 * The kernel thread schedule() runs: the live one with the lowest pid.
 * Kept up to date as they come and go, since every command that runs a
 * process ends in schedule().
 */
static struct task_struct *first_kthread;

static void find_first_kthread(void)
{
	first_kthread = NULL;
	for (int pid = 1; pid <= PID_MAX && !first_kthread; pid++) {
		struct task_struct *t = find_task_or_kthread(pid);

		if (t && t->kthread)
			first_kthread = t;
	}
}

void schedule(void)
{
	/* With no kernel thread, a live process stays current until the next one runs. */
	if (first_kthread || (current && !current->mm))
		context_switch(first_kthread);
}

long kthread_run(const char *name, u32 len)
{
	struct task_struct *k = alloc_task(name, len);

	if (!k)
		return -EAGAIN;
	k->kthread = true;
	if (!first_kthread || k->pid < first_kthread->pid)
		first_kthread = k;
	context_switch(k);
	return k->pid;
}

void kthread_stop(struct task_struct *k)
{
	k->kthread = false;
	find_first_kthread();
	if (k == current)
		schedule();
}
