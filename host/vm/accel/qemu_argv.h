/* SPDX-License-Identifier: MIT */
/*
 * The QEMU command line of the TCG accelerator, built without running it
 * (so that it is unit-tested).  QEMU gets exactly what the guest uses:
 * microvm with no legacy devices, the kernel by its PVH entry, guest RAM
 * from vmm's memfd, the doorbell port as an isa-debugcon on vmm's socket,
 * QMP on a second socket, and a triple fault that pauses the guest (so that
 * its registers can still be read) instead of resetting it.
 */
#ifndef HOST_ACCEL_QEMU_ARGV_H
#define HOST_ACCEL_QEMU_ARGV_H

#include <stdbool.h>
#include <stdint.h>

#define QEMU_DEFAULT_BINARY	"qemu-system-x86_64"
#define QEMU_MAX_ARGS		40

struct qemu_config {
	const char *binary;
	const char *kernel;	/* the guest ELF, entered at its PVH note */
	uint64_t ram_size;	/* bytes, a multiple of 4 KiB */
	uint64_t fdt;		/* guest-physical address of the device tree */
	int ram_fd;		/* memfd of guest RAM, inherited */
	int doorbell_fd;	/* socket for the doorbell's bytes, inherited */
	int qmp_fd;		/* socket for QMP, inherited */
	bool icount;		/* -icount shift=0: the guest's TSC counts instructions */
};

struct qemu_argv {
	char *argv[QEMU_MAX_ARGS];	/* NULL-ended, pointing into buf */
	char buf[4096];
};

/* Returns 0, or -1 if the result would not fit (a kernel path of kilobytes). */
int qemu_build_argv(const struct qemu_config *c, struct qemu_argv *out);

#endif
