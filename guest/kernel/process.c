// SPDX-License-Identifier: MIT
/*
 * Processes: creation with the user program and a stack, fork, exit, and
 * the scenario requests that drive them.  A process's address space starts
 * as Linux lays out a small static binary:
 *
 *   0x400000             [agent]  r-xp  the user program (guest/user/agent.S)
 *   0x401000             [heap]         start_brk = brk, empty until brk()
 *   ...                                 mmap area, top-down below mmap_base
 *   TASK_SIZE - 128 KiB  [stack]  rw-p  grows down, demand-paged
 */
#include <linux/channel.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mm_vma.h>
#include <linux/pgtable_ops.h>
#include <linux/sched.h>
#include <asm/agent.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <string.h>
#include "process.h"

#define STACK_TOP		TASK_SIZE
#define INITIAL_STACK_SIZE	(128UL << 10)

_Static_assert(sizeof(struct page) == VMM_STRUCT_PAGE_SIZE &&
	       offsetof(struct page, _mapcount) == VMM_PAGE_MAPCOUNT_OFFSET &&
	       offsetof(struct page, _refcount) == VMM_PAGE_REFCOUNT_OFFSET,
	       "the host reads struct page from guest RAM");

static struct task_struct tasks[PID_MAX];	/* pid = index + 1; pid 0 is the kernel */

extern char __user_text_start[], __user_text_end[];

struct task_struct *find_task(int pid)
{
	if (pid < 1 || pid > PID_MAX || !tasks[pid - 1].mm)
		return NULL;
	return &tasks[pid - 1];
}

static struct task_struct *alloc_task(const char *name, u32 len)
{
	for (int i = 0; i < PID_MAX; i++) {
		struct task_struct *t = &tasks[i];

		if (t->mm)
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

static long spawn(const char *name, u32 len)
{
	struct task_struct *t = alloc_task(name, len);
	struct mm_struct *mm;

	if (!t)
		return -EAGAIN;
	mm = mm_alloc();
	if (!mm)
		return -ENOMEM;
	if (map_agent(mm) || map_stack(mm)) {
		mmput(mm);
		return -ENOMEM;
	}
	t->mm = mm;
	return t->pid;
}

/* The process is gone: its address space goes with its last user. */
static void exit_task(struct task_struct *t)
{
	struct mm_struct *mm = t->mm;

	t->mm = NULL;
	t->exited = true;
	mmput(mm);
}

static long do_fork(struct task_struct *parent, const char *name, u32 len)
{
	struct task_struct *child = alloc_task(name, len);

	if (!child)
		return -EAGAIN;
	child->mm = dup_mm(parent->mm);
	if (!child->mm)
		return -ENOMEM;
	return child->pid;
}

/* ---- requests ------------------------------------------------------------ */

static struct task_struct *request_task(const struct vmm_request *req)
{
	return find_task((int)req->arg[0]);
}

long req_spawn(const struct vmm_request *req, struct vmm_message *reply)
{
	long pid = spawn(mailbox->req_data, min(req->data_len, VMM_REQ_DATA_SIZE));

	if (pid < 0)
		return pid;
	reply->val[0] = pid;
	return 0;
}

long req_run(const struct vmm_request *req, struct vmm_message *reply)
{
	struct task_struct *t = request_task(req);
	struct agent_call call = { .op = req->arg[1], .target = req->arg[2], .value = req->arg[3] };
	struct vmm_fault *f = (struct vmm_fault *)channel_data();

	if (!t || req->arg[1] > AGENT_SYSCALL)
		return -EINVAL;
	if (req->data_len >= sizeof(call.args))
		memcpy(call.args, mailbox->req_data, sizeof(call.args));
	reply->val[0] = run_user(t, &call);
	*f = (struct vmm_fault){ t->fault.signo, t->fault.code, t->fault.addr, t->fault.ip };
	reply->len = sizeof(*f);
	/* Killed by a signal, or exit(2): the process ends cleanly, memory freed. */
	if (t->fault.signo || t->exited)
		exit_task(t);
	return 0;
}

long req_fork(const struct vmm_request *req, struct vmm_message *reply)
{
	struct task_struct *t = request_task(req);
	long pid;

	if (!t)
		return -EINVAL;
	pid = do_fork(t, mailbox->req_data, min(req->data_len, VMM_REQ_DATA_SIZE));
	if (pid < 0)
		return pid;
	reply->val[0] = pid;
	return 0;
}

long req_exit(const struct vmm_request *req, struct vmm_message *reply)
{
	struct task_struct *t = request_task(req);

	(void)reply;
	if (!t)
		return -EINVAL;
	exit_task(t);
	return 0;
}

static long proc_text(const struct vmm_request *req, struct vmm_message *reply,
		      int (*show)(struct mm_struct *mm, char *buf, size_t size))
{
	struct task_struct *t = request_task(req);
	int n;

	if (!t)
		return -EINVAL;
	n = show(t->mm, channel_data(), channel_data_size());
	if (n < 0)
		return -ENOSPC;
	reply->len = n;
	return 0;
}

long req_maps(const struct vmm_request *req, struct vmm_message *reply)
{
	return proc_text(req, reply, proc_maps_show);
}

long req_smaps(const struct vmm_request *req, struct vmm_message *reply)
{
	return proc_text(req, reply, proc_smaps_show);
}

long req_mm(const struct vmm_request *req, struct vmm_message *reply)
{
	struct task_struct *t = request_task(req);
	struct vmm_mm_info *i = (struct vmm_mm_info *)channel_data();
	struct mm_struct *mm;

	if (!t)
		return -EINVAL;
	mm = t->mm;
	*i = (struct vmm_mm_info){
		.pgd = mm->pgd, .map_count = mm->map_count, .total_vm = mm->total_vm,
		.locked_vm = mm->locked_vm,
		.rss_anon = get_mm_counter(mm, MM_ANONPAGES),
		.rss_shmem = get_mm_counter(mm, MM_SHMEMPAGES),
		.start_code = mm->start_code, .end_code = mm->end_code,
		.start_data = mm->start_data, .end_data = mm->end_data,
		.start_brk = mm->start_brk, .brk = mm->brk, .start_stack = mm->start_stack,
		.mmap_base = mm->mmap_base, .mm_users = mm->mm_users, .mm_count = mm->mm_count,
	};
	reply->len = sizeof(*i);
	return 0;
}

long req_vmas(const struct vmm_request *req, struct vmm_message *reply)
{
	struct task_struct *t = request_task(req);
	struct vmm_vma *v = (struct vmm_vma *)channel_data();
	u32 max = channel_data_size() / sizeof(*v), n = 0;
	struct vm_area_struct *vma;

	if (!t)
		return -EINVAL;
	for_each_vma(t->mm, vma) {
		if (n == max)
			return -ENOSPC;
		v[n++] = (struct vmm_vma){ vma->vm_start, vma->vm_end, vma->vm_flags, vma->vm_pgoff };
	}
	reply->val[0] = n;
	reply->len = n * sizeof(*v);
	return 0;
}

long req_tasks(const struct vmm_request *req, struct vmm_message *reply)
{
	struct vmm_task *v = (struct vmm_task *)channel_data();
	u32 n = 0;

	(void)req;
	for (int i = 0; i < PID_MAX; i++) {
		if (!tasks[i].mm)
			continue;
		v[n] = (struct vmm_task){ .pid = tasks[i].pid, .pgd = tasks[i].mm->pgd };
		memcpy(v[n].comm, tasks[i].comm, sizeof(v[n].comm));
		n++;
	}
	reply->val[0] = n;
	reply->len = n * sizeof(*v);
	return 0;
}

long req_mem_map(const struct vmm_request *req, struct vmm_message *reply)
{
	phys_addr_t phys;
	size_t size;

	(void)req;
	mem_map_extent(&phys, &size);
	reply->val[0] = phys;
	reply->val[1] = size;
	reply->val[2] = zero_pfn();
	return 0;
}
