// SPDX-License-Identifier: MIT
/*
 * Boot, the run loop, the host end of the channel, and crash diagnosis.
 *
 * The run loop is one KVM_RUN after another; each exit is dispatched
 * through exit_handlers[] by its reason.  A handler either lets the vCPU
 * continue, hands a READY/REPLY message back to the caller, or ends the
 * guest with a diagnosis.  A watchdog (SIGALRM with kvm_run.immediate_exit,
 * so that a signal landing between two KVM_RUNs is not lost) bounds every
 * request.
 */
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <time.h>

#include "channel.h"
#include "fdt_build.h"
#include "guest.h"
#include "profile.h"
#include "shared/layout.h"
#include "x86_boot.h"

#define MAILBOX_SIZE	(VMM_MAILBOX_HDR_SIZE + VMM_MAILBOX_DATA_SIZE)

enum exit_action { EXIT_CONTINUE, EXIT_MESSAGE, EXIT_DEAD };

static volatile sig_atomic_t watchdog_fired;
static struct kvm_run *volatile watchdog_run;

static void watchdog_handler(int sig)
{
	(void)sig;
	watchdog_fired = 1;
	if (watchdog_run)
		watchdog_run->immediate_exit = 1;
}

static void watchdog_arm(struct guest *g)
{
	struct itimerval t = { .it_value = {
		.tv_sec = g->opt.timeout_ms / 1000,
		.tv_usec = (g->opt.timeout_ms % 1000) * 1000,
	} };
	struct sigaction sa = { .sa_handler = watchdog_handler };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART: KVM_RUN must return EINTR */
	watchdog_fired = 0;
	watchdog_run = g->vm.run;
	setitimer(ITIMER_REAL, &t, NULL);
}

static void watchdog_disarm(struct guest *g)
{
	struct itimerval off = { 0 };

	setitimer(ITIMER_REAL, &off, NULL);
	watchdog_run = NULL;
	g->vm.run->immediate_exit = 0;
}

/* Append to the diagnosis; the first words say what happened. */
static __attribute__((format(printf, 2, 3))) void diag(struct guest *g, const char *fmt, ...)
{
	size_t used = strlen(g->diag);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(g->diag + used, sizeof(g->diag) - used, fmt, ap);
	va_end(ap);
}

static const char *sym(const struct guest *g, uint64_t addr, char *buf, size_t len)
{
	return elf_symbolize(&g->img, addr, buf, len);
}

/* A return address may sit just past the end of a call to a noreturn function. */
static const char *sym_return(const struct guest *g, uint64_t addr, char *buf, size_t len)
{
	return elf_symbolize_return(&g->img, addr, buf, len);
}

/*
 * Registers in the layout of a Linux oops, so the reader knows where to
 * look.  After panic() only RIP (its caller), RSP and the control registers
 * mean anything; the general registers are not shown.
 */
static void diag_registers(struct guest *g, const struct vmm_crash *c, bool gprs)
{
	char s[160];

	diag(g, "RIP: %04llx:%s (%016llx)\n", (unsigned long long)c->cs,
	     gprs ? sym(g, c->rip, s, sizeof(s)) : sym_return(g, c->rip, s, sizeof(s)),
	     (unsigned long long)c->rip);
	diag(g, "RSP: %04llx:%016llx EFLAGS: %08llx\n", (unsigned long long)c->ss,
	     (unsigned long long)c->rsp, (unsigned long long)c->rflags);
	if (!gprs)
		goto control;
	diag(g, "RAX: %016llx RBX: %016llx RCX: %016llx\n", (unsigned long long)c->rax,
	     (unsigned long long)c->rbx, (unsigned long long)c->rcx);
	diag(g, "RDX: %016llx RSI: %016llx RDI: %016llx\n", (unsigned long long)c->rdx,
	     (unsigned long long)c->rsi, (unsigned long long)c->rdi);
	diag(g, "RBP: %016llx R08: %016llx R09: %016llx\n", (unsigned long long)c->rbp,
	     (unsigned long long)c->r8, (unsigned long long)c->r9);
	diag(g, "R10: %016llx R11: %016llx R12: %016llx\n", (unsigned long long)c->r10,
	     (unsigned long long)c->r11, (unsigned long long)c->r12);
	diag(g, "R13: %016llx R14: %016llx R15: %016llx\n", (unsigned long long)c->r13,
	     (unsigned long long)c->r14, (unsigned long long)c->r15);
control:
	diag(g, "CR0: %016llx CR2: %016llx CR3: %016llx CR4: %016llx\n",
	     (unsigned long long)c->cr0, (unsigned long long)c->cr2,
	     (unsigned long long)c->cr3, (unsigned long long)c->cr4);
}

/* nr_frames is already clamped by channel_receive(). */
static void diag_backtrace(struct guest *g, const struct vmm_crash *c)
{
	char s[160];
	uint32_t n = c->nr_frames;

	if (!n)
		return;
	diag(g, "Call Trace:\n");
	for (uint32_t i = 0; i < n; i++)
		diag(g, " %s\n", sym_return(g, c->frames[i], s, sizeof(s)));
}

/* The vCPU's own registers, for ends the guest could not report itself. */
static void diag_vcpu(struct guest *g)
{
	struct kvm_regs r;
	struct kvm_sregs sr;
	struct vmm_crash c = { 0 };

	if (ioctl(g->vm.vcpu_fd, KVM_GET_REGS, &r) || ioctl(g->vm.vcpu_fd, KVM_GET_SREGS, &sr)) {
		diag(g, "(the vCPU's registers could not be read)\n");
		return;
	}
	c = (struct vmm_crash){
		.rip = r.rip, .cs = sr.cs.selector, .rflags = r.rflags, .rsp = r.rsp,
		.ss = sr.ss.selector, .rax = r.rax, .rbx = r.rbx, .rcx = r.rcx, .rdx = r.rdx,
		.rsi = r.rsi, .rdi = r.rdi, .rbp = r.rbp, .r8 = r.r8, .r9 = r.r9, .r10 = r.r10,
		.r11 = r.r11, .r12 = r.r12, .r13 = r.r13, .r14 = r.r14, .r15 = r.r15,
		.cr0 = sr.cr0, .cr2 = sr.cr2, .cr3 = sr.cr3, .cr4 = sr.cr4,
	};
	diag_registers(g, &c, true);
}

static enum exit_action die(struct guest *g, enum guest_status status)
{
	g->status = status;
	return EXIT_DEAD;
}

static enum exit_action on_panic(struct guest *g, const struct channel_msg *cm)
{
	diag(g, "guest %s: %s\n", cm->crash.vector == ~0ULL ? "panic" : "oops", cm->text);
	diag_registers(g, &cm->crash, cm->crash.vector != ~0ULL);
	if (cm->claimed_frames > VMM_BACKTRACE_DEPTH)
		diag(g, "(the guest claimed %u backtrace frames; showing %u)\n", cm->claimed_frames,
		     VMM_BACKTRACE_DEPTH);
	diag_backtrace(g, &cm->crash);
	return die(g, GUEST_CRASHED);
}

static enum exit_action on_doorbell(struct guest *g, uint32_t value, struct vmm_message *out)
{
	static struct channel_msg cm;	/* large; one guest at a time */
	char why[256];

	if (channel_receive(g->mb, value, &cm, why, sizeof(why))) {
		diag(g, "guest protocol error: %s\n", why);
		return die(g, GUEST_PROTOCOL);
	}
	switch (cm.m.type) {
	case VMM_MSG_CONSOLE:
		if (g->opt.console)
			g->opt.console(g->opt.ctx, cm.text, cm.text_len);
		return EXIT_CONTINUE;
	case VMM_MSG_REPORT:
		g->reports[cm.m.val[0]]++;
		if (g->opt.report)
			g->opt.report(g->opt.ctx, &cm.m, cm.text);
		return EXIT_CONTINUE;
	case VMM_MSG_PANIC:
		return on_panic(g, &cm);
	}
	*out = cm.m;
	return EXIT_MESSAGE;
}

static enum exit_action exit_io(struct guest *g, struct vmm_message *out)
{
	struct kvm_run *run = g->vm.run;
	uint32_t value = 0;

	if (run->io.port != VMM_DOORBELL_PORT || run->io.direction != KVM_EXIT_IO_OUT ||
	    run->io.size != 4 || run->io.count != 1 ||
	    run->io.data_offset > g->vm.run_size - 4) {
		diag(g, "guest crashed: unexpected port I/O: %s port %#x, %u byte(s) x %u\n",
		     run->io.direction == KVM_EXIT_IO_OUT ? "out to" : "in from", run->io.port,
		     run->io.size, run->io.count);
		diag_vcpu(g);
		return die(g, GUEST_CRASHED);
	}
	memcpy(&value, (uint8_t *)run + run->io.data_offset, 4);
	return on_doorbell(g, value, out);
}

static enum exit_action exit_hlt(struct guest *g, struct vmm_message *out)
{
	(void)out;
	diag(g, "guest crashed: it halted (hlt with interrupts off: nothing can wake it)\n");
	diag_vcpu(g);
	return die(g, GUEST_CRASHED);
}

static enum exit_action exit_shutdown(struct guest *g, struct vmm_message *out)
{
	(void)out;
	diag(g, "guest crashed: triple fault (an exception while delivering an exception)\n");
	diag_vcpu(g);
	return die(g, GUEST_CRASHED);
}

static enum exit_action exit_mmio(struct guest *g, struct vmm_message *out)
{
	(void)out;
	diag(g, "guest crashed: %s of %u bytes at guest-physical %#llx, outside RAM\n",
	     g->vm.run->mmio.is_write ? "write" : "read", g->vm.run->mmio.len,
	     (unsigned long long)g->vm.run->mmio.phys_addr);
	diag_vcpu(g);
	return die(g, GUEST_CRASHED);
}

static enum exit_action exit_internal_error(struct guest *g, struct vmm_message *out)
{
	(void)out;
	diag(g, "guest crashed: KVM internal error, suberror %u%s\n",
	     g->vm.run->internal.suberror,
	     g->vm.run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION ?
		     " (an instruction KVM cannot emulate, e.g. `int n` on kvm_pvm)" : "");
	diag_vcpu(g);
	return die(g, GUEST_CRASHED);
}

static enum exit_action exit_fail_entry(struct guest *g, struct vmm_message *out)
{
	(void)out;
	diag(g, "guest crashed: VM entry failed, hardware reason %#llx\n",
	     (unsigned long long)g->vm.run->fail_entry.hardware_entry_failure_reason);
	diag_vcpu(g);
	return die(g, GUEST_CRASHED);
}

/* A byte of the kernel's text, found through its ELF segments; -1 if outside. */
static int kernel_text_byte(const struct guest *g, uint64_t addr)
{
	for (unsigned i = 0; i < g->img.nseg; i++) {
		const struct elf_segment *s = &g->img.seg[i];
		const uint8_t *p;

		if (!(s->flags & PF_X) || addr - s->vaddr >= s->filesz)
			continue;
		p = gpa_ptr(&g->vm.ram, s->paddr + (addr - s->vaddr), 1);
		return p ? *p : -1;
	}
	return -1;
}

/*
 * kvm_pvm steps over a `hlt` like a `nop`: it reports the step and not the
 * halt, and a halted guest would spin until the watchdog.  The instruction
 * that just ran starts where the previous step stopped; one byte long and
 * 0xf4, it was a hlt.
 */
static bool stepped_over_hlt(const struct guest *g, uint64_t pc)
{
	return g->step_pc + 1 == pc && kernel_text_byte(g, g->step_pc) == 0xf4;
}

/* One single step (guest_profile()): debug.arch.pc is where the guest stopped. */
static enum exit_action exit_debug(struct guest *g, struct vmm_message *out)
{
	uint64_t pc = g->vm.run->debug.arch.pc;

	if (!g->profile) {
		diag(g, "guest crashed: a debug exit while not single-stepping\n");
		diag_vcpu(g);
		return die(g, GUEST_CRASHED);
	}
	if (stepped_over_hlt(g, pc))
		return exit_hlt(g, out);
	g->step_pc = pc;
	profile_record(g->profile, pc);
	return EXIT_CONTINUE;
}

typedef enum exit_action (*exit_handler)(struct guest *g, struct vmm_message *out);

static const exit_handler exit_handlers[] = {
	[KVM_EXIT_IO]			= exit_io,
	[KVM_EXIT_HLT]			= exit_hlt,
	[KVM_EXIT_SHUTDOWN]		= exit_shutdown,
	[KVM_EXIT_MMIO]			= exit_mmio,
	[KVM_EXIT_INTERNAL_ERROR]	= exit_internal_error,
	[KVM_EXIT_FAIL_ENTRY]		= exit_fail_entry,
	[KVM_EXIT_DEBUG]		= exit_debug,
};

static enum exit_action dispatch_exit(struct guest *g, struct vmm_message *out)
{
	uint32_t reason = g->vm.run->exit_reason;

	if (reason < sizeof(exit_handlers) / sizeof(exit_handlers[0]) && exit_handlers[reason])
		return exit_handlers[reason](g, out);
	diag(g, "guest crashed: unexpected KVM exit reason %u\n", reason);
	diag_vcpu(g);
	return die(g, GUEST_CRASHED);
}

/* Run the vCPU until the guest sends READY or REPLY (0) or dies (its status). */
static enum guest_status run_until_message(struct guest *g, struct vmm_message *out)
{
	enum exit_action a = EXIT_CONTINUE;

	watchdog_arm(g);
	while (a == EXIT_CONTINUE) {
		if (ioctl(g->vm.vcpu_fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR && watchdog_fired) {
				diag(g, "guest timed out: no answer within %u ms (--timeout)\n",
				     g->opt.timeout_ms);
				diag_vcpu(g);
				a = die(g, GUEST_TIMEOUT);
			} else if (errno != EINTR && errno != EAGAIN) {
				diag(g, "guest crashed: KVM_RUN failed: %s\n", strerror(errno));
				a = die(g, GUEST_CRASHED);
			}
			continue;
		}
		/* Single steps would drown the exits the channel costs. */
		g->exits += g->vm.run->exit_reason != KVM_EXIT_DEBUG;
		a = dispatch_exit(g, out);
	}
	watchdog_disarm(g);
	return a == EXIT_MESSAGE ? GUEST_OK : g->status;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static enum guest_status setup_failed(struct guest *g, enum guest_status s, const char *err)
{
	snprintf(g->diag, sizeof(g->diag), "%s\n", err);
	g->status = s;
	return s;
}

/* Mailbox and device tree in the low megabyte, then long mode at the ELF entry. */
static int place_boot_data(struct guest *g, const struct machine *m, char *err, size_t errlen)
{
	const struct fdt_region reserved[] = {
		{ VMM_HOST_BOOT_PGT, VMM_HOST_BOOT_PGT_SIZE },
		{ VMM_HOST_FDT, VMM_HOST_FDT_MAX },
		{ VMM_HOST_MAILBOX, MAILBOX_SIZE },
	};
	const struct fdt_layout layout = {
		.ram_size = m->memory,
		.mailbox = { VMM_HOST_MAILBOX, MAILBOX_SIZE },
		.reserved = reserved,
		.nreserved = sizeof(reserved) / sizeof(reserved[0]),
	};
	void *fdt = gpa_ptr(&g->vm.ram, VMM_HOST_FDT, VMM_HOST_FDT_MAX);

	g->mb = gpa_ptr(&g->vm.ram, VMM_HOST_MAILBOX, MAILBOX_SIZE);
	if (!g->mb || !fdt) {
		snprintf(err, errlen, "guest RAM too small for the mailbox and device tree");
		return -1;
	}
	g->mb->magic = VMM_MAILBOX_MAGIC;
	g->mb->version = VMM_MAILBOX_VERSION;
	g->mb->data_size = VMM_MAILBOX_DATA_SIZE;
	if (fdt_build(fdt, VMM_HOST_FDT_MAX, m, &layout, err, errlen))
		return -1;
	return x86_boot_setup(&g->vm, g->img.entry, VMM_HOST_FDT, err, errlen);
}

enum guest_status guest_boot(struct guest *g, const struct machine *m,
			     const struct guest_options *opt)
{
	struct vmm_message ready;
	char err[512];
	double t0 = now_ms();
	int r;

	*g = (struct guest){ .opt = *opt };
	r = kvm_open(&g->vm, err, sizeof(err));
	if (r)
		return setup_failed(g, r > 0 ? GUEST_NO_KVM : GUEST_SETUP, err);
	g->reply_buf = malloc(VMM_MAILBOX_DATA_SIZE);
	if (!g->reply_buf)
		return setup_failed(g, GUEST_SETUP, "out of memory");
	if (vm_create(&g->vm, m->memory, err, sizeof(err)) ||
	    elf_load_file(opt->kernel, &g->vm.ram, VMM_HOST_LOW_END, &g->img, err, sizeof(err)) ||
	    place_boot_data(g, m, err, sizeof(err)))
		return setup_failed(g, GUEST_SETUP, err);
	if (run_until_message(g, &ready) != GUEST_OK)
		return g->status;
	if (ready.type != VMM_MSG_READY) {
		diag(g, "guest protocol error: first message has type %u, not READY\n", ready.type);
		return g->status = GUEST_PROTOCOL;
	}
	g->pgd = ready.val[0];
	g->boot_ms = now_ms() - t0;
	return GUEST_OK;
}

enum guest_status guest_call(struct guest *g, uint32_t code, const uint64_t args[6],
			     const void *data, uint32_t len, struct guest_reply *reply)
{
	struct vmm_message m;

	if (g->status != GUEST_OK)
		return g->status;
	if (len > VMM_REQ_DATA_SIZE) {
		diag(g, "request data of %u bytes exceeds the mailbox's %u\n", len, VMM_REQ_DATA_SIZE);
		return g->status = GUEST_SETUP;
	}
	g->mb->req = (struct vmm_request){ .code = code, .seq = ++g->seq, .data_len = len };
	if (args)
		memcpy(g->mb->req.arg, args, sizeof(g->mb->req.arg));
	if (len)
		memcpy(g->mb->req_data, data, len);
	if (run_until_message(g, &m) != GUEST_OK)
		return g->status;
	if (m.type != VMM_MSG_REPLY || m.seq != g->seq) {
		diag(g, "guest protocol error: expected the reply to request %u, got type %u seq %u\n",
		     g->seq, m.type, m.seq);
		return g->status = GUEST_PROTOCOL;
	}
	memcpy(g->reply_buf, (uint8_t *)g->mb + VMM_MAILBOX_HDR_SIZE, m.len);
	*reply = (struct guest_reply){ .status = m.status, .data = g->reply_buf, .len = m.len };
	memcpy(reply->val, m.val, sizeof(reply->val));
	return GUEST_OK;
}

int guest_write_data(struct guest *g, const void *data, size_t len)
{
	if (g->status != GUEST_OK || len > VMM_MAILBOX_DATA_SIZE)
		return -1;
	memcpy((uint8_t *)g->mb + VMM_MAILBOX_HDR_SIZE, data, len);
	return 0;
}

void guest_destroy(struct guest *g)
{
	elf_image_free(&g->img);
	vm_destroy(&g->vm);
	free(g->reply_buf);
	g->reply_buf = NULL;
}

int guest_profile(struct guest *g, struct profile *p)
{
	struct kvm_guest_debug dbg = { 0 };

	if (p)
		dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP;
	if (ioctl(g->vm.vcpu_fd, KVM_SET_GUEST_DEBUG, &dbg))
		return -1;
	g->profile = p;
	g->step_pc = 0;
	return 0;
}

int64_t guest_instructions(const struct guest *g)
{
	return vcpu_stat(&g->vm, "insn_emulation");
}
