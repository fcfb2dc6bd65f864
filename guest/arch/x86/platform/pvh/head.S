/* SPDX-License-Identifier: MIT */
/*
 * The PVH entry: how a VMM that does not set up long mode for us starts the
 * kernel (QEMU, for our TCG accelerator).  The ELF note below names it; the
 * CPU arrives in 32-bit protected mode with paging off, flat segments, and
 * EBX = the physical address of a struct hvm_start_info.
 *
 * We bring the same boot page tables the KVM path gets from the host (the
 * first GiB at PAGE_OFFSET and at __START_KERNEL_map, plus an identity map
 * for the jump into long mode), ready-made in our own data.  From
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

	/*
	 * The tables are data, written by the assembler, as Linux's
	 * head_64.S writes its early ones: building them here would cost
	 * over 2,000 emulated instructions.  One PD of 2 MiB pages for the
	 * first GiB, reached from one PDPT at index 0 (identity, PAGE_OFFSET)
	 * and 510 (kernel), which three PGD slots share.  Data, not rodata:
	 * the CPU sets accessed and dirty bits in them.
	 */
	.section .data.page_aligned, "aw"
	.balign	4096
pvh_pgd:
	.quad	_pa(pvh_pdpt) + PTE_TABLE
	.fill	PGD_PAGE_OFFSET - 1, 8, 0
	.quad	_pa(pvh_pdpt) + PTE_TABLE
	.fill	PGD_KERNEL - PGD_PAGE_OFFSET - 1, 8, 0
	.quad	_pa(pvh_pdpt) + PTE_TABLE
pvh_pdpt:
	.quad	_pa(pvh_pd) + PTE_TABLE
	.fill	PUD_KERNEL - 1, 8, 0
	.quad	_pa(pvh_pd) + PTE_TABLE
	.fill	511 - PUD_KERNEL, 8, 0
pvh_pd:
	i = 0
	.rept	512
	.quad	(i << 21) + PTE_LARGE
	i = i + 1
	.endr

	/* XEN_ELFNOTE_PHYS32_ENTRY: QEMU reads an 8-byte address in a 64-bit ELF. */
	.section .note.Xen, "a", @note
	.balign	4
	.long	4			/* name size */
	.long	8			/* descriptor size */
	.long	18			/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz	"Xen"
	.balign	4
	.quad	_pa(pvh_start_xen)
