// SPDX-License-Identifier: MIT
/*
 * The scripted guest (scripted_guest.h), linked into every unit-test
 * binary as support code (the Makefile's UNIT_SUPPORT).
 *
 * run() follows the guest's side of the protocol in shared/channel.h: the
 * first run sends READY; every later one finds the request the host left
 * when it acknowledged the last message, asks the script for the answer,
 * writes it into the mailbox, counts it in `ring` and rings the doorbell.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scripted_guest.h"
#include "shared/layout.h"

#define SCRIPTED_ENTRY	0xffffffff80100000ULL
#define SCRIPTED_PHYS	0x100000ULL

static struct scripted_script *playing;
static bool ready_sent;

void scripted_guest_play(struct scripted_script *s)
{
	playing = s;
	ready_sent = false;
}

static int scripted_probe(char *why, size_t whylen)
{
	(void)why;
	(void)whylen;
	return 0;
}

static int scripted_create(struct accel *a, uint64_t size, char *err, size_t errlen)
{
	a->ram.mem = calloc(1, size);
	if (!a->ram.mem) {
		snprintf(err, errlen, "no memory for %llu bytes", (unsigned long long)size);
		return -1;
	}
	a->ram.size = size;
	snprintf(a->description, sizeof(a->description), "scripted");
	return 0;
}

static int scripted_start(struct accel *a, const struct accel_boot *b, char *err, size_t errlen)
{
	(void)a;
	(void)b;
	(void)err;
	(void)errlen;
	return 0;
}

static void ring(struct vmm_mailbox *mb, struct vcpu_event *ev)
{
	mb->ring++;
	ev->kind = VCPU_DOORBELL;
	ev->value = mb->msg.type;
}

static void scripted_run(struct accel *a, unsigned timeout_ms, struct vcpu_event *ev)
{
	struct vmm_mailbox *mb = gpa_ptr(&a->ram, VMM_HOST_MAILBOX, VMM_MAILBOX_HDR_SIZE);
	uint8_t *data = (uint8_t *)mb + VMM_MAILBOX_HDR_SIZE;
	struct vmm_message reply;

	(void)timeout_ms;
	ev->kind = VCPU_TIMEOUT;
	if (!ready_sent) {
		ready_sent = true;
		mb->msg = (struct vmm_message){ .type = VMM_MSG_READY, .val[0] = playing->pgd };
		ring(mb, ev);
		return;
	}
	if (mb->ack != mb->ring)
		return;		/* the host did not let the guest go on */
	reply = (struct vmm_message){ .type = VMM_MSG_REPLY, .seq = mb->req.seq };
	playing->requests++;
	if (playing->answer(playing->ctx, &mb->req, mb->req_data, &reply, data, &a->ram) ==
	    SCRIPTED_HANG)
		return;
	mb->msg = reply;
	ring(mb, ev);
}

static int scripted_get_regs(struct accel *a, struct cpu_regs *r, char *err, size_t errlen)
{
	(void)a;
	(void)err;
	(void)errlen;
	*r = (struct cpu_regs){ .cr3 = playing->cr3 };
	return 0;
}

static int64_t scripted_instructions(struct accel *a)
{
	(void)a;
	return -1;
}

static int scripted_single_step(struct accel *a, bool on, char *err, size_t errlen)
{
	(void)a;
	(void)on;
	snprintf(err, errlen, "a scripted guest has no CPU to step");
	return -1;
}

static void scripted_destroy(struct accel *a)
{
	free(a->ram.mem);
	a->ram = (struct guest_ram){ 0 };
}

const struct accel_ops scripted_accel_ops = {
	.name = "scripted",
	.probe = scripted_probe,
	.create = scripted_create,
	.start = scripted_start,
	.run = scripted_run,
	.get_regs = scripted_get_regs,
	.instructions = scripted_instructions,
	.single_step = scripted_single_step,
	.destroy = scripted_destroy,
};

static char kernel_path[64];

static void remove_kernel(void)
{
	unlink(kernel_path);
}

/* One executable PT_LOAD of a page at 1 MiB, all bss: the least the loader takes. */
const char *scripted_kernel(void)
{
	struct {
		Elf64_Ehdr eh;
		Elf64_Phdr ph;
	} f = {
		.eh = {
			.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB,
				     EV_CURRENT },
			.e_type = ET_EXEC, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
			.e_entry = SCRIPTED_ENTRY, .e_phoff = sizeof(Elf64_Ehdr),
			.e_ehsize = sizeof(Elf64_Ehdr), .e_phentsize = sizeof(Elf64_Phdr),
			.e_phnum = 1,
		},
		.ph = {
			.p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_vaddr = SCRIPTED_ENTRY,
			.p_paddr = SCRIPTED_PHYS, .p_memsz = PAGE_SIZE,
		},
	};
	int fd;

	if (kernel_path[0])
		return kernel_path;
	snprintf(kernel_path, sizeof(kernel_path), "/tmp/vmm-scripted-XXXXXX");
	fd = mkstemp(kernel_path);
	if (fd < 0 || write(fd, &f, sizeof(f)) != (ssize_t)sizeof(f)) {
		perror("scripted kernel");
		abort();
	}
	close(fd);
	atexit(remove_kernel);
	return kernel_path;
}

enum scripted_action scripted_quiet(void *ctx, const struct vmm_request *req,
				    const char *req_data, struct vmm_message *reply,
				    uint8_t *data, struct guest_ram *ram)
{
	(void)ctx;
	(void)req_data;
	(void)data;
	(void)ram;
	if (req->code == VMM_REQ_MEM_MAP)
		reply->val[0] = reply->val[1] = reply->val[2] = 0;
	return SCRIPTED_REPLY;
}
