// SPDX-License-Identifier: MIT
/* The QEMU command line (qemu_argv.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "qemu_argv.h"
#include "shared/channel.h"

struct builder {
	struct qemu_argv *out;
	unsigned argc;
	size_t used;
	bool overflow;
};

static __attribute__((format(printf, 2, 3))) void arg(struct builder *b, const char *fmt, ...)
{
	size_t room = sizeof(b->out->buf) - b->used;
	va_list ap;
	int n;

	if (b->overflow || b->argc + 1 >= QEMU_MAX_ARGS) {
		b->overflow = true;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(b->out->buf + b->used, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		b->overflow = true;
		return;
	}
	b->out->argv[b->argc++] = b->out->buf + b->used;
	b->used += n + 1;
}

int qemu_build_argv(const struct qemu_config *c, struct qemu_argv *out)
{
	struct builder b = { .out = out };
	/* QEMU rounds -m up to 8 KiB; the device tree tells the guest the exact size. */
	unsigned long long kib = ((c->ram_size + 8191) & ~8191ULL) >> 10;

	arg(&b, "%s", c->binary);
	arg(&b, "-accel");
	arg(&b, "tcg");
	arg(&b, "-M");
	arg(&b, "microvm,x-option-roms=off,pit=off,pic=off,rtc=off,isa-serial=off,"
		"memory-backend=ram");
	arg(&b, "-cpu");
	arg(&b, "max");
	arg(&b, "-m");
	arg(&b, "%lluk", kib);
	arg(&b, "-object");
	arg(&b, "memory-backend-file,id=ram,size=%lluk,mem-path=/proc/self/fd/%d,share=on",
	    kib, c->ram_fd);
	arg(&b, "-nodefaults");
	arg(&b, "-no-user-config");
	arg(&b, "-display");
	arg(&b, "none");
	arg(&b, "-kernel");
	arg(&b, "%s", c->kernel);
	arg(&b, "-append");
	arg(&b, "vmm.fdt=%#llx", (unsigned long long)c->fdt);
	arg(&b, "-chardev");
	arg(&b, "socket,id=doorbell,fd=%d", c->doorbell_fd);
	arg(&b, "-device");
	arg(&b, "isa-debugcon,iobase=%#x,chardev=doorbell", VMM_DOORBELL_PORT);
	arg(&b, "-chardev");
	arg(&b, "socket,id=qmp,fd=%d", c->qmp_fd);
	arg(&b, "-mon");
	arg(&b, "chardev=qmp,mode=control");
	arg(&b, "-action");
	arg(&b, "reboot=shutdown,shutdown=pause");
	if (c->icount) {
		arg(&b, "-icount");
		arg(&b, "shift=0");
	}
	if (b.overflow)
		return -1;
	out->argv[b.argc] = NULL;
	return 0;
}
