// SPDX-License-Identifier: MIT
/*
 * Page faults from user mode: find the VMA, check the access against it,
 * grow the stack, and let the generic code map the page (mm/memory.c).
 * What cannot be resolved kills the task with SIGSEGV and Linux's si_code:
 * SEGV_MAPERR where nothing is mapped, SEGV_ACCERR where the mapping
 * forbids the access.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mm_vma.h>
#include <linux/sched.h>
#include <asm/ptrace.h>
#include <asm/traps.h>

#define X86_PF_PROT	(1UL << 0)
#define X86_PF_WRITE	(1UL << 1)
#define X86_PF_INSTR	(1UL << 4)

int handle_mm_fault(struct vm_area_struct *vma, unsigned long addr, bool write);

/* Linux's access_error(): does the VMA forbid this kind of access? */
static bool access_error(unsigned long error_code, const struct vm_area_struct *vma)
{
	if (error_code & X86_PF_WRITE)
		return !(vma->vm_flags & VM_WRITE);
	if (error_code & X86_PF_INSTR)
		return !(vma->vm_flags & VM_EXEC);
	/* A read of a present page that faulted: PROT_NONE. */
	if (error_code & X86_PF_PROT)
		return true;
	return !vma_is_accessible(vma);
}

void do_user_addr_fault(struct pt_regs *regs, unsigned long error_code, unsigned long address)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;

	if (address >= TASK_SIZE)
		force_sig_fault(SIGSEGV, SEGV_MAPERR, address, regs);
	vma = find_vma(mm, address);
	if (vma && vma->vm_start > address)
		vma = (vma->vm_flags & VM_GROWSDOWN) ? expand_stack(mm, address) : NULL;
	if (!vma)
		force_sig_fault(SIGSEGV, SEGV_MAPERR, address, regs);
	if (access_error(error_code, vma))
		force_sig_fault(SIGSEGV, SEGV_ACCERR, address, regs);
	if (handle_mm_fault(vma, address, error_code & X86_PF_WRITE))
		force_sig_fault(SIGBUS, BUS_ADRERR, address, regs);	/* out of memory */
}
