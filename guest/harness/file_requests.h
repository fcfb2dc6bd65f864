/* SPDX-License-Identifier: MIT */
/* Request handlers of file_requests.c, for the table in requests.c and for req_plant(). */
#ifndef _HARNESS_FILE_REQUESTS_H
#define _HARNESS_FILE_REQUESTS_H

#include "shared/channel.h"

struct task_struct;

long req_file_create(const struct vmm_request *req, struct vmm_message *reply);
long req_meminfo(const struct vmm_request *req, struct vmm_message *reply);
long req_page_cache(const struct vmm_request *req, struct vmm_message *reply);
/* The VMM_PLANT_* kinds about files and raw frames: 0 or -errno. */
long plant_file(unsigned long kind, struct task_struct *task, unsigned long va);

#endif
