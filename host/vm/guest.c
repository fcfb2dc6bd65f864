// SPDX-License-Identifier: MIT
/*
 * Boot, the run loop, the host end of the channel, and crash diagnosis.
 *
 * The run loop asks the accelerator for one event after another (a
 * doorbell, a halt, a triple fault, ...; accel/accel.h).  A doorbell either
 * lets the guest continue (console lines, reports), hands a READY/REPLY
 * message back to the caller, or ends the guest with a diagnosis; so does
 * every other event.  A watchdog bounds every request.
 */
#include <elf.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "channel.h"
#include "fdt_build.h"
#include "guest.h"
#include "lib/kernel.h"
#include "profile.h"
#include "reply.h"
#include "shared/layout.h"

#define MAILBOX_SIZE	(VMM_MAILBOX_HDR_SIZE + VMM_MAILBOX_DATA_SIZE)

enum exit_action { EXIT_CONTINUE, EXIT_MESSAGE, EXIT_DEAD };

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

/* The CPU's own registers, for ends the guest could not report itself. */
static void diag_vcpu(struct guest *g)
{
	struct cpu_regs r;
	struct vmm_crash c;
	char err[256];

	if (g->accel.ops->get_regs(&g->accel, &r, err, sizeof(err))) {
		diag(g, "(the CPU's registers could not be read: %s)\n", err);
		return;
	}
	c = (struct vmm_crash){
		.rip = r.rip, .cs = r.cs, .rflags = r.rflags, .rsp = r.rsp, .ss = r.ss,
		.rax = r.rax, .rbx = r.rbx, .rcx = r.rcx, .rdx = r.rdx, .rsi = r.rsi,
		.rdi = r.rdi, .rbp = r.rbp, .r8 = r.r8, .r9 = r.r9, .r10 = r.r10,
		.r11 = r.r11, .r12 = r.r12, .r13 = r.r13, .r14 = r.r14, .r15 = r.r15,
		.cr0 = r.cr0, .cr2 = r.cr2, .cr3 = r.cr3, .cr4 = r.cr4,
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

/* The guest may go on: it waits for this before it touches the mailbox again. */
static void acknowledge(struct guest *g, uint32_t ring)
{
	g->acked = ring;
	__atomic_store_n(&g->mb->ack, ring, __ATOMIC_RELEASE);
}

static enum exit_action on_doorbell(struct guest *g, uint32_t value, struct vmm_message *out)
{
	static struct channel_msg cm;	/* large; one guest at a time */
	uint32_t ring = __atomic_load_n(&g->mb->ring, __ATOMIC_ACQUIRE);
	char why[256];

	if (ring != g->acked + 1) {
		diag(g, "guest protocol error: doorbell for message %u, but the host took %u "
		     "(a guest must wait for each acknowledgement)\n", ring, g->acked);
		return die(g, GUEST_PROTOCOL);
	}
	if (channel_receive(g->mb, value, &cm, why, sizeof(why))) {
		diag(g, "guest protocol error: %s\n", why);
		return die(g, GUEST_PROTOCOL);
	}
	if (g->tsc_insns)	/* a figure to print, never to index or size anything */
		g->guest_insns = __atomic_load_n(&g->mb->insns, __ATOMIC_RELAXED);
	switch (cm.m.type) {
	case VMM_MSG_CONSOLE:
		if (g->opt.console)
			g->opt.console(g->opt.ctx, cm.text, cm.text_len);
		acknowledge(g, ring);
		return EXIT_CONTINUE;
	case VMM_MSG_REPORT:
		g->reports[cm.m.val[0]]++;
		if (g->opt.report)
			g->opt.report(g->opt.ctx, &cm.m, cm.text);
		acknowledge(g, ring);
		return EXIT_CONTINUE;
	case VMM_MSG_PANIC:
		return on_panic(g, &cm);
	}
	g->taken = ring;	/* acknowledged with the next request */
	*out = cm.m;
	return EXIT_MESSAGE;
}

static enum exit_action crashed(struct guest *g, const char *what)
{
	diag(g, "guest crashed: %s\n", what);
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
		p = gpa_ptr(&g->accel.ram, s->paddr + (addr - s->vaddr), 1);
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

static const char halt_text[] = "it halted (hlt with interrupts off: nothing can wake it)";

/* One single step (guest_profile()): the CPU stopped at pc. */
static enum exit_action on_step(struct guest *g, uint64_t pc)
{
	if (!g->profile)
		return crashed(g, "a single step while not single-stepping");
	if (stepped_over_hlt(g, pc))
		return crashed(g, halt_text);
	g->step_pc = pc;
	profile_record(g->profile, pc);
	return EXIT_CONTINUE;
}

static enum exit_action on_event(struct guest *g, const struct vcpu_event *ev,
				 struct vmm_message *out)
{
	switch (ev->kind) {
	case VCPU_DOORBELL:
		return on_doorbell(g, ev->value, out);
	case VCPU_HALT:
		return crashed(g, halt_text);
	case VCPU_SHUTDOWN:
		return crashed(g, "triple fault (an exception while delivering an exception)");
	case VCPU_STEP:
		return on_step(g, ev->pc);
	case VCPU_TIMEOUT:
		if (g->run_deadline_next)
			diag(g, "guest timed out: the run took longer than its %g s (--run-timeout)\n",
			     g->opt.run_timeout_ms / 1e3);
		else
			diag(g, "guest timed out: no answer within %u ms (--timeout)\n",
			     g->opt.timeout_ms);
		diag_vcpu(g);
		return die(g, GUEST_TIMEOUT);
	case VCPU_FAULT:
		break;
	}
	return crashed(g, ev->why);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * Run the guest until it sends READY or REPLY (0) or dies (its status),
 * for at most --timeout, and never past the end of the whole run.
 */
static enum guest_status run_until_message(struct guest *g, struct vmm_message *out)
{
	double deadline = now_ms() + g->opt.timeout_ms;
	enum exit_action a = EXIT_CONTINUE;

	g->run_deadline_next = g->run_deadline < deadline;
	if (g->run_deadline_next)
		deadline = g->run_deadline;

	while (a == EXIT_CONTINUE) {
		double left = deadline - now_ms();
		struct vcpu_event ev = { .kind = VCPU_TIMEOUT };

		if (left >= 1)
			g->accel.ops->run(&g->accel, (unsigned)left, &ev);
		/* Single steps would drown the events the channel costs. */
		g->exits += ev.kind != VCPU_STEP;
		a = on_event(g, &ev, out);
	}
	return a == EXIT_MESSAGE ? GUEST_OK : g->status;
}

static enum guest_status setup_failed(struct guest *g, enum guest_status s, const char *err)
{
	snprintf(g->diag, sizeof(g->diag), "%s\n", err);
	g->status = s;
	return s;
}

/*
 * The device tree and the mailbox in the low megabyte.  The reservations
 * are Linux's: the first 64 KiB and the BIOS area below 1 MiB, where
 * firmware (QEMU's, under TCG) leaves its data; the same on every
 * accelerator, so that a scenario sees the same free memory on each.
 */
static int place_boot_data(struct guest *g, const struct machine *m, char *err, size_t errlen)
{
	const struct fdt_region reserved[] = {
		{ 0, VMM_HOST_FDT },
		{ VMM_HOST_FDT, VMM_HOST_FDT_MAX },
		{ VMM_HOST_MAILBOX, MAILBOX_SIZE },
		{ VMM_BIOS_AREA, VMM_HOST_LOW_END - VMM_BIOS_AREA },
	};
	const struct fdt_layout layout = {
		.ram_size = m->memory,
		.mailbox = { VMM_HOST_MAILBOX, MAILBOX_SIZE },
		.reserved = reserved,
		.nreserved = ARRAY_SIZE(reserved),
	};
	void *fdt = gpa_ptr(&g->accel.ram, VMM_HOST_FDT, VMM_HOST_FDT_MAX);

	g->mb = gpa_ptr(&g->accel.ram, VMM_HOST_MAILBOX, MAILBOX_SIZE);
	if (!g->mb || !fdt) {
		snprintf(err, errlen, "guest RAM too small for the mailbox and device tree");
		return -1;
	}
	g->mb->magic = VMM_MAILBOX_MAGIC;
	g->mb->version = VMM_MAILBOX_VERSION;
	g->mb->data_size = VMM_MAILBOX_DATA_SIZE;
	g->mb->flags = g->tsc_insns ? VMM_MAILBOX_TSC_INSNS : 0;
	return fdt_build(fdt, VMM_HOST_FDT_MAX, m, &layout, err, errlen);
}

/*
 * The kernel ELF validated before any accelerator exists (main.c calls
 * this first), so that a bad kernel file is a usage error (exit 2) even on
 * a machine where no accelerator could run it.  It is loaded into a lazily
 * mapped RAM of the largest size a guest may have, and thrown away.
 */
int guest_check_kernel(const char *path, char *err, size_t errlen)
{
	struct guest_ram ram = { .size = MACHINE_MAX_MEMORY };
	struct elf_image img;
	int r;

	ram.mem = mmap(NULL, ram.size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (ram.mem == MAP_FAILED) {
		snprintf(err, errlen, "no room to check the kernel %s", path);
		return -1;
	}
	r = elf_load_file(path, &ram, VMM_HOST_LOW_END, &img, err, errlen);
	munmap(ram.mem, ram.size);
	elf_image_free(&img);
	return r;
}

/* Guest RAM, the kernel in it, the device tree, then the CPU at the kernel's entry. */
static int create_machine(struct guest *g, const struct machine *m, char *err, size_t errlen)
{
	struct accel_boot b = { .kernel = g->opt.kernel, .fdt = VMM_HOST_FDT };

	g->accel.ops = g->opt.accel;
	g->tsc_insns = b.icount = g->opt.count_instructions && g->accel.ops->icount_tsc;
	if (g->accel.ops->create(&g->accel, m->memory, err, errlen) ||
	    elf_load_file(g->opt.kernel, &g->accel.ram, VMM_HOST_LOW_END, &g->img, err, errlen) ||
	    place_boot_data(g, m, err, errlen))
		return -1;
	b.entry = g->img.entry;
	return g->accel.ops->start(&g->accel, &b, err, errlen);
}

enum guest_status guest_boot(struct guest *g, const struct machine *m,
			     const struct guest_options *opt)
{
	struct vmm_message ready;
	char err[1024];
	double t0 = now_ms();

	*g = (struct guest){ .opt = *opt, .run_deadline = INFINITY };
	if (opt->run_timeout_ms)
		g->run_deadline = t0 + opt->run_timeout_ms;
	g->reply_buf = malloc(VMM_MAILBOX_DATA_SIZE);
	if (!g->reply_buf)
		return setup_failed(g, GUEST_SETUP, "out of memory");
	if (create_machine(g, m, err, sizeof(err)))
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
	acknowledge(g, g->taken);	/* the request is in place: the guest may read it */
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

enum guest_status guest_reply_lied(struct guest *g, uint32_t code, const char *why)
{
	diag(g, "guest protocol error: its reply to request %u (%s) is a lie: %s\n", code,
	     reply_request_name(code), why);
	return g->status = GUEST_PROTOCOL;
}

bool guest_out_of_time(struct guest *g)
{
	if (g->status != GUEST_OK || now_ms() < g->run_deadline)
		return g->status == GUEST_TIMEOUT;
	diag(g, "guest timed out: the run took longer than its %g s (--run-timeout)\n",
	     g->opt.run_timeout_ms / 1e3);
	g->status = GUEST_TIMEOUT;
	return true;
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
	if (g->accel.ops)
		g->accel.ops->destroy(&g->accel);
	free(g->reply_buf);
	g->reply_buf = NULL;
}

int guest_profile(struct guest *g, struct profile *p, char *err, size_t errlen)
{
	if (g->accel.ops->single_step(&g->accel, p != NULL, err, errlen))
		return -1;
	g->profile = p;
	g->step_pc = 0;
	return 0;
}

int64_t guest_instructions(struct guest *g)
{
	if (g->tsc_insns)
		return g->guest_insns <= INT64_MAX ? (int64_t)g->guest_insns : -1;
	return g->accel.ops->instructions(&g->accel);
}

int guest_cr3(struct guest *g, uint64_t *cr3, char *err, size_t errlen)
{
	struct cpu_regs r;

	if (g->accel.ops->get_regs(&g->accel, &r, err, errlen))
		return -1;
	*cr3 = r.cr3;
	return 0;
}
