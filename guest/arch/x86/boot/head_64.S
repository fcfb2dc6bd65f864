/* SPDX-License-Identifier: MIT */
/*
 * The first instructions of the guest kernel.
 *
 * The host entered 64-bit mode for us (KVM_SET_SREGS): paging is on with its
 * boot page tables, which map the first GiB of RAM both at PAGE_OFFSET and at
 * __START_KERNEL_map, CS is 0x10 and the data segments 0x18 as in our GDT.
 * RDI holds the device tree's physical address.  All we need before C is a
 * stack; the BSS is already zero because guest RAM arrives zeroed from the
 * host and the loader wrote nothing there.
 */
#include <asm/segment.h>

	.section .head.text, "ax"
	.code64
	.globl startup_64
startup_64:
	leaq	init_stack_end(%rip), %rsp
	xorl	%ebp, %ebp		/* ends every backtrace */
	call	x86_64_start_kernel	/* rdi: device tree */
1:	hlt
	jmp	1b

	.section .bss.page_aligned, "aw", @nobits
	.balign	4096
	.globl init_stack
init_stack:
	.skip	4 * 4096
	.globl init_stack_end
init_stack_end:
