// SPDX-License-Identifier: MIT
/*
 * The request loop: the host's scenario commands arrive here, one per
 * doorbell round trip.  Each handler answers in a local struct vmm_message
 * (status, values) and in the mailbox data area (text, tables); the reply
 * is copied into the mailbox only at the end, so printk inside a handler
 * cannot clobber it.
 */
#include <linux/channel.h>
#include <linux/errno.h>
#include <linux/fault-inject.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/of_fdt.h>
#include <linux/seq_buf.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <string.h>
#include "file_requests.h"
#include "io_requests.h"
#include "inject_requests.h"
#include "page_requests.h"
#include "process_requests.h"
#include "slab_requests.h"

typedef long (*request_fn)(const struct vmm_request *req, struct vmm_message *reply);

long req_provoke(const struct vmm_request *req, struct vmm_message *reply);
long req_plant(const struct vmm_request *req, struct vmm_message *reply);

static long req_echo(const struct vmm_request *req, struct vmm_message *reply)
{
	reply->val[0] = req->arg[0];
	return 0;
}

static long finish_text(struct seq_buf *s, struct vmm_message *reply)
{
	reply->len = s->len;
	return s->overflow ? -ENOSPC : 0;
}

static long req_cmdline(const struct vmm_request *req, struct vmm_message *reply)
{
	struct seq_buf s;

	(void)req;
	seq_buf_init(&s, channel_data(), channel_data_size());
	seq_buf_printf(&s, "%s\n", boot_info.bootargs);
	return finish_text(&s, reply);
}

extern char _text[], _etext[], __start_rodata[], __end_rodata[], _sdata[], _edata[];
extern char __bss_start[], __bss_stop[];

/* Children of a RAM range, in address order (insertion sort: a handful). */
static unsigned collect_children(const struct boot_range *ram, struct resource *res, unsigned max)
{
	const struct resource image[] = {
		{ __pa(_text), __pa(_etext) - 1, "Kernel code" },
		{ __pa(__start_rodata), __pa(__end_rodata) - 1, "Kernel rodata" },
		{ __pa(_sdata), __pa(_edata) - 1, "Kernel data" },
		{ __pa(__bss_start), __pa(__bss_stop) - 1, "Kernel bss" },
	};
	unsigned n = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(image) + boot_info.nr_reserved && n < max; i++) {
		struct resource r = i < ARRAY_SIZE(image) ? image[i] : (struct resource){
			boot_info.reserved[i - ARRAY_SIZE(image)].base,
			boot_info.reserved[i - ARRAY_SIZE(image)].base +
				boot_info.reserved[i - ARRAY_SIZE(image)].size - 1,
			"Reserved" };
		unsigned j = n;

		if (r.end < r.start || r.start < ram->base || r.end > ram->base + ram->size - 1)
			continue;
		for (; j > 0 && res[j - 1].start > r.start; j--)
			res[j] = res[j - 1];
		res[j] = r;
		n++;
	}
	return n;
}

/* /proc/iomem: RAM from the device tree, with the kernel and reservations inside. */
/* The claimed regions inside [start, end], at one level deeper than depth. */
static void show_claims(struct seq_buf *s, u64 start, u64 end, int depth)
{
	const struct resource *r;

	for (unsigned int i = 0; (r = requested_region(i)); i++)
		if (r->start >= start && r->end <= end)
			seq_buf_printf(s, "%*s%08llx-%08llx : %s\n", 2 * (depth + 1), "",
				       (unsigned long long)r->start, (unsigned long long)r->end,
				       r->name);
}

static bool in_ram(const struct resource *r)
{
	for (unsigned int i = 0; i < boot_info.nr_ram; i++)
		if (r->start >= boot_info.ram[i].base &&
		    r->end <= boot_info.ram[i].base + boot_info.ram[i].size - 1)
			return true;
	return false;
}

/* A claimed region outside RAM below limit, not yet printed (*next on): a top-level line. */
static void show_outside(struct seq_buf *s, unsigned int *next, u64 limit)
{
	const struct resource *r;

	for (; (r = requested_region(*next)) && r->start < limit; (*next)++)
		if (!in_ram(r))
			seq_buf_printf(s, "%08llx-%08llx : %s\n", (unsigned long long)r->start,
				       (unsigned long long)r->end, r->name);
}

/*
 * /proc/iomem: RAM from the device tree, with the kernel and reservations
 * inside, the regions claimed in reservations nested in them, and those
 * claimed outside RAM beside it.
 */
static long req_iomem(const struct vmm_request *req, struct vmm_message *reply)
{
	struct resource children[4 + MAX_BOOT_RANGES];
	unsigned int next = 0;
	struct seq_buf s;

	(void)req;
	seq_buf_init(&s, channel_data(), channel_data_size());
	for (unsigned i = 0; i < boot_info.nr_ram; i++) {
		const struct boot_range *ram = &boot_info.ram[i];
		unsigned n = collect_children(ram, children, ARRAY_SIZE(children));

		show_outside(&s, &next, ram->base);
		seq_buf_printf(&s, "%08llx-%08llx : System RAM\n", (unsigned long long)ram->base,
			       (unsigned long long)(ram->base + ram->size - 1));
		for (unsigned j = 0; j < n; j++) {
			seq_buf_printf(&s, "  %08llx-%08llx : %s\n",
				       (unsigned long long)children[j].start,
				       (unsigned long long)children[j].end, children[j].name);
			if (!strcmp(children[j].name, "Reserved"))
				show_claims(&s, children[j].start, children[j].end, 1);
		}
	}
	show_outside(&s, &next, ~0ULL);
	return finish_text(&s, reply);
}

static long req_kernel_maps(const struct vmm_request *req, struct vmm_message *reply)
{
	int n = kernel_maps_export(channel_data(), channel_data_size());

	(void)req;
	if (n < 0)
		return -ENOSPC;
	reply->val[0] = n;
	reply->len = n * sizeof(struct vmm_kmap);
	return 0;
}

static const request_fn request_table[VMM_REQ_NR] = {
	[VMM_REQ_ECHO]		= req_echo,
	[VMM_REQ_IOMEM]		= req_iomem,
	[VMM_REQ_CMDLINE]	= req_cmdline,
	[VMM_REQ_KERNEL_MAPS]	= req_kernel_maps,
	[VMM_REQ_PROVOKE]	= req_provoke,
	[VMM_REQ_ALLOC_PAGES]	= req_alloc_pages,
	[VMM_REQ_FREE_PAGES]	= req_free_pages,
	[VMM_REQ_BUDDYINFO]	= req_buddyinfo,
	[VMM_REQ_ZONEINFO]	= req_zoneinfo,
	[VMM_REQ_ZONES]		= req_zones,
	[VMM_REQ_FREE_BLOCKS]	= req_free_blocks,
	[VMM_REQ_DRAIN_PAGES]	= req_drain_pages,
	[VMM_REQ_PLANT]		= req_plant,
	[VMM_REQ_SPAWN]		= req_spawn,
	[VMM_REQ_RUN]		= req_run,
	[VMM_REQ_FORK]		= req_fork,
	[VMM_REQ_EXIT]		= req_exit,
	[VMM_REQ_MAPS]		= req_maps,
	[VMM_REQ_SMAPS]		= req_smaps,
	[VMM_REQ_FILE_CREATE]	= req_file_create,
	[VMM_REQ_MEMINFO]	= req_meminfo,
	[VMM_REQ_PAGE_CACHE]	= req_page_cache,
	[VMM_REQ_MM]		= req_mm,
	[VMM_REQ_VMAS]		= req_vmas,
	[VMM_REQ_TASKS]		= req_tasks,
	[VMM_REQ_MEM_MAP]	= req_mem_map,
	[VMM_REQ_KMALLOC]	= req_kmalloc,
	[VMM_REQ_KFREE]		= req_kfree,
	[VMM_REQ_KREALLOC]	= req_krealloc,
	[VMM_REQ_CACHE_CREATE]	= req_cache_create,
	[VMM_REQ_CACHE_ALLOC]	= req_cache_alloc,
	[VMM_REQ_CACHE_FREE]	= req_cache_free,
	[VMM_REQ_CACHE_DESTROY]	= req_cache_destroy,
	[VMM_REQ_CACHE_SHRINK]	= req_cache_shrink,
	[VMM_REQ_SLABINFO]	= req_slabinfo,
	[VMM_REQ_VMALLOC]	= req_vmalloc,
	[VMM_REQ_VFREE]		= req_vfree,
	[VMM_REQ_VMALLOCINFO]	= req_vmallocinfo,
	[VMM_REQ_POKE]		= req_poke,
	[VMM_REQ_VMAP_AREAS]	= req_vmap_areas,
	[VMM_REQ_SLABS]		= req_slabs,
	[VMM_REQ_KTHREAD]	= req_kthread,
	[VMM_REQ_KTHREAD_STOP]	= req_kthread_stop,
	[VMM_REQ_FIND_VMA]	= req_find_vma,
	[VMM_REQ_IOREMAP]	= req_ioremap,
	[VMM_REQ_IOUNMAP]	= req_iounmap,
	[VMM_REQ_REQUEST_REGION] = req_request_region,
	[VMM_REQ_RELEASE_REGION] = req_release_region,
	[VMM_REQ_FAULT_ATTR]	= req_fault_attr,
	[VMM_REQ_FAULT_STATS]	= req_fault_stats,
	[VMM_REQ_TASK_FAIL]	= req_task_fail,
};

__noreturn void serve_requests(void)
{
	struct vmm_message reply = { .val[0] = __pa(init_top_pgt) };

	mailbox->msg = reply;
	channel_send(VMM_MSG_READY);
	for (;;) {
		struct vmm_request req = mailbox->req;
		request_fn fn = req.code < VMM_REQ_NR ? request_table[req.code] : NULL;

		reply = (struct vmm_message){ .seq = req.seq };
		reply.status = fn ? fn(&req, &reply) : -ENOSYS;
		fault_current = NULL;	/* the next request may be the kernel's own */
		mailbox->msg = reply;
		channel_send(VMM_MSG_REPLY);
	}
}
