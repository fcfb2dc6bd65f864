// SPDX-License-Identifier: MIT
/*
 * The KVM accelerator: one VM, one RAM slot, one vCPU, entered directly in
 * long mode (kvm_boot.c).  Each KVM exit is mapped to a neutral event
 * through exit_handlers[]; nothing above this file sees a KVM exit code.
 *
 * The watchdog is a SIGALRM timer armed for each run; its handler sets
 * kvm_run.immediate_exit, so a signal that lands between two KVM_RUNs is not
 * lost.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

#include "accel.h"
#include "lib/kernel.h"
#include "kvm_boot.h"
#include "shared/channel.h"

#define KVM_PATH "/dev/kvm"

struct kvm_vm {
	int kvm_fd, vm_fd, vcpu_fd;
	int stats_fd;			/* vCPU binary stats, or -1 */
	struct kvm_run *run;
	size_t run_size;
	bool pvm;			/* kvm_pvm: no VMX/EPT, every instruction emulated */
};

static volatile sig_atomic_t watchdog_fired;
static struct kvm_run *volatile watchdog_run;

static struct kvm_vm *kvm(struct accel *a)
{
	return a->priv;
}

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, strerror(errno));
	return -1;
}

static int open_kvm(char *why, size_t whylen)
{
	int fd = open(KVM_PATH, O_RDWR | O_CLOEXEC);
	int version;

	if (fd < 0) {
		snprintf(why, whylen, "cannot open %s: %s%s", KVM_PATH, strerror(errno),
			 errno == ENOENT ? " (no hardware virtualisation here, or no kvm module; "
					   "--accel tcg runs the guest under QEMU)" :
			 errno == EACCES ? " (join the kvm group, or use --accel tcg)" : "");
		return -1;
	}
	version = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION) {
		snprintf(why, whylen, "%s speaks KVM API %d, vmm needs %d", KVM_PATH, version,
			 KVM_API_VERSION);
		close(fd);
		return -1;
	}
	return fd;
}

static int kvm_probe(char *why, size_t whylen)
{
	int fd = open_kvm(why, whylen);

	if (fd < 0)
		return 1;
	close(fd);
	return 0;
}

static int set_cpuid(struct kvm_vm *v, char *err, size_t errlen)
{
	struct kvm_cpuid2 *cpuid = NULL;
	int nent = 64, ret;

	/* The kernel says E2BIG until the buffer is large enough. */
	for (;;) {
		free(cpuid);
		cpuid = calloc(1, sizeof(*cpuid) + nent * sizeof(cpuid->entries[0]));
		if (!cpuid)
			return fail(err, errlen, "cpuid");
		cpuid->nent = nent;
		ret = ioctl(v->kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid);
		if (ret == 0 || errno != E2BIG || nent >= 4096)
			break;
		nent *= 2;
	}
	if (ret == 0)
		ret = ioctl(v->vcpu_fd, KVM_SET_CPUID2, cpuid);
	free(cpuid);
	return ret ? fail(err, errlen, "KVM_SET_CPUID2") : 0;
}

static int map_ram(struct accel *a, uint64_t size, char *err, size_t errlen)
{
	struct kvm_userspace_memory_region region;

	/* Anonymous memory arrives zeroed: the guest relies on that (no BSS or page clearing). */
	a->ram.mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (a->ram.mem == MAP_FAILED) {
		a->ram.mem = NULL;
		return fail(err, errlen, "mmap guest RAM");
	}
	a->ram.size = size;
	region = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = size,
		.userspace_addr = (uintptr_t)a->ram.mem,
	};
	if (ioctl(kvm(a)->vm_fd, KVM_SET_USER_MEMORY_REGION, &region))
		return fail(err, errlen, "KVM_SET_USER_MEMORY_REGION");
	return 0;
}

static int create_vcpu(struct kvm_vm *v, char *err, size_t errlen)
{
	int size;

	v->vcpu_fd = ioctl(v->vm_fd, KVM_CREATE_VCPU, 0);
	if (v->vcpu_fd < 0)
		return fail(err, errlen, "KVM_CREATE_VCPU");
	size = ioctl(v->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run))
		return fail(err, errlen, "KVM_GET_VCPU_MMAP_SIZE");
	v->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu_fd, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		return fail(err, errlen, "mmap kvm_run");
	}
	v->run_size = size;
	/* Binary stats are optional: without them we report no instruction counts. */
	v->stats_fd = ioctl(v->vcpu_fd, KVM_GET_STATS_FD, NULL);
	return 0;
}

/* Whether a kvm module parameter reads Y or 1. */
static bool module_param_on(const char *path)
{
	char c = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	if (read(fd, &c, 1) != 1)
		c = 0;
	close(fd);
	return c == 'Y' || c == '1';
}

static void describe(struct accel *a)
{
	const char *what = "kvm";

	if (kvm(a)->pvm)
		what = "kvm_pvm (shadow paging, guest instructions emulated)";
	else if (module_param_on("/sys/module/kvm_intel/parameters/ept"))
		what = "kvm_intel (vmx+ept)";
	else if (access("/sys/module/kvm_intel", F_OK) == 0)
		what = "kvm_intel (vmx, shadow paging)";
	else if (module_param_on("/sys/module/kvm_amd/parameters/npt"))
		what = "kvm_amd (svm+npt)";
	else if (access("/sys/module/kvm_amd", F_OK) == 0)
		what = "kvm_amd (hardware SVM)";
	snprintf(a->description, sizeof(a->description), "%s", what);
}

static void watchdog_handler(int sig)
{
	(void)sig;
	watchdog_fired = 1;
	if (watchdog_run)
		watchdog_run->immediate_exit = 1;
}

static int kvm_create(struct accel *a, uint64_t size, char *err, size_t errlen)
{
	struct sigaction sa = { .sa_handler = watchdog_handler };	/* no SA_RESTART */
	struct kvm_vm *v = calloc(1, sizeof(*v));

	if (!v)
		return fail(err, errlen, "out of memory");
	*v = (struct kvm_vm){ .kvm_fd = -1, .vm_fd = -1, .vcpu_fd = -1, .stats_fd = -1 };
	a->priv = v;
	v->kvm_fd = open_kvm(err, errlen);
	if (v->kvm_fd < 0)
		return -1;
	v->pvm = access("/sys/module/kvm_pvm", F_OK) == 0;
	describe(a);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);	/* KVM_RUN must return EINTR */
	v->vm_fd = ioctl(v->kvm_fd, KVM_CREATE_VM, 0);
	if (v->vm_fd < 0)
		return fail(err, errlen, "KVM_CREATE_VM");
	if (map_ram(a, size, err, errlen) || create_vcpu(v, err, errlen))
		return -1;
	return set_cpuid(v, err, errlen);
}

static int kvm_start(struct accel *a, const struct accel_boot *b, char *err, size_t errlen)
{
	return kvm_boot_long_mode(kvm(a)->vcpu_fd, &a->ram, b->entry, b->fdt, err, errlen);
}

/* ---- exits to events ------------------------------------------------------ */

typedef void (*exit_handler)(struct kvm_vm *v, struct vcpu_event *ev);

static __attribute__((format(printf, 2, 3))) void fault(struct vcpu_event *ev, const char *fmt,
							 ...)
{
	va_list ap;

	ev->kind = VCPU_FAULT;
	va_start(ap, fmt);
	vsnprintf(ev->why, sizeof(ev->why), fmt, ap);
	va_end(ap);
}

/* The doorbell is one `outb` to its port; any other port I/O ends the guest. */
static void exit_io(struct kvm_vm *v, struct vcpu_event *ev)
{
	struct kvm_run *run = v->run;
	uint8_t value;

	if (run->io.port != VMM_DOORBELL_PORT || run->io.direction != KVM_EXIT_IO_OUT ||
	    run->io.size != 1 || run->io.count != 1 || run->io.data_offset > v->run_size - 1) {
		fault(ev, "unexpected port I/O: %s port %#x, %u byte(s) x %u",
		      run->io.direction == KVM_EXIT_IO_OUT ? "out to" : "in from", run->io.port,
		      run->io.size, run->io.count);
		return;
	}
	memcpy(&value, (uint8_t *)run + run->io.data_offset, 1);
	ev->kind = VCPU_DOORBELL;
	ev->value = value;
}

static void exit_hlt(struct kvm_vm *v, struct vcpu_event *ev)
{
	(void)v;
	ev->kind = VCPU_HALT;
}

static void exit_shutdown(struct kvm_vm *v, struct vcpu_event *ev)
{
	(void)v;
	ev->kind = VCPU_SHUTDOWN;
}

static void exit_mmio(struct kvm_vm *v, struct vcpu_event *ev)
{
	fault(ev, "%s of %u bytes at guest-physical %#llx, outside RAM",
	      v->run->mmio.is_write ? "write" : "read", v->run->mmio.len,
	      (unsigned long long)v->run->mmio.phys_addr);
}

static void exit_internal_error(struct kvm_vm *v, struct vcpu_event *ev)
{
	fault(ev, "KVM internal error, suberror %u%s", v->run->internal.suberror,
	      v->run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION ?
		      " (an instruction KVM cannot emulate, e.g. `int n` on kvm_pvm)" : "");
}

static void exit_fail_entry(struct kvm_vm *v, struct vcpu_event *ev)
{
	fault(ev, "VM entry failed, hardware reason %#llx",
	      (unsigned long long)v->run->fail_entry.hardware_entry_failure_reason);
}

static void exit_debug(struct kvm_vm *v, struct vcpu_event *ev)
{
	ev->kind = VCPU_STEP;
	ev->pc = v->run->debug.arch.pc;
}

static const exit_handler exit_handlers[] = {
	[KVM_EXIT_IO]			= exit_io,
	[KVM_EXIT_HLT]			= exit_hlt,
	[KVM_EXIT_SHUTDOWN]		= exit_shutdown,
	[KVM_EXIT_MMIO]			= exit_mmio,
	[KVM_EXIT_INTERNAL_ERROR]	= exit_internal_error,
	[KVM_EXIT_FAIL_ENTRY]		= exit_fail_entry,
	[KVM_EXIT_DEBUG]		= exit_debug,
};

static void watchdog_arm(struct kvm_vm *v, unsigned ms)
{
	struct itimerval t = { .it_value = { .tv_sec = ms / 1000, .tv_usec = ms % 1000 * 1000 } };

	watchdog_fired = 0;
	watchdog_run = v->run;
	setitimer(ITIMER_REAL, &t, NULL);
}

static void watchdog_disarm(struct kvm_vm *v)
{
	struct itimerval off = { 0 };

	setitimer(ITIMER_REAL, &off, NULL);
	watchdog_run = NULL;
	v->run->immediate_exit = 0;
}

static void kvm_run_vcpu(struct accel *a, unsigned timeout_ms, struct vcpu_event *ev)
{
	struct kvm_vm *v = kvm(a);
	uint32_t reason;

	watchdog_arm(v, timeout_ms ?: 1);
	while (ioctl(v->vcpu_fd, KVM_RUN, 0) < 0) {
		if (errno == EINTR && watchdog_fired) {
			ev->kind = VCPU_TIMEOUT;
			goto out;
		}
		if (errno != EINTR && errno != EAGAIN) {
			fault(ev, "KVM_RUN failed: %s", strerror(errno));
			goto out;
		}
	}
	reason = v->run->exit_reason;
	if (reason < ARRAY_SIZE(exit_handlers) && exit_handlers[reason])
		exit_handlers[reason](v, ev);
	else
		fault(ev, "unexpected KVM exit reason %u", reason);
out:
	watchdog_disarm(v);
}

static int kvm_get_regs(struct accel *a, struct cpu_regs *c, char *err, size_t errlen)
{
	struct kvm_regs r;
	struct kvm_sregs sr;

	if (ioctl(kvm(a)->vcpu_fd, KVM_GET_REGS, &r) || ioctl(kvm(a)->vcpu_fd, KVM_GET_SREGS, &sr))
		return fail(err, errlen, "KVM_GET_REGS/KVM_GET_SREGS");
	*c = (struct cpu_regs){
		.rip = r.rip, .cs = sr.cs.selector, .rflags = r.rflags, .rsp = r.rsp,
		.ss = sr.ss.selector, .rax = r.rax, .rbx = r.rbx, .rcx = r.rcx, .rdx = r.rdx,
		.rsi = r.rsi, .rdi = r.rdi, .rbp = r.rbp, .r8 = r.r8, .r9 = r.r9, .r10 = r.r10,
		.r11 = r.r11, .r12 = r.r12, .r13 = r.r13, .r14 = r.r14, .r15 = r.r15,
		.cr0 = sr.cr0, .cr2 = sr.cr2, .cr3 = sr.cr3, .cr4 = sr.cr4,
	};
	return 0;
}

/* A named counter from the vCPU's binary stats fd; -1 if absent. */
static int64_t vcpu_stat(const struct kvm_vm *v, const char *name)
{
	struct kvm_stats_header hdr;
	size_t dsize;
	char *descs;
	int64_t val = -1;

	if (v->stats_fd < 0 || pread(v->stats_fd, &hdr, sizeof(hdr), 0) != sizeof(hdr))
		return -1;
	if (hdr.name_size > 4096 || hdr.num_desc > 65536)
		return -1;
	dsize = sizeof(struct kvm_stats_desc) + hdr.name_size;
	descs = malloc(dsize * hdr.num_desc);
	if (!descs)
		return -1;
	if (pread(v->stats_fd, descs, dsize * hdr.num_desc, hdr.desc_offset) ==
	    (ssize_t)(dsize * hdr.num_desc)) {
		for (uint32_t i = 0; i < hdr.num_desc; i++) {
			struct kvm_stats_desc *d = (void *)(descs + i * dsize);
			uint64_t n;

			if (strncmp(d->name, name, hdr.name_size) || d->size < 1)
				continue;
			if (pread(v->stats_fd, &n, sizeof(n), hdr.data_offset + d->offset) == sizeof(n))
				val = (int64_t)n;
			break;
		}
	}
	free(descs);
	return val;
}

/*
 * Only kvm_pvm emulates every guest instruction, so only there does
 * `insn_emulation` count them all; hardware KVM counts the few it emulates.
 */
static int64_t kvm_instructions(struct accel *a)
{
	return kvm(a)->pvm ? vcpu_stat(kvm(a), "insn_emulation") : -1;
}

static int kvm_single_step(struct accel *a, bool on, char *err, size_t errlen)
{
	struct kvm_guest_debug dbg = { 0 };

	if (on)
		dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP;
	if (ioctl(kvm(a)->vcpu_fd, KVM_SET_GUEST_DEBUG, &dbg))
		return fail(err, errlen, "KVM refuses to single-step (KVM_SET_GUEST_DEBUG)");
	return 0;
}

static void kvm_destroy(struct accel *a)
{
	struct kvm_vm *v = kvm(a);

	if (a->ram.mem)
		munmap(a->ram.mem, a->ram.size);
	a->ram = (struct guest_ram){ 0 };
	if (!v)
		return;
	if (v->run)
		munmap(v->run, v->run_size);
	for (int *fd = &v->kvm_fd; fd <= &v->stats_fd; fd++)
		if (*fd >= 0)
			close(*fd);
	free(v);
	a->priv = NULL;
}

const struct accel_ops kvm_accel_ops = {
	.name = "kvm",
	.probe = kvm_probe,
	.create = kvm_create,
	.start = kvm_start,
	.run = kvm_run_vcpu,
	.get_regs = kvm_get_regs,
	.instructions = kvm_instructions,
	.single_step = kvm_single_step,
	.destroy = kvm_destroy,
};
