// SPDX-License-Identifier: MIT
/*
 * Long mode without a boot loader.  Instead of running real-mode and
 * protected-mode code (each instruction emulated on our machines), the host
 * writes three page-table pages and the final segment and control register
 * state with KVM_SET_SREGS.  The guest replaces the tables with its own as
 * soon as it has parsed the device tree.
 */
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvm_boot.h"
#include "shared/layout.h"
#include "shared/pte.h"

#define X86_CR0_PE	(1ULL << 0)
#define X86_CR0_MP	(1ULL << 1)
#define X86_CR0_ET	(1ULL << 4)
#define X86_CR0_NE	(1ULL << 5)
#define X86_CR0_WP	(1ULL << 16)
#define X86_CR0_PG	(1ULL << 31)
#define X86_CR4_PAE	(1ULL << 5)
#define EFER_SCE	(1ULL << 0)
#define EFER_LME	(1ULL << 8)
#define EFER_LMA	(1ULL << 10)
#define EFER_NX		(1ULL << 11)

#define KERNEL_CS	0x10
#define KERNEL_DS	0x18

/* PML4 -> one PDPT -> one PD of 2 MiB pages: the first GiB, twice. */
static int write_boot_page_tables(struct guest_ram *ram)
{
	uint64_t *pml4 = gpa_ptr(ram, VMM_HOST_BOOT_PGT, VMM_HOST_BOOT_PGT_SIZE);
	uint64_t *pdpt = pml4 + 512, *pd = pdpt + 512;
	uint64_t table = _PAGE_PRESENT | _PAGE_RW;

	if (!pml4)
		return -1;
	memset(pml4, 0, VMM_HOST_BOOT_PGT_SIZE);
	pml4[(PAGE_OFFSET >> PGDIR_SHIFT) & 511] = (VMM_HOST_BOOT_PGT + 0x1000) | table;
	pml4[(__START_KERNEL_map >> PGDIR_SHIFT) & 511] = (VMM_HOST_BOOT_PGT + 0x1000) | table;
	pdpt[(PAGE_OFFSET >> PUD_SHIFT) & 511] = (VMM_HOST_BOOT_PGT + 0x2000) | table;
	pdpt[(__START_KERNEL_map >> PUD_SHIFT) & 511] = (VMM_HOST_BOOT_PGT + 0x2000) | table;
	for (uint64_t i = 0; i < 512; i++)
		pd[i] = (i << PMD_SHIFT) | table | _PAGE_PSE;
	return 0;
}

static struct kvm_segment segment(uint16_t selector, uint8_t type, uint8_t l, uint8_t db)
{
	return (struct kvm_segment){
		.base = 0, .limit = 0xffffffff, .selector = selector, .type = type,
		.present = 1, .dpl = 0, .db = db, .s = 1, .l = l, .g = 1,
	};
}

int kvm_boot_long_mode(int vcpu_fd, struct guest_ram *ram, uint64_t entry, uint64_t fdt_gpa,
		       char *err, size_t errlen)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs = { .rip = entry, .rdi = fdt_gpa, .rflags = 0x2 };

	if (write_boot_page_tables(ram)) {
		snprintf(err, errlen, "guest RAM too small for the boot page tables");
		return -1;
	}
	if (ioctl(vcpu_fd, KVM_GET_SREGS, &sregs)) {
		snprintf(err, errlen, "KVM_GET_SREGS failed");
		return -1;
	}
	sregs.cs = segment(KERNEL_CS, 11, 1, 0);
	sregs.ds = sregs.es = sregs.ss = sregs.fs = sregs.gs = segment(KERNEL_DS, 3, 0, 1);
	sregs.tr = (struct kvm_segment){ .limit = 0x67, .type = 11, .present = 1 };
	sregs.cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG;
	sregs.cr3 = VMM_HOST_BOOT_PGT;
	sregs.cr4 = X86_CR4_PAE;
	sregs.efer = EFER_LME | EFER_LMA | EFER_SCE | EFER_NX;
	if (ioctl(vcpu_fd, KVM_SET_SREGS, &sregs) || ioctl(vcpu_fd, KVM_SET_REGS, &regs)) {
		snprintf(err, errlen, "KVM_SET_SREGS/KVM_SET_REGS failed");
		return -1;
	}
	return 0;
}
