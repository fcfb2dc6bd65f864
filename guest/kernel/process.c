// SPDX-License-Identifier: MIT
/*
 * Processes: creation with the user program and a stack, fork, exit (the
 * scenario requests that drive them are in harness/process_requests.c).
 * A process's address space starts
 * as Linux lays out a small static binary:
 *
 *   0x400000             [agent]  r-xp  the user program (guest/user/agent.S)
 *   0x401000             [heap]         start_brk = brk, empty until brk()
 *   ...                                 mmap area, top-down below mmap_base
 *   TASK_SIZE - 128 KiB  [stack]  rw-p  grows down, demand-paged
 */
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mm_vma.h>
#include <linux/pgtable_ops.h>
#include <linux/sched.h>
#include <linux/syscalls.h>
#include <asm/agent.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <string.h>

#define STACK_TOP		TASK_SIZE
#define INITIAL_STACK_SIZE	(128UL << 10)

static struct task_struct tasks[PID_MAX];	/* pid = index + 1; pid 0 is the kernel */

extern char __user_text_start[], __user_text_end[];

struct task_struct *find_task(int pid)
{
	if (pid < 1 || pid > PID_MAX || !tasks[pid - 1].mm)
		return NULL;
	return &tasks[pid - 1];
}

struct task_struct *next_process(const struct task_struct *t)
{
	for (int pid = t ? (int)(t - tasks) + 2 : 1; pid <= PID_MAX; pid++)
		if (tasks[pid - 1].mm)
			return &tasks[pid - 1];
	return NULL;
}

struct task_struct *find_task_or_kthread(int pid)
{
	if (pid < 1 || pid > PID_MAX || (!tasks[pid - 1].mm && !tasks[pid - 1].kthread))
		return NULL;
	return &tasks[pid - 1];
}

struct task_struct *alloc_task(const char *name, u32 len)
{
	for (int i = 0; i < PID_MAX; i++) {
		struct task_struct *t = &tasks[i];

		/* In use: a process, a kernel thread, or an exited task still running on its mm. */
		if (t->mm || t->kthread || t->active_mm)
			continue;
		*t = (struct task_struct){ .pid = i + 1 };
		memcpy(t->comm, name, min(len, (u32)TASK_COMM_LEN - 1));
		return t;
	}
	return NULL;
}

/*
 * The user program's pages are the kernel image's own: a special mapping
 * (VM_PFNMAP: raw frames, no references taken), like Linux's vDSO.
 */
static int map_agent(struct mm_struct *mm)
{
	struct vm_area_struct *vma = vm_area_alloc(mm);
	unsigned long size = __user_text_end - __user_text_start;

	if (!vma)
		return -ENOMEM;
	vma->vm_start = AGENT_BASE;
	vma->vm_end = AGENT_BASE + size;
	vma->vm_flags = VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYEXEC | VM_PFNMAP | VM_DONTEXPAND;
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
	vma->vm_name = "[agent]";
	if (insert_vm_struct(mm, vma)) {
		vm_area_free(vma);
		return -ENOMEM;
	}
	for (unsigned long off = 0; off < size; off += PAGE_SIZE) {
		pteval_t *pte = pte_alloc(__va(mm->pgd), AGENT_BASE + off);

		if (!pte)
			return -ENOMEM;
		*pte = __pa(__user_text_start + off) | pgprot_val(vma->vm_page_prot) | _PAGE_ACCESSED;
	}
	mm->start_code = AGENT_BASE;
	mm->end_code = AGENT_BASE + size;
	mm->start_data = mm->end_data = mm->start_brk = mm->brk = mm->end_code;
	return 0;
}

static int map_stack(struct mm_struct *mm)
{
	struct vm_area_struct *vma = vm_area_alloc(mm);

	if (!vma)
		return -ENOMEM;
	vma->vm_start = STACK_TOP - INITIAL_STACK_SIZE;
	vma->vm_end = STACK_TOP;
	vma->vm_flags = VM_STACK_FLAGS;
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
	if (insert_vm_struct(mm, vma)) {
		vm_area_free(vma);
		return -ENOMEM;
	}
	mm->start_stack = STACK_TOP;
	return 0;
}

long spawn_task(const char *name, u32 len)
{
	struct task_struct *t = alloc_task(name, len);
	struct mm_struct *mm;

	if (!t)
		return -EAGAIN;
	mm = mm_alloc();
	if (!mm)
		return -ENOMEM;
	t->files = files_alloc();
	if (!t->files || map_agent(mm) || map_stack(mm)) {
		if (t->files)
			put_files_struct(t->files);
		mmput(mm);
		return -ENOMEM;
	}
	t->mm = mm;
	mm_set_owner(mm, t);
	return t->pid;
}

/*
 * The process is gone: its address space goes with its last user.  If it
 * is the task on the CPU, it runs on the mm lazily until the next switch
 * (Linux's exit_mm()), which schedule() makes at once.
 */
void exit_task(struct task_struct *t)
{
	struct mm_struct *mm = t->mm;

	if (t == current)
		mmgrab(mm);
	else
		t->active_mm = NULL;
	t->mm = NULL;
	t->exited = true;
	put_files_struct(t->files);
	t->files = NULL;
	mmput(mm);
	fail_nth_set(&t->fail, 0);
	if (t == current)
		schedule();
}

long do_fork(struct task_struct *parent, const char *name, u32 len, unsigned long clone_flags)
{
	struct task_struct *child = alloc_task(name, len);

	if (!child)
		return -EAGAIN;
	child->files = dup_fd(parent->files);
	if (!child->files)
		return -ENOMEM;
	/* A thread shares the address space: one more user, the same tables (Linux's copy_mm()). */
	if (clone_flags & CLONE_VM) {
		mmget(parent->mm);
		child->mm = parent->mm;
		return child->pid;
	}
	child->mm = dup_mm(parent->mm);
	if (!child->mm) {
		put_files_struct(child->files);
		return -ENOMEM;
	}
	mm_set_owner(child->mm, child);
	return child->pid;
}
