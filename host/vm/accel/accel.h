/* SPDX-License-Identifier: MIT */
/*
 * The accelerator interface: what runs the guest's CPU.
 *
 * Two accelerators implement it: KVM (kvm.c; hardware VMX/SVM, or kvm_pvm)
 * and QEMU's TCG (tcg.c; binary translation in a child process).  Guest RAM
 * is always memory that vmm maps itself, so everything above this interface
 * (the channel, the page-table walker, every `check` rule) reads the same
 * bytes whichever accelerator runs, and never learns which one does.
 *
 * An accelerator reports neutral events (enum vcpu_event_kind), never its
 * own exit codes.  Every call returns 0 or -1 with a sentence in err; none
 * exits the process or trusts anything the guest did.
 */
#ifndef HOST_ACCEL_H
#define HOST_ACCEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vm/guest_ram.h"

/* What the diagnosis of a guest that died without a word, and `check`, need. */
struct cpu_regs {
	uint64_t rip, rsp, rflags;
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t cs, ss;		/* selectors */
	uint64_t cr0, cr2, cr3, cr4;
};

enum vcpu_event_kind {
	VCPU_DOORBELL,		/* the guest rang the doorbell: value */
	VCPU_HALT,		/* hlt, with nothing that could wake it */
	VCPU_SHUTDOWN,		/* triple fault */
	VCPU_STEP,		/* one single step done, the CPU now at pc */
	VCPU_TIMEOUT,		/* the watchdog fired */
	VCPU_FAULT,		/* anything else that ends the guest: see why */
};

struct vcpu_event {
	enum vcpu_event_kind kind;
	uint32_t value;		/* VCPU_DOORBELL */
	uint64_t pc;		/* VCPU_STEP */
	char why[512];		/* VCPU_FAULT: what happened, in a sentence */
};

/* Where the kernel starts: each accelerator takes the entry it can use. */
struct accel_boot {
	const char *kernel;	/* the ELF file, for an accelerator that loads it itself */
	uint64_t entry;		/* the ELF's 64-bit entry, reached in long mode */
	uint64_t fdt;		/* guest-physical address of the device tree */
	bool icount;		/* make the guest's TSC count instructions, if icount_tsc */
};

struct accel;

struct accel_ops {
	const char *name;	/* "kvm", "tcg": what --accel takes */
	/*
	 * It cannot count guest instructions itself, but can make the guest's
	 * TSC count them (accel_boot.icount; slower), for the guest to report.
	 */
	bool icount_tsc;
	/* 0 if this machine can run a guest with it; else 1 and why not (and the fix). */
	int (*probe)(char *why, size_t whylen);
	/* size bytes of zeroed guest RAM at a->ram; no CPU runs yet. */
	int (*create)(struct accel *a, uint64_t size, char *err, size_t errlen);
	/* RAM holds the kernel, device tree and mailbox: start the CPU. */
	int (*start)(struct accel *a, const struct accel_boot *b, char *err, size_t errlen);
	/* Let the guest go on until its next event, for at most timeout_ms. */
	void (*run)(struct accel *a, unsigned timeout_ms, struct vcpu_event *ev);
	int (*get_regs)(struct accel *a, struct cpu_regs *r, char *err, size_t errlen);
	/* Guest instructions executed so far, or -1 if this accelerator cannot count them. */
	int64_t (*instructions)(struct accel *a);
	/* Single-step from the next run on (VCPU_STEP events), or stop; -1 if unsupported. */
	int (*single_step)(struct accel *a, bool on, char *err, size_t errlen);
	void (*destroy)(struct accel *a);
};

struct accel {
	const struct accel_ops *ops;
	struct guest_ram ram;
	char description[128];	/* for the boot line: "kvm_pvm (...)", "tcg (QEMU 7.2)" */
	void *priv;		/* the accelerator's own state */
};

extern const struct accel_ops kvm_accel_ops;
extern const struct accel_ops tcg_accel_ops;

/*
 * The accelerator --accel names ("kvm", "tcg" or "auto": KVM where /dev/kvm
 * opens, TCG otherwise).  NULL with why filled if it cannot run a guest
 * here (for "auto": if none can); NULL with why empty if the name is unknown.
 */
const struct accel_ops *accel_choose(const char *name, char *why, size_t whylen);

/* The accelerator of that name ("kvm", "tcg"), whether it can run here or not; or NULL. */
const struct accel_ops *accel_find(const char *name);

/* Every accelerator vmm knows, NULL-ended: for `vmm info` and the test runner. */
extern const struct accel_ops *const accel_all[];

#endif
