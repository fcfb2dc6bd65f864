/* SPDX-License-Identifier: MIT */
/*
 * Kernel entry and exit.
 *
 * Exceptions: one small stub per vector pushes the vector (and a zero
 * error code where the CPU pushes none), then common code saves the general
 * registers as struct pt_regs (asm/ptrace.h) and calls do_exception().
 * No `int n` anywhere: kvm_pvm cannot emulate it (docs/architecture.md).
 *
 * System calls: on hardware KVM `syscall` lands in entry_SYSCALL_64 at
 * CPL 0, which builds the same pt_regs frame (vector X86_SYSCALL_VECTOR)
 * by hand.  On kvm_pvm it lands there at CPL 3, where its first
 * instruction, the privileged `swapgs`, faults with every user register
 * intact; traps.c recognises a user fault at exactly entry_SYSCALL_64 as
 * the system call it is.  Both ways end in do_syscall_64() and iretq.
 *
 * User mode: user_enter() saves the kernel's callee-saved registers and
 * stack pointer, then "returns" to user mode through the pt_regs it is
 * given; user_exit() brings the kernel back there, returning a value from
 * user_enter().
 */
#include <asm/segment.h>

#define X86_SYSCALL_VECTOR	0x80	/* a marker in pt_regs.vector, not an IDT vector */

	.text
	.code64

	.macro STUB vector, has_error_code
	.globl exc_stub_\vector
exc_stub_\vector:
	.if \has_error_code == 0
	pushq	$0
	.endif
	pushq	$\vector
	jmp	exception_common
	.endm

	/* Vectors with a CPU-pushed error code: 8, 10-14, 17, 21, 29, 30. */
	STUB 0, 0
	STUB 1, 0
	STUB 2, 0
	STUB 3, 0
	STUB 4, 0
	STUB 5, 0
	STUB 6, 0
	STUB 7, 0
	STUB 8, 1
	STUB 9, 0
	STUB 10, 1
	STUB 11, 1
	STUB 12, 1
	STUB 13, 1
	STUB 14, 1
	STUB 15, 0
	STUB 16, 0
	STUB 17, 1
	STUB 18, 0
	STUB 19, 0
	STUB 20, 0
	STUB 21, 1
	STUB 22, 0
	STUB 23, 0
	STUB 24, 0
	STUB 25, 0
	STUB 26, 0
	STUB 27, 0
	STUB 28, 0
	STUB 29, 1
	STUB 30, 1
	STUB 31, 0

exception_common:
	cld
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%rax
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, %rdi
	call	do_exception
restore_regs_and_iret:
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rax
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
	addq	$16, %rsp		/* vector, error code */
	iretq

	.globl entry_SYSCALL_64
entry_SYSCALL_64:
	swapgs				/* faults at CPL 3: see above */
	movq	%rsp, syscall_user_rsp(%rip)
	movq	cpu_tss+4(%rip), %rsp	/* tss.sp0 */
	pushq	$__USER_DS		/* ss */
	pushq	syscall_user_rsp(%rip)	/* sp */
	pushq	%r11			/* flags */
	pushq	$__USER_CS		/* cs */
	pushq	%rcx			/* ip */
	pushq	$0			/* error code */
	pushq	$X86_SYSCALL_VECTOR
	swapgs
	jmp	exception_common

/* long user_enter(struct pt_regs *regs, unsigned long *kernel_sp) */
	.globl user_enter
user_enter:
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rsi)
	movq	%rdi, %rsp
	jmp	restore_regs_and_iret

/* void user_exit(unsigned long kernel_sp, long ret): back into user_enter's caller */
	.globl user_exit
user_exit:
	movq	%rdi, %rsp
	movq	%rsi, %rax
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret

	.section .bss
	.balign 8
syscall_user_rsp:
	.quad	0

	.section .rodata
	.balign 8
	.globl exception_stubs
exception_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad exc_stub_\v
	.endr
