// SPDX-License-Identifier: MIT
/*
 * The scenario's process requests: spawn, run the user program, fork,
 * exit, and the views of an address space the host asks for (/proc/PID/maps
 * and smaps text, mm counters, VMAs, tasks, where mem_map is).
 */
#include <linux/channel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mm_vma.h>
#include <linux/pgtable_ops.h>
#include <linux/sched.h>
#include <asm/agent.h>
#include <asm/page.h>
#include <string.h>
#include "process_requests.h"

_Static_assert(sizeof(struct page) == VMM_STRUCT_PAGE_SIZE &&
	       offsetof(struct page, _mapcount) == VMM_PAGE_MAPCOUNT_OFFSET &&
	       offsetof(struct page, _refcount) == VMM_PAGE_REFCOUNT_OFFSET,
	       "the host reads struct page from guest RAM");

/* The process the request is for: the kernel works on its behalf (fault injection's current). */
static struct task_struct *request_task(const struct vmm_request *req)
{
	struct task_struct *t = find_task((int)req->arg[0]);

	fault_current = t ? &t->fail : NULL;
	return t;
}

/* The mm a view of task arg[0] shows: a process's own, a kernel thread's borrowed one. */
static struct mm_struct *request_mm(const struct vmm_request *req)
{
	struct task_struct *t = find_task_or_kthread((int)req->arg[0]);

	return t ? task_active_mm(t) : NULL;
}

/* A new task named by the request's data: its pid in the reply, or the error. */
static long reply_new_task(long (*create)(const char *name, u32 len),
			   const struct vmm_request *req, struct vmm_message *reply)
{
	long pid = create(mailbox->req_data, min(req->data_len, VMM_REQ_DATA_SIZE));

	if (pid < 0)
		return pid;
	reply->val[0] = pid;
	return 0;
}

long req_spawn(const struct vmm_request *req, struct vmm_message *reply)
{
	return reply_new_task(spawn_task, req, reply);
}

long req_run(const struct vmm_request *req, struct vmm_message *reply)
{
	struct task_struct *t = request_task(req);
	struct agent_call call = { .op = req->arg[1], .target = req->arg[2], .value = req->arg[3] };
	struct vmm_fault *f = (struct vmm_fault *)channel_data();

	static char buf[VMM_RUN_BUF_MAX];
	u32 len = min(req->data_len, VMM_REQ_DATA_SIZE);

	if (!t || req->arg[1] > AGENT_SYSCALL)
		return -EINVAL;
	if (len >= sizeof(call.args))
		memcpy(call.args, mailbox->req_data, sizeof(call.args));
	if (len > sizeof(call.args)) {
		call.buf_len = len - sizeof(call.args);
		call.buf = memcpy(buf, mailbox->req_data + sizeof(call.args), call.buf_len);
		call.buf_arg = (unsigned int)min(req->arg[4], 6ULL);
	}
	reply->val[0] = run_user(t, &call);
	*f = (struct vmm_fault){ t->fault.signo, t->fault.code, t->fault.addr, t->fault.ip };
	reply->len = sizeof(*f);
	if (call.buf) {
		memcpy((char *)channel_data() + sizeof(*f), buf, call.buf_len);
		reply->len += call.buf_len;
	}
	/* Killed by a signal, or exit(2): the process ends cleanly, memory freed. */
	if (t->fault.signo || t->exited)
		exit_task(t);
	else
		schedule();
	return 0;
}

long req_fork(const struct vmm_request *req, struct vmm_message *reply)
{
	struct task_struct *t = request_task(req);
	long pid;

	if (!t)
		return -EINVAL;
	pid = do_fork(t, mailbox->req_data, min(req->data_len, VMM_REQ_DATA_SIZE), req->arg[1]);
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
	struct mm_struct *mm = request_mm(req);
	int n;

	if (!mm)
		return -EINVAL;
	n = show(mm, channel_data(), channel_data_size());
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
	struct task_struct *t = find_task_or_kthread((int)req->arg[0]);
	struct vmm_mm_info *i = (struct vmm_mm_info *)channel_data();
	struct mm_struct *mm;

	if (!t)
		return -EINVAL;
	mm = task_active_mm(t);
	if (!mm)
		return -ESRCH;
	*i = (struct vmm_mm_info){
		.pgd = mm->pgd, .map_count = mm->map_count, .total_vm = mm->total_vm,
		.locked_vm = mm->locked_vm,
		.rss_anon = get_mm_counter(mm, MM_ANONPAGES),
		.rss_shmem = get_mm_counter(mm, MM_SHMEMPAGES),
		.start_code = mm->start_code, .end_code = mm->end_code,
		.start_data = mm->start_data, .end_data = mm->end_data,
		.start_brk = mm->start_brk, .brk = mm->brk, .start_stack = mm->start_stack,
		.mmap_base = mm->mmap_base, .mm_users = mm->mm_users, .mm_count = mm->mm_count,
		.rss_file = get_mm_counter(mm, MM_FILEPAGES),
		.data_vm = mm->data_vm, .exec_vm = mm->exec_vm, .stack_vm = mm->stack_vm,
		.hiwater_rss = get_mm_hiwater_rss(mm), .pgtables_bytes = mm_pgtables_bytes(mm),
	};
	memcpy(i->owner, mm->owner, sizeof(i->owner));
	reply->len = sizeof(*i);
	return 0;
}

long req_vmas(const struct vmm_request *req, struct vmm_message *reply)
{
	struct mm_struct *mm = request_mm(req);
	struct vmm_vma *v = (struct vmm_vma *)channel_data();
	u32 max = channel_data_size() / sizeof(*v), n = 0;
	struct vm_area_struct *vma;

	if (!mm)
		return -EINVAL;
	for_each_vma(mm, vma) {
		if (n == max)
			return -ENOSPC;
		v[n++] = (struct vmm_vma){
			vma->vm_start, vma->vm_end, vma->vm_flags, vma->vm_pgoff,
			vma->vm_file ? file_inode(vma->vm_file)->i_ino : 0,
		};
	}
	reply->val[0] = n;
	reply->len = n * sizeof(*v);
	return 0;
}

/* Does a task before t share mm (a thread of the same process)? */
static bool listed_before(const struct task_struct *t, const struct mm_struct *mm)
{
	for (int pid = 1; pid < t->pid; pid++) {
		struct task_struct *o = find_task(pid);

		if (o && o->mm == mm)
			return true;
	}
	return false;
}

long req_tasks(const struct vmm_request *req, struct vmm_message *reply)
{
	struct vmm_task *v = (struct vmm_task *)channel_data();
	u32 n = 0;

	(void)req;
	for (int pid = 1; pid <= PID_MAX; pid++) {
		struct task_struct *t = find_task_or_kthread(pid);
		struct mm_struct *mm = t ? task_active_mm(t) : NULL;

		/*
		 * Every process, and a kernel thread holding an mm no process
		 * uses any more: tables the CPU may legitimately be on.  One
		 * borrowing a live process's mm would list its tables twice.
		 */
		if (!mm || (!t->mm && mm->mm_users) || listed_before(t, mm))
			continue;
		v[n] = (struct vmm_task){ .pid = t->pid, .pgd = mm->pgd };
		memcpy(v[n].comm, t->comm, sizeof(v[n].comm));
		n++;
	}
	reply->val[0] = n;
	reply->len = n * sizeof(*v);
	return 0;
}

long req_kthread(const struct vmm_request *req, struct vmm_message *reply)
{
	return reply_new_task(kthread_run, req, reply);
}

long req_kthread_stop(const struct vmm_request *req, struct vmm_message *reply)
{
	struct task_struct *k = find_task_or_kthread((int)req->arg[0]);

	(void)reply;
	if (!k || !k->kthread)
		return -EINVAL;
	kthread_stop(k);
	return 0;
}

long req_find_vma(const struct vmm_request *req, struct vmm_message *reply)
{
	struct mm_struct *mm = request_mm(req);
	struct vm_area_struct *vma;

	if (!mm)
		return -EINVAL;
	vma = find_vma(mm, req->arg[1]);
	if (!vma)
		return -ENOENT;
	reply->val[0] = vma->vm_start;
	reply->val[1] = vma->vm_end;
	return 0;
}

long req_mem_map(const struct vmm_request *req, struct vmm_message *reply)
{
	phys_addr_t phys;
	size_t size;

	(void)req;
	mem_map_extent(&phys, &size);
	reply->val[VMM_MEM_MAP_PHYS] = phys;
	reply->val[VMM_MEM_MAP_BYTES] = size;
	reply->val[VMM_MEM_MAP_ZERO_PFN] = zero_pfn();
	return 0;
}
