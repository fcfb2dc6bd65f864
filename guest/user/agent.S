/* SPDX-License-Identifier: MIT */
/*
 * The user program every process runs: a few instructions that do, in
 * ring 3, what a scenario command asks (read, write or execute at an
 * address, or make a system call), then hand the result back to the kernel
 * with the vmm_done system call.  So every fault it takes is a genuine
 * user-mode fault, with the hardware's U/S, R/W and NX checks.
 *
 * It is linked into the kernel image (page-aligned, in the text segment)
 * and mapped read-only and executable into each process at AGENT_BASE; it
 * uses only relative addressing, so it runs at any address.
 *
 * On entry (set up by run_user()): r12 = operation, r13 = address or
 * system-call number, r14 = value to write; rdi, rsi, rdx, r10, r8, r9 =
 * system-call arguments.
 */
#include <asm/agent.h>

	.section .user.text, "ax"
	.globl agent_entry
agent_entry:
	cmpq	$AGENT_READ, %r12
	je	.Lread
	cmpq	$AGENT_WRITE, %r12
	je	.Lwrite
	cmpq	$AGENT_EXEC, %r12
	je	.Lexec
	movq	%r13, %rax		/* AGENT_SYSCALL */
	syscall
	jmp	.Ldone
.Lread:
	movzbl	(%r13), %eax
	jmp	.Ldone
.Lwrite:
	movb	%r14b, (%r13)
	xorl	%eax, %eax
	jmp	.Ldone
.Lexec:
	call	*%r13
	xorl	%eax, %eax
.Ldone:
	movq	%rax, %rdi
	movl	$__NR_vmm_done, %eax
	syscall
	ud2				/* vmm_done does not return */
