/* SPDX-License-Identifier: MIT */
/*
 * The PVH entry: how a VMM that does not set up long mode for us starts the
 * kernel (QEMU, for our TCG accelerator).  The ELF note below names it; the
 * CPU arrives in 32-bit protected mode with paging off, flat segments, and
 * EBX = the physical address of a struct hvm_start_info.
 *
 * We build the same boot page tables the KVM path gets from the host (the
 * first GiB at PAGE_OFFSET and at __START_KERNEL_map, plus an identity map
 * for the jump into long mode), in our own BSS, which arrives zeroed.  From
 * startup_64 on, both paths are one.  The device tree's address comes from
 * the start info's command line (pvh_fdt_address()).
 */
#include <asm/segment.h>

#define _pa(x)		((x) - 0xffffffff80000000)	/* __START_KERNEL_map */

#define PTE_TABLE	0x003		/* present, writable */
#define PTE_LARGE	0x083		/* present, writable, 2 MiB page */
#define PGD_PAGE_OFFSET	273		/* pgd_index(PAGE_OFFSET) */
#define PGD_KERNEL	511		/* pgd_index(__START_KERNEL_map) */
#define PUD_KERNEL	510		/* pud_index(__START_KERNEL_map) */

#define X86_CR0_BOOT	0x80010033	/* PG WP NE ET MP PE, as the KVM path sets */
#define X86_CR4_PAE	0x20
#define MSR_EFER	0xc0000080
#define EFER_BOOT	0x901		/* NX LME SCE */

	.section .head.text, "ax"
	.code32
	.globl pvh_start_xen
pvh_start_xen:
	cld
	movl	%ebx, %esi		/* survives to pvh_fdt_address() */
	rdtsc				/* instruction counts start here (channel.c) */
	movl	%eax, _pa(pvh_entry_tsc)
	movl	%edx, _pa(pvh_entry_tsc) + 4

	/* One PD of 2 MiB pages for the first GiB... */
	movl	$_pa(pvh_pd), %edi
	movl	$PTE_LARGE, %eax
	movl	$512, %ecx
1:	movl	%eax, (%edi)
	addl	$0x200000, %eax
	addl	$8, %edi
	loop	1b
	/* ...reached from one PDPT at index 0 (identity, PAGE_OFFSET) and 510 (kernel)... */
	movl	$(_pa(pvh_pd) + PTE_TABLE), %eax
	movl	%eax, _pa(pvh_pdpt)
	movl	%eax, _pa(pvh_pdpt) + PUD_KERNEL * 8
	/* ...which three PGD slots share. */
	movl	$(_pa(pvh_pdpt) + PTE_TABLE), %eax
	movl	%eax, _pa(pvh_pgd)
	movl	%eax, _pa(pvh_pgd) + PGD_PAGE_OFFSET * 8
	movl	%eax, _pa(pvh_pgd) + PGD_KERNEL * 8

	movl	%cr4, %eax
	orl	$X86_CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$_pa(pvh_pgd), %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_BOOT, %eax
	wrmsr
	movl	$X86_CR0_BOOT, %eax
	movl	%eax, %cr0
	lgdt	_pa(pvh_gdt_desc)
	ljmp	$__KERNEL_CS, $_pa(pvh_long_mode)

	.code64
pvh_long_mode:
	movl	$__KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movabsq	$pvh_high, %rax		/* leave the identity map */
	jmp	*%rax
pvh_high:
	leaq	init_stack_end(%rip), %rsp
	movl	%esi, %edi
	call	pvh_fdt_address
	movq	%rax, %rdi
	jmp	startup_64

	.section .rodata, "a"
	.balign	8
pvh_gdt:
	.quad	0
	.quad	0
	.quad	0x00af9a000000ffff	/* __KERNEL_CS: 64-bit code */
	.quad	0x00cf92000000ffff	/* __KERNEL_DS */
pvh_gdt_end:
pvh_gdt_desc:
	.word	pvh_gdt_end - pvh_gdt - 1
	.long	_pa(pvh_gdt)

	.section .bss.page_aligned, "aw", @nobits
	.balign	4096
pvh_pgd:
	.skip	4096
pvh_pdpt:
	.skip	4096
pvh_pd:
	.skip	4096

	/* XEN_ELFNOTE_PHYS32_ENTRY: QEMU reads an 8-byte address in a 64-bit ELF. */
	.section .note.Xen, "a", @note
	.balign	4
	.long	4			/* name size */
	.long	8			/* descriptor size */
	.long	18			/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz	"Xen"
	.balign	4
	.quad	_pa(pvh_start_xen)
