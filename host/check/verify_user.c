// SPDX-License-Identifier: MIT
/*
 * `check` for processes: every address space the guest reports, walked
 * from its own PGD into the snapshot, is held against the VMAs the guest
 * reports and against the struct pages the host read itself from the
 * guest's mem_map.  Rules (docs/verification.md):
 *   cr3             the vCPU runs on the kernel's tables or a process's
 *   user-vma        every user PTE lies inside a VMA of its mm
 *   user-prot       ... and gives no more than the VMA allows (write, exec)
 *   kernel-shared   the kernel half of every PGD is the kernel's own
 *   cow             a frame writable through a private VMA has no other PTE
 *   mapcount        a frame's _mapcount is the number of PTEs mapping it
 *   refcount        ... and its _refcount at least that
 *   rss             the mm's RSS counters are the frames its PTEs map
 */
#include <stdlib.h>
#include <string.h>

#include "shared/layout.h"
#include "shared/pte.h"
#include "shared/vm_flags.h"
#include "rules.h"

/*
 * The frames one piece of a user range maps, through one VMA: npages from
 * pfn, the first at va.  A record per piece, not per page, so that a hostile
 * tree of huge leaves costs a record, not a quarter of a million.
 */
struct user_frames {
	uint64_t pfn, npages, va, cr3;
	int pid;
	bool writable, private;
};

struct frames {
	struct user_frames *v;
	size_t n, cap;
};

static int frame_push(struct frames *f, struct user_frames x)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 1024;
		struct user_frames *v = realloc(f->v, cap * sizeof(*v));

		if (!v)
			return -1;
		f->v = v;
		f->cap = cap;
	}
	f->v[f->n++] = x;
	return 0;
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

static int record_frames(struct frames *f, struct checker *c, int pid, const struct map *r,
			 const struct vmm_vma *vma, uint64_t va, uint64_t end)
{
	if (vma->flags & VM_PFNMAP)
		return 0;	/* raw frames (the user program): not counted in struct page */
	if (!check_spend(c, &c->records_left, 1, "user frame records"))
		return -1;
	if (frame_push(f, (struct user_frames){
		.pfn = (r->pa + (va - r->va)) >> PAGE_SHIFT, .npages = (end - va) >> PAGE_SHIFT,
		.va = va, .cr3 = c->cr3, .pid = pid, .writable = r->prot & _PAGE_RW,
		.private = !(vma->flags & VM_SHARED) })) {
		check_stop(c, "out of memory");
		return -1;
	}
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

/* The PGDs are the guest's word: only their frames were read, as for the CPU's CR3. */
static void check_kernel_shared(struct checker *c, const struct check_snapshot *s,
				const struct snap_task *t)
{
	const uint64_t *mine = t->pgd.slot, *ref = s->kernel_half.slot;
	int pid = (int)t->task.pid;

	for (unsigned i = 0; t->pgd.read && s->kernel_half.read && i < KERNEL_HALF_SLOTS; i++)
		if (mine[i] != ref[i] && finding_shown(c, "kernel-shared"))
			fprintf(c->out, "[kernel-shared] pid %d (cr3 %#llx): PGD slot %u is %016llx; "
				"the kernel's own is %016llx\n", pid, (unsigned long long)c->cr3,
				KERNEL_HALF_FIRST_PGD + i, (unsigned long long)mine[i],
				(unsigned long long)ref[i]);
}

/*
 * The mm's RSS counters against the frames its PTEs map (frames[from..]):
 * private ones count as anonymous, shared ones as shmem; the zero page
 * and raw frames count as neither.
 */
static void check_rss(struct checker *c, const struct snap_task *t, const struct frames *f,
		      size_t from, uint64_t zero_pfn)
{
	uint64_t anon = 0, shmem = 0;

	for (size_t i = from; i < f->n; i++) {
		const struct user_frames *x = &f->v[i];
		uint64_t n = x->npages - (zero_pfn - x->pfn < x->npages);

		*(x->private ? &anon : &shmem) += n;	/* pages within RAM: no overflow */
	}
	if ((anon != t->mm.rss_anon || shmem != t->mm.rss_shmem) && finding_shown(c, "rss"))
		fprintf(c->out, "[rss] pid %d (cr3 %#llx): its page tables map %llu anonymous and "
			"%llu shared frame(s); its mm counts %llu and %llu\n", (int)t->task.pid,
			(unsigned long long)t->task.pgd, (unsigned long long)anon,
			(unsigned long long)shmem, (unsigned long long)t->mm.rss_anon,
			(unsigned long long)t->mm.rss_shmem);
}

/* One process, as far as the snapshot goes; false where it stops short. */
static bool check_task(struct checker *c, const struct check_snapshot *s,
		       const struct snap_task *t, struct frames *f)
{
	const struct map_list *user = &t->walk.ranges;
	size_t first_frame = f->n;

	if (!check_walk(c, s, &t->walk))
		return false;
	for (size_t i = 0; i < user->n; i++)
		if (check_range(c, (int)t->task.pid, &user->v[i], t->vmas, t->nvmas, f))
			return false;
	check_free_mapped(c, user, &s->free_blocks);
	check_kernel_shared(c, s, t);
	if (!t->have_mm)
		return false;
	check_rss(c, t, f, first_frame, s->zero_pfn);
	return true;
}

/* A record starts or ends covering frames at pfn. */
struct frame_event {
	uint64_t pfn;
	uint32_t rec;
	bool start;
};

static int by_pfn(const void *a, const void *b)
{
	const struct frame_event *x = a, *y = b;

	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

/*
 * The records covering the frames the sweep is at, as intrusive lists
 * (next/prev by record index, NONE at the ends): all of them, and those
 * writable through a private VMA.
 */
#define NONE	UINT32_MAX

struct active {
	uint32_t *next, *prev;
	uint32_t head[2];	/* [0] all, [1] writable and private */
	uint64_t count;
};

static void active_add(struct active *a, unsigned list, uint32_t i, size_t n)
{
	uint32_t *next = a->next + list * n, *prev = a->prev + list * n;

	next[i] = a->head[list];
	prev[i] = NONE;
	if (a->head[list] != NONE)
		prev[a->head[list]] = i;
	a->head[list] = i;
}

static void active_del(struct active *a, unsigned list, uint32_t i, size_t n)
{
	uint32_t *next = a->next + list * n, *prev = a->prev + list * n;

	if (prev[i] != NONE)
		next[prev[i]] = next[i];
	else
		a->head[list] = next[i];
	if (next[i] != NONE)
		prev[next[i]] = prev[i];
}

/* Where record x maps pfn. */
static uint64_t va_of(const struct user_frames *x, uint64_t pfn)
{
	return x->va + ((pfn - x->pfn) << PAGE_SHIFT);
}

/* One frame that count PTEs map, x among them, w the one writable through a private VMA. */
static void check_frame(struct checker *c, uint64_t pfn, uint64_t count,
			const struct user_frames *x, const struct user_frames *w,
			const struct check_snapshot *s)
{
	const struct page_counts *page = pfn < s->npages ? &s->pages[pfn] : NULL;

	c->cr3 = (w ? w : x)->cr3;
	if (w && count > 1)
		finding(c, "cow", va_of(w, pfn), va_of(w, pfn) + PAGE_SIZE - 1,
			"pid %d maps frame %#llx writable through a private VMA, and %llu other "
			"PTE(s) map it too", w->pid, (unsigned long long)pfn,
			(unsigned long long)count - 1);
	c->cr3 = x->cr3;
	if (!page) {
		finding(c, "mapcount", va_of(x, pfn), va_of(x, pfn) + PAGE_SIZE - 1,
			"maps frame %#llx, which has no struct page", (unsigned long long)pfn);
		return;
	}
	if (page->mapcount != (int64_t)count)
		finding(c, "mapcount", va_of(x, pfn), va_of(x, pfn) + PAGE_SIZE - 1,
			"%llu user PTE(s) map frame %#llx; its struct page counts %d",
			(unsigned long long)count, (unsigned long long)pfn, page->mapcount);
	if (page->refcount < (int64_t)count)
		finding(c, "refcount", va_of(x, pfn), va_of(x, pfn) + PAGE_SIZE - 1,
			"%llu user PTE(s) map frame %#llx; its struct page holds %d reference(s)",
			(unsigned long long)count, (unsigned long long)pfn, page->refcount);
}

static void apply_event(struct active *a, const struct frames *f, const struct frame_event *e)
{
	const struct user_frames *x = &f->v[e->rec];
	bool wp = x->writable && x->private;

	if (e->start) {
		active_add(a, 0, e->rec, f->n);
		if (wp)
			active_add(a, 1, e->rec, f->n);
		a->count++;
		return;
	}
	active_del(a, 0, e->rec, f->n);
	if (wp)
		active_del(a, 1, e->rec, f->n);
	a->count--;
}

/*
 * The frames every user PTE maps, against each other and their struct
 * pages: a sweep over the records' starts and ends, so that each frame is
 * looked at once, however many records cover it.  Frames lie in RAM (the
 * walker sees to it), so the sweep costs a step per frame of RAM at most.
 */
static void check_frames(struct checker *c, const struct frames *f,
			 const struct check_snapshot *s)
{
	size_t nev = 2 * f->n;		/* f->n <= CHECK_MAX_RECORDS: no overflow */
	struct frame_event *ev = malloc((nev ?: 1) * sizeof(*ev));
	struct active a = {
		.next = malloc((nev ?: 1) * sizeof(uint32_t)),
		.prev = malloc((nev ?: 1) * sizeof(uint32_t)),
		.head = { NONE, NONE },
	};

	if (!ev || !a.next || !a.prev) {
		check_stop(c, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < f->n; i++) {
		ev[2 * i] = (struct frame_event){ f->v[i].pfn, (uint32_t)i, true };
		ev[2 * i + 1] = (struct frame_event){ f->v[i].pfn + f->v[i].npages, (uint32_t)i, false };
	}
	qsort(ev, nev, sizeof(*ev), by_pfn);
	for (size_t i = 0; i < nev;) {
		uint64_t pfn = ev[i].pfn, end;

		while (i < nev && ev[i].pfn == pfn)
			apply_event(&a, f, &ev[i++]);
		end = i < nev ? ev[i].pfn : pfn;
		for (; a.count && pfn < end; pfn++)
			if (pfn != s->zero_pfn)
				check_frame(c, pfn, a.count, &f->v[a.head[0]],
					    a.head[1] == NONE ? NULL : &f->v[a.head[1]], s);
	}
out:
	free(ev);
	free(a.next);
	free(a.prev);
}

/* The kernel's own tables belong to no process: their user half stays empty. */
static void check_kernel_user_half(struct checker *c, const struct check_snapshot *s)
{
	const struct map_list *user = &s->kernel_user.ranges;

	if (!check_walk(c, s, &s->kernel_user))
		return;
	for (size_t i = 0; i < user->n; i++)
		finding(c, "user-vma", user->v[i].va, user->v[i].va + user->v[i].size - 1,
			"mapped in the kernel's own tables, which no process has");
	check_free_mapped(c, user, &s->free_blocks);
}

void check_user_spaces(struct checker *c, const struct check_snapshot *s)
{
	uint64_t vcpu_cr3 = s->cr3 & PTE_PFN_MASK;
	struct frames f = { 0 };
	bool cr3_known = vcpu_cr3 == s->kernel_pgd;

	if (!s->tasks_listed)
		return;
	for (size_t i = 0; i < s->ntasks; i++) {
		cr3_known |= s->tasks[i].task.pgd == vcpu_cr3;
		if (!check_task(c, s, &s->tasks[i], &f))
			goto out;
	}
	if (!s->tasks_done)
		goto out;
	if (!cr3_known && finding_shown(c, "cr3"))
		fprintf(c->out, "[cr3] the vCPU runs on page tables at %#llx: neither the kernel's "
			"(%#llx) nor any process's\n", (unsigned long long)vcpu_cr3,
			(unsigned long long)s->kernel_pgd);
	check_kernel_user_half(c, s);
	check_frames(c, &f, s);
out:
	free(f.v);
}
