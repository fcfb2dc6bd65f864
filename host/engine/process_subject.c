// SPDX-License-Identifier: MIT
/*
 * What a scenario can look at in a process: A.rss, A.vm_flags and the rest
 * of its counters, A.maps and A.smaps, A.pte(ADDR), A.vma(ADDR) and
 * A.smaps(ADDR).  Texts come from the guest in Linux's /proc formats.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "eval.h"
#include "procs.h"
#include "registry.h"
#include "signal_name.h"
#include "check/pagewalk.h"
#include "vm/reply.h"
#include "shared/pte.h"

static const char *const pte_fields[] = {
	"present", "writable", "user", "nx", "accessed", "dirty", "pfn", "zero_page", NULL,
};
static const char *const vma_fields[] = { "start", "end", "size", "perms", "offset", "name", NULL };
static const char *const smaps_fields[] = {
	"size", "rss", "pss", "pss_dirty", "shared_clean", "shared_dirty", "private_clean",
	"private_dirty", "referenced", "anonymous", "swap", "locked", "vmflags", NULL,
};

static enum step mm_info(struct run_ctx *ctx, const struct proc *p, struct vmm_mm_info *mi,
			 char *msg, size_t msglen)
{
	struct guest_reply reply;
	char why[160];
	enum step st = call_guest(ctx, VMM_REQ_MM, (uint64_t[6]){ p->pid }, NULL, 0, &reply);

	if (st != STEP_OK)
		return st;
	if (reply.status) {
		snprintf(msg, msglen, "the guest has no address space for %s", p->name);
		return STEP_FAILED;
	}
	return reply_mm(&reply, mi, why, sizeof(why)) ? guest_lied(ctx, VMM_REQ_MM, why) : STEP_OK;
}

/* /proc/PID/maps (VMM_REQ_MAPS) or smaps (VMM_REQ_SMAPS) of a process. */
static enum step proc_text(struct run_ctx *ctx, const struct proc *p, uint32_t code,
			   struct value *out, char *msg, size_t msglen)
{
	struct guest_reply reply;
	const char *text;
	size_t len;
	char why[160];
	enum step st = call_guest(ctx, code, (uint64_t[6]){ p->pid }, NULL, 0, &reply);

	if (st != STEP_OK)
		return st;
	if (reply.status) {
		snprintf(msg, msglen, "the guest has no %s for %s: error %lld",
			 code == VMM_REQ_MAPS ? "maps" : "smaps", p->name, (long long)reply.status);
		return STEP_FAILED;
	}
	if (reply_text(&reply, &text, &len, why, sizeof(why)))
		return guest_lied(ctx, code, why);
	*out = value_text(text, len);
	return STEP_OK;
}

/* The line at *pos and its length, moving *pos past it; NULL at the end. */
static const char *next_line(const char **pos, size_t *len)
{
	const char *line = *pos, *nl;

	if (!*line)
		return NULL;
	nl = strchr(line, '\n');
	*len = nl ? (size_t)(nl - line) : strlen(line);
	*pos = line + *len + (nl ? 1 : 0);
	return line;
}

/* The maps line whose range holds addr, as a record: start, end, perms, offset, name. */
static int vma_from_maps(const struct value *maps, uint64_t addr, struct value *out)
{
	const char *pos = maps->text, *line;
	size_t len;

	while ((line = next_line(&pos, &len))) {
		unsigned long long start, end, offset;
		char buf[512], perms[8] = "";
		int name_at = -1;

		/* One line at a time: the name may be missing, and %n must not run past it. */
		snprintf(buf, sizeof(buf), "%.*s", (int)len, line);
		if (sscanf(buf, "%llx-%llx %7s %llx %*s %*s%n", &start, &end, perms, &offset,
			   &name_at) >= 4 && name_at >= 0 && addr >= start && addr < end) {
			const char *name = buf + name_at + strspn(buf + name_at, " ");

			*out = value_num(start);
			return value_add_field(out, "start", value_num(start)) ||
			       value_add_field(out, "end", value_num(end)) ||
			       value_add_field(out, "size", value_num(end - start)) ||
			       value_add_field(out, "perms", value_text(perms, strlen(perms))) ||
			       value_add_field(out, "offset", value_num(offset)) ||
			       value_add_field(out, "name", value_text(name, strlen(name))) ? -1 : 0;
		}
	}
	return 1;
}

/* "Private_Dirty:" -> "private_dirty", if it is one of smaps_fields. */
static const char *smaps_key(const char *line, size_t len)
{
	static char key[32];
	size_t n = 0;

	while (n < len && n < sizeof(key) - 1 && line[n] != ':') {
		key[n] = (char)tolower((unsigned char)line[n]);
		n++;
	}
	key[n] = '\0';
	for (size_t i = 0; smaps_fields[i]; i++)
		if (n < len && !strcmp(key, smaps_fields[i]))
			return smaps_fields[i];
	return NULL;
}

/* One "Key:   N kB" or "VmFlags: ..." line of an smaps block as a field of out. */
static int smaps_field(struct value *out, const char *line, size_t len)
{
	const char *key = smaps_key(line, len), *rest = memchr(line, ':', len);
	char buf[128];
	unsigned long kb;

	if (!key)
		return 0;
	rest++;
	rest += strspn(rest, " ");
	snprintf(buf, sizeof(buf), "%.*s", (int)(len - (size_t)(rest - line)), rest);
	if (!strcmp(key, "vmflags"))
		return value_add_field(out, key, value_text(buf, strcspn(buf, "\n")));
	if (sscanf(buf, "%lu kB", &kb) != 1)
		return 0;
	return value_add_field(out, key, value_num((uint64_t)kb << 10));
}

/*
 * The smaps block of the VMA that holds addr: its text as the value, and
 * every count of smaps_fields in bytes (vmflags as text).
 */
static int vma_from_smaps(const struct value *smaps, uint64_t addr, struct value *out)
{
	const char *pos = smaps->text, *line, *block = NULL, *end = NULL;
	size_t len;

	while (!end && (line = next_line(&pos, &len))) {
		unsigned long long start, last;

		if (sscanf(line, "%llx-%llx ", &start, &last) != 2)
			continue;
		if (block)
			end = line;
		else if (addr >= start && addr < last)
			block = line;
	}
	if (!block)
		return 1;
	if (!end)
		end = pos;
	*out = value_text(block, (size_t)(end - block));
	pos = block;
	next_line(&pos, &len);		/* the maps line */
	while (pos < end && (line = next_line(&pos, &len)))
		if (smaps_field(out, line, len))
			return -1;
	return 0;
}

/* A.vma(ADDR) from maps, A.smaps(ADDR) from smaps: the VMA that holds ADDR. */
static enum step subject_vma(struct run_ctx *ctx, const struct proc *p, uint64_t addr,
			     bool smaps, struct value *out, char *msg, size_t msglen)
{
	struct value text = { 0 };
	enum step st = proc_text(ctx, p, smaps ? VMM_REQ_SMAPS : VMM_REQ_MAPS, &text, msg, msglen);
	int r = 0;

	if (st == STEP_OK)
		r = smaps ? vma_from_smaps(&text, addr, out) : vma_from_maps(&text, addr, out);
	value_free(&text);
	if (r) {
		snprintf(msg, msglen, r > 0 ? "%s has no VMA at %#llx" : "out of memory%s%llx",
			 r > 0 ? p->name : "", (unsigned long long)addr);
		st = STEP_FAILED;
	}
	return st;
}

/* The host's own walk of the process's tables, not the guest's word. */
static enum step subject_pte(struct run_ctx *ctx, const struct proc *p, uint64_t addr,
			     struct value *out, char *msg, size_t msglen)
{
	struct vmm_mm_info mi;
	struct guest_reply reply;
	struct reply_mem_map mm;
	struct pt_translation t;
	enum step st = mm_info(ctx, p, &mi, msg, msglen);
	uint64_t pte, pfn;
	char why[160];
	int r = 0;

	if (st == STEP_OK)
		st = call_guest(ctx, VMM_REQ_MEM_MAP, NULL, NULL, 0, &reply);
	if (st != STEP_OK)
		return st;
	if (reply_mem_map(&reply, ctx->g.accel.ram.size, &mm, why, sizeof(why)))
		return guest_lied(ctx, VMM_REQ_MEM_MAP, why);
	if (pt_translate(&ctx->g.accel.ram, mi.pgd, addr, &t) || (t.nlevels && t.bad)) {
		snprintf(msg, msglen, "the walk of %s's tables at %#llx failed", p->name,
			 (unsigned long long)addr);
		return STEP_FAILED;
	}
	pte = t.present ? t.entry[t.nlevels - 1] : 0;
	pfn = t.present ? t.pa >> 12 : 0;
	*out = value_num(pte);
	const struct { const char *name; uint64_t v; } f[] = {
		{ "present", t.present }, { "writable", t.present && (t.prot & _PAGE_RW) },
		{ "user", t.present && (t.prot & _PAGE_USER) },
		{ "nx", t.present && (t.prot & _PAGE_NX) }, { "accessed", !!(pte & _PAGE_ACCESSED) },
		{ "dirty", !!(pte & _PAGE_DIRTY) }, { "pfn", pfn },
		{ "zero_page", t.present && pfn == mm.zero_pfn },
	};
	for (size_t i = 0; !r && i < ARRAY_SIZE(f); i++)
		r = value_add_field(out, f[i].name, value_num(f[i].v));
	if (r) {
		snprintf(msg, msglen, "out of memory");
		return STEP_FAILED;
	}
	return STEP_OK;
}

/* Where a process field comes from: the host's record, the guest's text, its mm. */
enum proc_source {
	PF_PID, PF_ALIVE, PF_SIGNAL, PF_FAULT_ADDR,	/* the host's, even once it has exited */
	PF_TEXT,					/* .at: the request for the text */
	PF_RSS,						/* anon + shmem + file */
	PF_MM,						/* .at: a u64 in vmm_mm_info */
	PF_ACTIVE_MM,					/* whose mm it runs on, with its counts */
};

#define MM(member)	offsetof(struct vmm_mm_info, member)
/* Each: the name, where it comes from, which request or member. */
#define PROCESS_FIELDS(EM)						\
	EM("maps", PF_TEXT, VMM_REQ_MAPS)				\
	EM("smaps", PF_TEXT, VMM_REQ_SMAPS)				\
	EM("rss", PF_RSS, 0)						\
	EM("rss_anon", PF_MM, MM(rss_anon))				\
	EM("rss_shmem", PF_MM, MM(rss_shmem))				\
	EM("vma_count", PF_MM, MM(map_count))				\
	EM("total_vm", PF_MM, MM(total_vm))				\
	EM("locked_vm", PF_MM, MM(locked_vm))				\
	EM("brk", PF_MM, MM(brk))					\
	EM("start_brk", PF_MM, MM(start_brk))				\
	EM("start_stack", PF_MM, MM(start_stack))			\
	EM("mmap_base", PF_MM, MM(mmap_base))				\
	EM("pid", PF_PID, 0)						\
	EM("alive", PF_ALIVE, 0)					\
	EM("signal", PF_SIGNAL, 0)					\
	EM("fault_addr", PF_FAULT_ADDR, 0)				\
	EM("users", PF_MM, MM(mm_users))				\
	EM("rss_file", PF_MM, MM(rss_file))				\
	EM("mm_count", PF_MM, MM(mm_count))				\
	EM("data_vm", PF_MM, MM(data_vm))				\
	EM("exec_vm", PF_MM, MM(exec_vm))				\
	EM("stack_vm", PF_MM, MM(stack_vm))				\
	EM("hiwater_rss", PF_MM, MM(hiwater_rss))			\
	EM("pgtables_bytes", PF_MM, MM(pgtables_bytes))		\
	EM("active_mm", PF_ACTIVE_MM, 0)
#define FIELD_NAME(name, from, at)	name,
#define FIELD_ROW(name, from, at)	{ name, from, at },

static const char *const process_fields[] = { PROCESS_FIELDS(FIELD_NAME) NULL };

static const struct proc_field {
	const char *name;
	enum proc_source from;
	size_t at;
} proc_fields[] = {
	PROCESS_FIELDS(FIELD_ROW)
};

static const struct proc_field *proc_field_find(const char *field)
{
	for (size_t i = 0; i < ARRAY_SIZE(proc_fields); i++)
		if (!strcmp(proc_fields[i].name, field))
			return &proc_fields[i];
	return NULL;
}

static const char *const active_mm_fields[] = { "users", "mm_count", NULL };
static const char *const find_vma_fields[] = { "start", "end", NULL };

/*
 * A.find_vma(ADDR): the guest's find_vma(), Linux's lookup: the first VMA
 * that ends above ADDR, which may start above it too (the VMA above a
 * hole).  Its start, with fields start and end; none if there is none.
 */
static enum step subject_find_vma(struct run_ctx *ctx, const struct proc *p, uint64_t addr,
				  struct value *out, char *msg, size_t msglen)
{
	struct guest_reply reply;
	uint64_t start, end;
	char why[160];
	enum step st = call_guest(ctx, VMM_REQ_FIND_VMA, (uint64_t[6]){ p->pid, addr }, NULL, 0,
				  &reply);

	if (st != STEP_OK)
		return st;
	if (reply.status == -ENOENT) {
		*out = value_text("none", 4);
		return STEP_OK;
	}
	if (reply.status) {
		snprintf(msg, msglen, "the guest has no address space for %s", p->name);
		return STEP_FAILED;
	}
	if (reply_find_vma(&reply, addr, &start, &end, why, sizeof(why)))
		return guest_lied(ctx, VMM_REQ_FIND_VMA, why);
	*out = value_num(start);
	if (value_add_field(out, "start", value_num(start)) ||
	    value_add_field(out, "end", value_num(end))) {
		snprintf(msg, msglen, "out of memory");
		return STEP_FAILED;
	}
	return STEP_OK;
}

/*
 * A.active_mm: the name of the process whose mm A runs on (its own for a
 * process; for a kernel thread the borrowed one, or none), with that mm's
 * mm_users and mm_count.
 */
static enum step subject_active_mm(struct run_ctx *ctx, const struct proc *p, struct value *out,
				   char *msg, size_t msglen)
{
	struct guest_reply reply;
	struct vmm_mm_info mi;
	char why[160];
	enum step st = call_guest(ctx, VMM_REQ_MM, (uint64_t[6]){ p->pid }, NULL, 0, &reply);

	if (st != STEP_OK)
		return st;
	if (reply.status == -ESRCH) {	/* a kernel thread on the kernel's own tables */
		*out = value_text("none", 4);
		return STEP_OK;
	}
	if (reply.status) {
		snprintf(msg, msglen, "the guest has no address space for %s", p->name);
		return STEP_FAILED;
	}
	if (reply_mm(&reply, &mi, why, sizeof(why)))
		return guest_lied(ctx, VMM_REQ_MM, why);
	*out = value_text(mi.owner, strnlen(mi.owner, sizeof(mi.owner)));
	if (value_add_field(out, "users", value_num((uint64_t)mi.mm_users)) ||
	    value_add_field(out, "mm_count", value_num((uint64_t)mi.mm_count))) {
		snprintf(msg, msglen, "out of memory");
		return STEP_FAILED;
	}
	return STEP_OK;
}

static enum step proc_field(struct run_ctx *ctx, const struct proc *p, const char *field,
			    struct value *out, char *msg, size_t msglen)
{
	const struct proc_field *f = proc_field_find(field);
	struct vmm_mm_info mi;
	uint64_t n;
	char sig[48];
	enum step st;

	if (!f) {
		snprintf(msg, msglen, "a process has no field '%s'", field);
		return STEP_FAILED;
	}
	switch (f->from) {
	case PF_PID:
		*out = value_num((uint64_t)p->pid);
		return STEP_OK;
	case PF_ALIVE:
		*out = value_num(p->alive);
		return STEP_OK;
	case PF_FAULT_ADDR:
		*out = value_num(p->fault.addr);
		return STEP_OK;
	case PF_SIGNAL:
		signal_text(&p->fault, sig, sizeof(sig));
		*out = value_text(sig, strlen(sig));
		return STEP_OK;
	default:
		break;
	}
	if (!p->alive) {
		snprintf(msg, msglen, "process %s has exited: it has no %s", p->name, field);
		return STEP_FAILED;
	}
	if (f->from == PF_TEXT)
		return proc_text(ctx, p, (uint32_t)f->at, out, msg, msglen);
	if (f->from == PF_ACTIVE_MM)
		return subject_active_mm(ctx, p, out, msg, msglen);
	st = mm_info(ctx, p, &mi, msg, msglen);
	if (st != STEP_OK)
		return st;
	if (f->from == PF_RSS)
		n = mi.rss_anon + mi.rss_shmem + mi.rss_file;	/* a lie wraps: a number, no access */
	else
		memcpy(&n, (const char *)&mi + f->at, sizeof(n));
	*out = value_num(n);
	return STEP_OK;
}

static enum step process_eval(struct run_ctx *ctx, const char *name, const char *field,
			      const struct expr *arg, struct value *out, char *msg, size_t msglen)
{
	struct proc *p = proc_find(ctx, name);
	uint64_t addr;
	enum step st;

	if (!p) {
		snprintf(msg, msglen, "process %s does not exist: its creation failed", name);
		return STEP_FAILED;
	}
	if (!arg)
		return proc_field(ctx, p, field, out, msg, msglen);
	if (!p->alive) {
		snprintf(msg, msglen, "process %s has exited", name);
		return STEP_FAILED;
	}
	st = eval_num(ctx, arg, NULL, 0, &addr, msg, msglen);
	if (st != STEP_OK)
		return st;
	if (!strcmp(field, "pte"))
		return subject_pte(ctx, p, addr, out, msg, msglen);
	if (!strcmp(field, "find_vma"))
		return subject_find_vma(ctx, p, addr, out, msg, msglen);
	return subject_vma(ctx, p, addr, !strcmp(field, "smaps"), out, msg, msglen);
}

static const struct process_call process_calls[] = {
	{ "pte", pte_fields }, { "vma", vma_fields }, { "smaps", smaps_fields },
	{ "find_vma", find_vma_fields }, { NULL, NULL },
};

static const struct process_call process_field_values[] = {
	{ "active_mm", active_mm_fields }, { NULL, NULL },
};

static const struct process_subject processes = {
	.fields = process_fields, .calls = process_calls, .field_values = process_field_values,
	.eval = process_eval,
};

static void __attribute__((constructor)) register_processes(void)
{
	process_subject_register(&processes);
}
