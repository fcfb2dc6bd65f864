/* SPDX-License-Identifier: MIT */
/*
 * The host-guest channel: one mailbox in guest RAM, one doorbell.
 *
 * The guest writes a message into the mailbox, counts it in `ring`, and
 * executes one `outb` of the message's type to VMM_DOORBELL_PORT.  Then it
 * waits until the host copies `ring` into `ack`: the host has taken the
 * message, and for READY or REPLY it has left the next request in `req`.
 * Until then the guest touches nothing in the mailbox.
 *
 * Under KVM the `outb` is a synchronous exit and the host writes `ack`
 * before it resumes the vCPU, so the wait ends at its first look: one exit
 * per message, as if there were no wait.  Under QEMU's TCG the `outb` is a
 * byte on a socket that the host reads while the guest runs on; the wait is
 * what keeps the two apart.  PANIC is the last message of a guest.
 *
 * Everything the guest writes here is untrusted by the host: the host copies
 * the message out and checks every length and code before using it.
 *
 * Small request input travels in req_data; bulk input (a list of page
 * blocks to free) in the data area, which the guest reads before it writes
 * its reply there.
 */
#ifndef SHARED_CHANNEL_H
#define SHARED_CHANNEL_H

#include <stdint.h>

#define VMM_DOORBELL_PORT	0x0500
#define VMM_MAILBOX_MAGIC	0x31424d56u	/* "VMB1" */
#define VMM_MAILBOX_VERSION	2
#define VMM_MAILBOX_HDR_SIZE	4096u		/* the data area follows */
#define VMM_MAILBOX_DATA_SIZE	(64u * 1024)	/* replies: /proc-style text */
#define VMM_REQ_DATA_SIZE	1024u
#define VMM_CONSOLE_SIZE	1024u
#define VMM_BACKTRACE_DEPTH	16

/* Requests, host -> guest.  Numbers are ABI: append, never renumber. */
enum vmm_req_code {
	VMM_REQ_NONE = 0,
	VMM_REQ_ECHO = 1,	/* arg[0] -> val[0] */
	VMM_REQ_IOMEM = 2,	/* -> text, /proc/iomem format */
	VMM_REQ_CMDLINE = 3,	/* -> text, /proc/cmdline format */
	VMM_REQ_KERNEL_MAPS = 4,/* -> struct vmm_kmap[] the guest built */
	VMM_REQ_PROVOKE = 5,	/* arg[0] = enum vmm_provoke; req_data = text */
	VMM_REQ_ALLOC_PAGES = 6,/* arg[0] gfp, [1] order, [2] how many (0: until failure)
				 * -> val[0] = blocks allocated, data = vmm_page_block[] */
	VMM_REQ_FREE_PAGES = 7,	/* arg[0] = n, data area = vmm_page_block[n] -> val[0] freed */
	VMM_REQ_BUDDYINFO = 8,	/* -> text, /proc/buddyinfo format */
	VMM_REQ_ZONEINFO = 9,	/* -> text, /proc/zoneinfo format */
	VMM_REQ_ZONES = 10,	/* -> vmm_zone[MAX] */
	VMM_REQ_FREE_BLOCKS = 11,/* arg[0] = blocks to skip -> val[0] = total, data = vmm_page_block[] */
	VMM_REQ_DRAIN_PAGES = 12,/* per-CPU lists back to the buddy lists */
	VMM_REQ_PLANT = 13,	/* arg[0] = enum vmm_plant, [1] = address, [2] = pid or 0 for
				 * the tables the CPU is on: a bad entry */
	VMM_REQ_SPAWN = 14,	/* req_data = name -> val[0] = pid */
	VMM_REQ_RUN = 15,	/* arg[0] pid, [1] op, [2] target, [3] value; req_data = 6 syscall
				 * args -> val[0] result; struct vmm_fault in data if killed */
	VMM_REQ_FORK = 16,	/* arg[0] pid, [1] clone flags (CLONE_VM: a thread), req_data =
				 * child's name -> val[0] = child pid */
	VMM_REQ_EXIT = 17,	/* arg[0] pid */
	VMM_REQ_MAPS = 18,	/* arg[0] pid -> text, /proc/PID/maps format */
	VMM_REQ_MM = 19,	/* arg[0] pid -> struct vmm_mm_info */
	VMM_REQ_VMAS = 20,	/* arg[0] pid -> struct vmm_vma[] */
	VMM_REQ_TASKS = 21,	/* -> struct vmm_task[] of the live processes */
	VMM_REQ_MEM_MAP = 22,	/* -> val[VMM_MEM_MAP_*], below */
	VMM_REQ_KMALLOC = 23,	/* arg[0] size, [1] gfp -> val[0] address, [1] class size;
				 * data = cache name */
	VMM_REQ_KFREE = 24,	/* arg[0] address */
	VMM_REQ_KREALLOC = 25,	/* arg[0] address, [1] new size, [2] gfp -> val[0] address */
	VMM_REQ_CACHE_CREATE = 26,/* req_data name, arg[0] size, [1] align, [2] SLAB_* -> val[0] id */
	VMM_REQ_CACHE_ALLOC = 27,/* arg[0] id, [1] gfp -> val[0] object */
	VMM_REQ_CACHE_FREE = 28,/* arg[0] id, [1] object */
	VMM_REQ_CACHE_DESTROY = 29,/* arg[0] id */
	VMM_REQ_CACHE_SHRINK = 30,/* arg[0] id */
	VMM_REQ_SLABINFO = 31,	/* -> text, /proc/slabinfo format */
	VMM_REQ_VMALLOC = 32,	/* arg[0] size, [1] zeroed -> val[0] address */
	VMM_REQ_VFREE = 33,	/* arg[0] address */
	VMM_REQ_VMALLOCINFO = 34,/* -> text, /proc/vmallocinfo format */
	VMM_REQ_POKE = 35,	/* arg[0] kernel address, [1] byte, [2] count: a kernel write */
	VMM_REQ_VMAP_AREAS = 36,/* -> vmm_vmap_area[], see below */
	VMM_REQ_SLABS = 37,	/* arg[0] slabs to skip -> val[0] = total, data = vmm_slab[] */
	VMM_REQ_SMAPS = 38,	/* arg[0] pid -> text, /proc/PID/smaps format */
	VMM_REQ_FILE_CREATE = 39,/* req_data = path; arg[0] size, [1] enum vmm_file_fill,
				 * [2] fill byte, [3] bytes of contents in the data area
				 * -> val[0] inode number */
	VMM_REQ_MEMINFO = 40,	/* -> text, /proc/meminfo lines */
	VMM_REQ_PAGE_CACHE = 41,/* -> val[0] = pages, data = vmm_cache_page[];
				 * val[VMM_PFNMAP_*] = the frames drivers map raw;
				 * val[VMM_PAGE_CACHE_INDEX_PAGES] */
	VMM_REQ_KTHREAD = 42,	/* req_data = name: a kernel thread, run at once -> val[0] = pid */
	VMM_REQ_KTHREAD_STOP = 43,/* arg[0] pid of a kernel thread */
	VMM_REQ_FIND_VMA = 44,	/* arg[0] pid, [1] address -> find_vma(): val[0] start, [1] end;
				 * ENOENT if no VMA ends above the address */
	VMM_REQ_IOREMAP = 45,	/* arg[0] phys, [1] size -> val[0] address */
	VMM_REQ_IOUNMAP = 46,	/* arg[0] address ioremap gave */
	VMM_REQ_REQUEST_REGION = 47,/* arg[0] start, [1] size, req_data = name */
	VMM_REQ_RELEASE_REGION = 48,/* arg[0] start, [1] size */
	VMM_REQ_FAULT_ATTR = 49,/* arg[0] enum vmm_fault_attr, req_data = vmm_fault_config:
				 * a new plan for the attribute, counters reset */
	VMM_REQ_FAULT_STATS = 50,/* arg[0] enum vmm_fault_attr -> data = vmm_fault_stats */
	VMM_REQ_TASK_FAIL = 51,	/* arg[0] pid, [1] fail_nth, [2] make_it_fail (each ~0: keep)
				 * -> val[0] fail_nth, [1] make_it_fail, as they are now */
	VMM_REQ_NR
};

/* Where VMM_REQ_MEM_MAP's reply puts each value in val[]. */
enum vmm_mem_map_val {
	VMM_MEM_MAP_PHYS = 0,		/* mem_map's physical address */
	VMM_MEM_MAP_BYTES = 1,		/* its size */
	VMM_MEM_MAP_ZERO_PFN = 2,	/* the zero page's frame */
};

/*
 * VMM_REQ_RUN with a buffer: req_data holds the 6 system-call arguments,
 * then the buffer's bytes; arg[4] = which argument gets the buffer's user
 * address.  The guest puts the bytes on the user stack above the stack
 * pointer (as execve puts argv) and, after the call, appends them as the
 * call left them to the reply's struct vmm_fault.
 */
#define VMM_RUN_BUF_MAX		(VMM_REQ_DATA_SIZE - 6 * sizeof(uint64_t))

/* How VMM_REQ_FILE_CREATE fills the file. */
enum vmm_file_fill {
	VMM_FILL_BYTE = 0,	/* every byte arg[2] */
	VMM_FILL_PAGE_INDEX = 1,/* every byte of page n is n + 1 (mod 256) */
	VMM_FILL_DATA = 2,	/* the data area's arg[3] bytes, then zeros */
};

/* A page in the page cache of some file (VMM_REQ_PAGE_CACHE). */
struct vmm_cache_page {
	uint64_t ino;		/* the file's inode number */
	uint64_t index;		/* its offset in the file, in pages */
	uint64_t pfn;
	uint32_t flags;		/* VMM_CACHE_* */
	uint32_t reserved;
};
#define VMM_CACHE_DIRTY		(1u << 0)
#define VMM_CACHE_SHMEM		(1u << 1)	/* a shmem object's: counted as Shmem */
#define VMM_MAX_CACHE_PAGES	(VMM_MAILBOX_DATA_SIZE / sizeof(struct vmm_cache_page))

/* Where VMM_REQ_PAGE_CACHE puts the driver frames (/dev/vmmbuf's buffers) in val[]. */
enum vmm_pfnmap_val {
	VMM_PFNMAP_GFP_PFN = 1, VMM_PFNMAP_GFP_PAGES = 2,	/* from __get_free_pages() */
	VMM_PFNMAP_KMALLOC_PFN = 3, VMM_PFNMAP_KMALLOC_PAGES = 4,/* from kmalloc() */
	/*
	 * The pages the page cache's index nodes take, when every node in use
	 * belongs to a file the reply lists (else 0: a node no live file holds
	 * is a leak, and so are the pages).
	 */
	VMM_PAGE_CACHE_INDEX_PAGES = 5,
};

/* Misbehaviour on request, to prove the host diagnoses each kind. */
enum vmm_provoke {
	VMM_PROVOKE_PANIC = 1,		/* panic() with the request text */
	VMM_PROVOKE_HANG = 2,		/* spin forever, interrupts off */
	VMM_PROVOKE_FAULT = 3,		/* write to arg[1]: an unexpected #PF */
	VMM_PROVOKE_TRIPLE_FAULT = 4,	/* no IDT, then an exception */
	VMM_PROVOKE_BAD_MESSAGE = 5,	/* a reply whose length is a lie */
	VMM_PROVOKE_HALT = 6,		/* hlt with interrupts off */
};

/* What a REPORT message is about; val[1].. carry the kind's details. */
enum vmm_report_kind {
	VMM_REPORT_BAD_PAGE = 1,	/* val[1] = pfn */
	VMM_REPORT_SLAB = 2,		/* val[1] = kind (enum slab_bug_kind), [2] object,
					 * [3] offset, [4] expected, [5] found (-1: none);
					 * text "CACHE: what happened" */
	VMM_REPORT_NR
};

/* Page-table damage on request (`plant`), to prove the host's check sees it. */
enum vmm_plant {
	VMM_PLANT_USER_PAGE = 1,	/* a user page where no VMA is */
	VMM_PLANT_FREE_USER_PAGE = 2,	/* ... whose frame is then freed */
	VMM_PLANT_KERNEL_USER = 3,	/* the U bit on the kernel mapping of arg[1] */
	VMM_PLANT_KERNEL_WRITABLE = 4,	/* the RW bit on the kernel mapping of arg[1] */
	VMM_PLANT_BAD_FRAME = 5,	/* a user PTE pointing beyond RAM */
	VMM_PLANT_LOOP = 6,		/* a PUD entry pointing back at the PGD */
	VMM_PLANT_UNMAP = 7,		/* clear the kernel mapping of arg[1] (silently) */
	VMM_PLANT_WRITABLE = 8,		/* set RW on the user PTE of arg[1] (breaks COW) */
	VMM_PLANT_KERNEL_DIFF = 9,	/* a kernel-half PGD slot of this PGD only */
	VMM_PLANT_MAPCOUNT = 10,	/* one mapping too many in the struct page at arg[1] */
	VMM_PLANT_REFCOUNT = 11,	/* no references in the struct page at arg[1] */
	VMM_PLANT_FREE_SLAB_PAGE = 12,	/* free the page at kernel arg[1], a live slab's tail page */
	VMM_PLANT_FREE_VMALLOC_PAGE = 13,/* free the frame behind vmalloc arg[1]; it stays mapped */
	VMM_PLANT_RSS = 14,		/* one anonymous page too many in the process's RSS */
	VMM_PLANT_FILE_PTE = 15,	/* the file PTE of arg[1] onto a fresh frame, not the cache's */
	VMM_PLANT_PFNMAP_PTE = 16,	/* the raw PTE of arg[1] onto a frame the driver does not own */
	VMM_PLANT_FREE_CACHE_PAGE = 17,	/* the page-cache page of arg[1] freed; the cache keeps it */
	VMM_PLANT_RSS_FILE = 18,	/* one file page too many in the process's RSS */
	VMM_PLANT_PFNMAP_REF = 19,	/* a mapping counted in the struct page of a raw frame */
};

/* The kinds of slab bug a VMM_REPORT_SLAB names (the guest's enum slab_bug_kind). */
#define VMM_SLAB_BUG_NAMES { "redzone", "kmalloc-redzone", "poison", "padding", "freeptr", \
			     "object-count", "double-free", "invalid-free", "wrong-cache", "leak" }
#define VMM_SLAB_BUG_NR	10

/* Messages, guest -> host. */
enum vmm_msg_type {
	VMM_MSG_NONE = 0,
	VMM_MSG_READY = 1,	/* boot finished: val[0] = physical address of the PGD */
	VMM_MSG_REPLY = 2,	/* answer to request seq; status 0 or -errno */
	VMM_MSG_CONSOLE = 3,	/* console[0..len) is one line of text */
	VMM_MSG_PANIC = 4,	/* crash[] filled, console[] holds the reason */
	VMM_MSG_REPORT = 5,	/* the kernel caught a bug: val[0] = kind, console = text */
	VMM_MSG_NR
};

struct vmm_request {
	uint32_t code;
	uint32_t seq;
	uint64_t arg[6];
	uint32_t data_len;	/* bytes of req_data in use */
	uint32_t reserved;
};

struct vmm_message {
	uint32_t type;
	uint32_t seq;		/* REPLY: the request's seq */
	int64_t status;		/* 0 or -errno, Linux's values */
	uint64_t val[6];
	uint32_t len;		/* REPLY: data bytes; CONSOLE/PANIC: console bytes */
	uint32_t reserved;
};

/* Filled by the guest before a PANIC message; mirrors struct pt_regs. */
struct vmm_crash {
	uint64_t vector;	/* exception vector, or ~0 for panic() */
	uint64_t error_code;
	uint64_t rip, cs, rflags, rsp, ss;
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t cr0, cr2, cr3, cr4;
	uint32_t nr_frames;
	uint32_t reserved;
	uint64_t frames[VMM_BACKTRACE_DEPTH];	/* return addresses */
};

/* The fault-injection attributes (Linux's names), for VMM_REQ_FAULT_*. */
enum vmm_fault_attr {
	VMM_FAIL_PAGE_ALLOC, VMM_FAILSLAB, VMM_FAIL_VMALLOC, VMM_FAIL_VM_AREA_ALLOC,
	VMM_FAULT_ATTR_NR
};
#define VMM_FAULT_ATTR_NAMES { "fail_page_alloc", "failslab", "fail_vmalloc", \
			       "fail_vm_area_alloc" }
#define VMM_FAULT_CACHE_LEN	32
#define VMM_FAULT_KEEP		(~0ULL)	/* VMM_REQ_TASK_FAIL: leave as it is */

/* An attribute's knobs, with Linux's debugfs names and meanings. */
struct vmm_fault_config {
	uint64_t probability;	/* percent */
	uint64_t interval;
	int64_t times;		/* -1: no limit */
	int64_t space;		/* bytes let through first */
	uint64_t nth;		/* fail this attribute's nth call (0: off) */
	uint64_t verbose;
	uint64_t min_order;
	uint64_t ignore_gfp_wait;	/* calls that may sleep never fail */
	uint64_t ignore_gfp_highmem;	/* nor __GFP_HIGHMEM ones */
	uint64_t task_filter;	/* only tasks with make_it_fail */
	uint64_t cache_filter;	/* failslab: only caches with slab_debug=A's flag */
	char cache[VMM_FAULT_CACHE_LEN];	/* failslab: only this cache ("": any) */
};

/* What an attribute did (VMM_REQ_FAULT_STATS). */
struct vmm_fault_stats {
	uint64_t calls;		/* calls seen while armed */
	uint64_t failures;	/* failures injected */
	uint64_t probability, interval, nth, verbose;
	int64_t times, space;	/* what is left of each */
	uint32_t nr_frames;	/* the last failure's call chain, innermost first */
	uint32_t reserved;
	uint64_t frames[VMM_BACKTRACE_DEPTH];
};

/* Zones in Linux's order; names as /proc/zoneinfo prints them. */
enum vmm_zone { VMM_ZONE_DMA, VMM_ZONE_DMA32, VMM_ZONE_NORMAL, VMM_NR_ZONES };
#define VMM_ZONE_NAMES { "DMA", "DMA32", "Normal" }

/* A block of 2^order pages at pfn, as allocated, freed or found free. */
struct vmm_page_block {
	uint64_t pfn;
	uint32_t order;
	uint32_t zone;		/* enum vmm_zone; for free blocks bit 31 = on a per-CPU list */
};
#define VMM_BLOCK_PCP		0x80000000u
#define VMM_MAX_BLOCKS		(VMM_MAILBOX_DATA_SIZE / sizeof(struct vmm_page_block))

/* A zone's counters, in pages. */
struct vmm_zone_info {
	uint64_t start_pfn, spanned, present, managed;
	uint64_t free;		/* on the buddy lists */
	uint64_t pcp;		/* cached on the per-CPU lists */
	uint64_t min, low, high;
};

/*
 * vmalloc areas for the host's check: val[0] = areas, val[1] = pfns in
 * all; data = vmm_vmap_area[val[0]] then the areas' pfns in order.
 */
struct vmm_vmap_area {
	uint64_t start;
	uint64_t size;		/* the guard page included */
	uint64_t nr_pages;
};

/* A slab of any cache, as the slab allocator lists it (VMM_REQ_SLABS). */
struct vmm_slab {
	uint64_t pfn;		/* first frame */
	uint32_t order;
	uint16_t inuse, objects;
	char cache[32];		/* the cache's name, NUL-terminated */
};
#define VMM_MAX_SLABS		(VMM_MAILBOX_DATA_SIZE / sizeof(struct vmm_slab))

/* How a process's last user-mode run ended (VMM_REQ_RUN). */
struct vmm_fault {
	int32_t signo;		/* 0: it returned; else SIGSEGV, ... (signal.h) */
	int32_t code;		/* si_code: SEGV_MAPERR, ... */
	uint64_t addr;		/* si_addr */
	uint64_t ip;		/* user RIP at the fault */
};

/*
 * VMM_REQ_MM: a process's mm, or the one a kernel thread borrows (its
 * active_mm; the request fails with ESRCH when it has none).
 */
struct vmm_mm_info {
	uint64_t pgd;
	uint64_t map_count, total_vm, locked_vm, rss_anon, rss_shmem;
	uint64_t start_code, end_code, start_data, end_data;
	uint64_t start_brk, brk, start_stack, mmap_base;
	int64_t mm_users, mm_count;
	uint64_t rss_file;	/* MM_FILEPAGES */
	/* Pages, as Linux's vm_stat_account() and /proc/PID/status count them. */
	uint64_t data_vm, exec_vm, stack_vm;
	uint64_t hiwater_rss;		/* VmHWM, in pages */
	uint64_t pgtables_bytes;	/* VmPTE, in bytes */
	char owner[16];			/* the process it was made for, NUL-padded */
};

struct vmm_vma {
	uint64_t start, end;
	uint64_t flags;		/* VM_* bits, Linux's values */
	uint64_t pgoff;
	uint64_t ino;		/* the file mapped (its inode number), 0: anonymous memory */
};

struct vmm_task {
	uint64_t pid;
	uint64_t pgd;
	char comm[16];
};

/*
 * struct page as the host reads it from guest RAM (the guest asserts the
 * layout): 64 bytes each, mem_map[pfn] at VMM_REQ_MEM_MAP's address.
 */
#define VMM_STRUCT_PAGE_SIZE		64
#define VMM_PAGE_MAPCOUNT_OFFSET	40	/* int: page-table mappings */
#define VMM_PAGE_REFCOUNT_OFFSET	44	/* int: references */

/* One range of the kernel half as the guest believes it mapped it. */
struct vmm_kmap {
	uint64_t va;
	uint64_t pa;
	uint64_t size;
	uint64_t prot;		/* _PAGE_RW | _PAGE_NX | _PAGE_GLOBAL as built */
};

/*
 * The guest's TSC counts its instructions (QEMU's -icount shift=0): with
 * each message the guest writes in `insns` the instructions it executed
 * since its first one, less those spent waiting for acknowledgements.
 */
#define VMM_MAILBOX_TSC_INSNS	(1u << 0)

struct vmm_mailbox {
	uint32_t magic;
	uint32_t version;
	uint32_t data_size;	/* bytes of the data area after the header */
	uint32_t flags;		/* host: VMM_MAILBOX_* */
	uint32_t ring;		/* guest: messages sent so far */
	uint32_t ack;		/* host: the last message taken (its ring) */
	uint64_t insns;		/* guest, with VMM_MAILBOX_TSC_INSNS: see below */
	struct vmm_request req;
	struct vmm_message msg;
	struct vmm_crash crash;
	char req_data[VMM_REQ_DATA_SIZE];
	char console[VMM_CONSOLE_SIZE];
};

_Static_assert(sizeof(struct vmm_mailbox) <= VMM_MAILBOX_HDR_SIZE,
	       "mailbox header must fit its page");

#endif
