// SPDX-License-Identifier: MIT
/*
 * `check` for processes: every address space the guest reports is walked
 * from its own PGD, and what the tables map is held against the VMAs the
 * guest reports and against the struct pages the host reads itself from
 * the guest's mem_map.  Rules (docs/verification.md):
 *   cr3             the vCPU runs on the kernel's tables or a process's
 *   user-vma        every user PTE lies inside a VMA of its mm
 *   user-prot       ... and gives no more than the VMA allows (write, exec)
 *   kernel-shared   the kernel half of every PGD is the kernel's own
 *   cow             a frame writable through a private VMA has no other PTE
 *   mapcount        a frame's _mapcount is the number of PTEs mapping it
 *   refcount        ... and its _refcount at least that
 */
#include <stdlib.h>
#include <string.h>

#include "pagewalk.h"
#include "shared/layout.h"
#include "shared/pte.h"
#include "shared/vm_flags.h"
#include "verify.h"

/* One user PTE's frame. */
struct user_frame {
	uint64_t pfn, va, cr3;
	int pid;
	bool writable, private;
};

struct frames {
	struct user_frame *v;
	size_t n, cap;
};

static int frame_push(struct frames *f, struct user_frame x)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 1024;
		struct user_frame *v = realloc(f->v, cap * sizeof(*v));

		if (!v)
			return -1;
		f->v = v;
		f->cap = cap;
	}
	f->v[f->n++] = x;
	return 0;
}

static int by_pfn(const void *a, const void *b)
{
	const struct user_frame *x = a, *y = b;

	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

/* A table the guest returns, copied out with its length checked. */
static enum step fetch(struct checker *c, uint32_t code, uint64_t arg, size_t elem, void **out,
		       size_t *n, char *msg, size_t msglen)
{
	struct guest_reply reply;
	enum step st = call_guest(c->ctx, code, (uint64_t[6]){ arg }, NULL, 0, &reply);

	if (st != STEP_OK)
		return st;
	if (reply.status || reply.len % elem) {
		snprintf(msg, msglen, "the guest's answer to request %u is malformed", code);
		return STEP_FAILED;
	}
	*n = reply.len / elem;
	*out = malloc(reply.len ?: 1);
	if (!*out)
		return STEP_FAILED;
	memcpy(*out, reply.data, reply.len);
	return STEP_OK;
}

/* The first VMA ending above va (VMAs sorted, as the guest must send them). */
static const struct vmm_vma *vma_after(const struct vmm_vma *v, size_t n, uint64_t va)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (v[mid].end <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n ? &v[lo] : NULL;
}

static void check_prot(struct checker *c, const struct map *r, const struct vmm_vma *vma,
		       uint64_t va, uint64_t end)
{
	if ((r->prot & _PAGE_RW) && !(vma->flags & VM_WRITE))
		finding(c, "user-prot", va, end - 1, "writable, but its VMA %#llx-%#llx is not",
			(unsigned long long)vma->start, (unsigned long long)vma->end);
	if (!(r->prot & _PAGE_NX) && !(vma->flags & VM_EXEC))
		finding(c, "user-prot", va, end - 1, "executable, but its VMA %#llx-%#llx is not",
			(unsigned long long)vma->start, (unsigned long long)vma->end);
}

static int record_frames(struct frames *f, const struct checker *c, int pid, const struct map *r,
			 const struct vmm_vma *vma, uint64_t va, uint64_t end)
{
	if (vma->flags & VM_PFNMAP)
		return 0;	/* raw frames (the user program): not counted in struct page */
	for (; va < end; va += PAGE_SIZE)
		if (frame_push(f, (struct user_frame){
			.pfn = (r->pa + (va - r->va)) >> PAGE_SHIFT, .va = va, .cr3 = c->cr3,
			.pid = pid, .writable = r->prot & _PAGE_RW,
			.private = !(vma->flags & VM_SHARED) }))
			return -1;
	return 0;
}

/* One walked range against the VMAs: outside any, more than allowed, and its frames. */
static int check_range(struct checker *c, int pid, const struct map *r, const struct vmm_vma *v,
		       size_t nv, struct frames *f)
{
	uint64_t va = r->va, end = r->va + r->size;

	while (va < end) {
		const struct vmm_vma *vma = vma_after(v, nv, va);
		uint64_t stop;

		if (!vma || vma->start >= end) {
			finding(c, "user-vma", va, end - 1, "mapped, but no VMA of pid %d is here", pid);
			return 0;
		}
		if (vma->start > va) {
			finding(c, "user-vma", va, vma->start - 1,
				"mapped, but no VMA of pid %d is here", pid);
			va = vma->start;
			continue;
		}
		stop = end < vma->end ? end : vma->end;
		check_prot(c, r, vma, va, stop);
		if (record_frames(f, c, pid, r, vma, va, stop))
			return -1;
		va = stop;
	}
	return 0;
}

static void check_kernel_shared(struct checker *c, uint64_t kernel_pgd, int pid)
{
	const size_t half = (PTRS_PER_TABLE - KERNEL_HALF_FIRST_PGD) * 8;
	const uint64_t *mine = gpa_ptr(&c->ctx->g.accel.ram, c->cr3 + KERNEL_HALF_FIRST_PGD * 8, half);
	const uint64_t *ref = gpa_ptr(&c->ctx->g.accel.ram, kernel_pgd + KERNEL_HALF_FIRST_PGD * 8, half);

	for (unsigned i = 0; mine && ref && i < PTRS_PER_TABLE - KERNEL_HALF_FIRST_PGD; i++)
		if (mine[i] != ref[i]) {
			c->findings++;
			fprintf(c->out, "[kernel-shared] pid %d (cr3 %#llx): PGD slot %u is %016llx; "
				"the kernel's own is %016llx\n", pid, (unsigned long long)c->cr3,
				KERNEL_HALF_FIRST_PGD + i, (unsigned long long)mine[i],
				(unsigned long long)ref[i]);
		}
}

/*
 * The mm's RSS counters against the frames its PTEs map (frames[from..]):
 * private ones count as anonymous, shared ones as shmem; the zero page
 * and raw frames count as neither.
 */
static enum step check_rss(struct checker *c, const struct vmm_task *t, const struct frames *f,
			   size_t from, uint64_t zero_pfn, char *msg, size_t msglen)
{
	struct vmm_mm_info *mi = NULL;
	uint64_t anon = 0, shmem = 0;
	size_t n = 0;
	enum step st = fetch(c, VMM_REQ_MM, t->pid, sizeof(*mi), (void **)&mi, &n, msg, msglen);

	if (st == STEP_OK && n != 1) {
		snprintf(msg, msglen, "the guest's mm of pid %d is malformed", (int)t->pid);
		st = STEP_FAILED;
	}
	for (size_t i = from; st == STEP_OK && i < f->n; i++)
		if (f->v[i].pfn != zero_pfn)
			*(f->v[i].private ? &anon : &shmem) += 1;
	if (st == STEP_OK && (anon != mi->rss_anon || shmem != mi->rss_shmem)) {
		c->findings++;
		fprintf(c->out, "[rss] pid %d (cr3 %#llx): its page tables map %llu anonymous and "
			"%llu shared frame(s); its mm counts %llu and %llu\n", (int)t->pid,
			(unsigned long long)t->pgd, (unsigned long long)anon,
			(unsigned long long)shmem, (unsigned long long)mi->rss_anon,
			(unsigned long long)mi->rss_shmem);
	}
	free(mi);
	return st;
}

static enum step check_task(struct checker *c, const struct vmm_task *t, uint64_t kernel_pgd,
			    uint64_t zero_pfn, const struct map_list *free_blocks,
			    struct frames *f, char *msg, size_t msglen)
{
	size_t first_frame = f->n;
	struct map_list user = { 0 };
	struct vmm_vma *v = NULL;
	size_t nv = 0;
	enum step st = fetch(c, VMM_REQ_VMAS, t->pid, sizeof(*v), (void **)&v, &nv, msg, msglen);

	c->cr3 = t->pgd;
	if (st == STEP_OK && walk(c, 0, USER_HALF_END, &user)) {
		snprintf(msg, msglen, "pid %d's page tables are outside RAM (pgd %#llx)", (int)t->pid,
			 (unsigned long long)t->pgd);
		st = STEP_FAILED;
	}
	for (size_t i = 0; st == STEP_OK && i < user.n; i++)
		if (check_range(c, (int)t->pid, &user.v[i], v, nv, f))
			st = STEP_FAILED;
	if (st == STEP_OK) {
		check_free_mapped(c, &user, free_blocks);
		check_kernel_shared(c, kernel_pgd, (int)t->pid);
		st = check_rss(c, t, f, first_frame, zero_pfn, msg, msglen);
	}
	free(user.v);
	free(v);
	return st;
}

/* The frames every user PTE maps, against each other and their struct pages. */
static void check_frames(struct checker *c, struct frames *f, uint64_t mem_map, uint64_t size,
			 uint64_t zero_pfn)
{
	if (f->n)
		qsort(f->v, f->n, sizeof(f->v[0]), by_pfn);
	for (size_t i = 0, j; i < f->n; i = j) {
		const struct user_frame *x = &f->v[i], *w = NULL;
		const uint8_t *page;
		int32_t mapcount, refcount;

		for (j = i; j < f->n && f->v[j].pfn == x->pfn; j++)
			if (f->v[j].writable && f->v[j].private)
				w = &f->v[j];
		if (x->pfn == zero_pfn)
			continue;
		c->cr3 = (w ? w : x)->cr3;
		if (w && j - i > 1)
			finding(c, "cow", w->va, w->va + PAGE_SIZE - 1,
				"pid %d maps frame %#llx writable through a private VMA, and %zu other "
				"PTE(s) map it too", w->pid, (unsigned long long)x->pfn, j - i - 1);
		page = x->pfn * VMM_STRUCT_PAGE_SIZE + VMM_STRUCT_PAGE_SIZE <= size ?
		       gpa_ptr(&c->ctx->g.accel.ram, mem_map + x->pfn * VMM_STRUCT_PAGE_SIZE,
			       VMM_STRUCT_PAGE_SIZE) : NULL;
		if (!page) {
			finding(c, "mapcount", x->va, x->va + PAGE_SIZE - 1,
				"maps frame %#llx, which has no struct page", (unsigned long long)x->pfn);
			continue;
		}
		memcpy(&mapcount, page + VMM_PAGE_MAPCOUNT_OFFSET, 4);
		memcpy(&refcount, page + VMM_PAGE_REFCOUNT_OFFSET, 4);
		if (mapcount != (int32_t)(j - i))
			finding(c, "mapcount", x->va, x->va + PAGE_SIZE - 1,
				"%zu user PTE(s) map frame %#llx; its struct page counts %d",
				j - i, (unsigned long long)x->pfn, mapcount);
		if (refcount < (int32_t)(j - i))
			finding(c, "refcount", x->va, x->va + PAGE_SIZE - 1,
				"%zu user PTE(s) map frame %#llx; its struct page holds %d reference(s)",
				j - i, (unsigned long long)x->pfn, refcount);
	}
}

/* The kernel's own tables belong to no process: their user half stays empty. */
static void check_kernel_user_half(struct checker *c, uint64_t kernel_pgd,
				   const struct map_list *free_blocks)
{
	struct map_list user = { 0 };

	c->cr3 = kernel_pgd;
	if (walk(c, 0, USER_HALF_END, &user) == 0) {
		for (size_t i = 0; i < user.n; i++)
			finding(c, "user-vma", user.v[i].va, user.v[i].va + user.v[i].size - 1,
				"mapped in the kernel's own tables, which no process has");
		check_free_mapped(c, &user, free_blocks);
	}
	free(user.v);
}

enum step check_user_spaces(struct checker *c, uint64_t kernel_pgd,
			    const struct map_list *free_blocks, char *msg, size_t msglen)
{
	uint64_t vcpu_cr3 = c->cr3 & PTE_PFN_MASK;
	struct guest_reply mm;
	struct frames f = { 0 };
	struct vmm_task *t = NULL;
	bool cr3_known = vcpu_cr3 == kernel_pgd;
	size_t n = 0;
	enum step st = call_guest(c->ctx, VMM_REQ_MEM_MAP, NULL, NULL, 0, &mm);

	if (st == STEP_OK)
		st = fetch(c, VMM_REQ_TASKS, 0, sizeof(*t), (void **)&t, &n, msg, msglen);
	for (size_t i = 0; st == STEP_OK && i < n; i++) {
		cr3_known |= t[i].pgd == vcpu_cr3;
		st = check_task(c, &t[i], kernel_pgd, mm.val[2], free_blocks, &f, msg, msglen);
	}
	if (st == STEP_OK && !cr3_known) {
		c->findings++;
		fprintf(c->out, "[cr3] the vCPU runs on page tables at %#llx: neither the kernel's "
			"(%#llx) nor any process's\n", (unsigned long long)vcpu_cr3,
			(unsigned long long)kernel_pgd);
	}
	if (st == STEP_OK) {
		check_kernel_user_half(c, kernel_pgd, free_blocks);
		check_frames(c, &f, mm.val[0], mm.val[1], mm.val[2]);
	}
	free(f.v);
	free(t);
	return st;
}
