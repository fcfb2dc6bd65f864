// SPDX-License-Identifier: MIT
/*
 * The scenario's I/O memory requests: ioremap() and iounmap() (areas in
 * /proc/vmallocinfo), request_mem_region() and release_mem_region()
 * (lines in /proc/iomem).
 */
#include <linux/channel.h>
#include <linux/errno.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/vmalloc.h>
#include "io_requests.h"

long req_ioremap(const struct vmm_request *req, struct vmm_message *reply)
{
	void *addr = ioremap(req->arg[0], req->arg[1]);

	if (!addr)
		return -EINVAL;
	reply->val[0] = (unsigned long)addr;
	return 0;
}

long req_iounmap(const struct vmm_request *req, struct vmm_message *reply)
{
	struct vm_struct *area = find_vm_area((void *)req->arg[0]);

	(void)reply;
	if (!area || !(area->flags & VM_IOREMAP))
		return -EINVAL;
	iounmap((void *)req->arg[0]);
	return 0;
}

long req_request_region(const struct vmm_request *req, struct vmm_message *reply)
{
	(void)reply;
	return request_mem_region(req->arg[0], req->arg[1], mailbox->req_data,
				  min(req->data_len, VMM_REQ_DATA_SIZE));
}

long req_release_region(const struct vmm_request *req, struct vmm_message *reply)
{
	(void)reply;
	return release_mem_region(req->arg[0], req->arg[1]);
}
