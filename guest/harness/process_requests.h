/* SPDX-License-Identifier: MIT */
/* Request handlers of process_requests.c, for the table in requests.c. */
#ifndef _HARNESS_PROCESS_REQUESTS_H
#define _HARNESS_PROCESS_REQUESTS_H

#include "shared/channel.h"

long req_spawn(const struct vmm_request *req, struct vmm_message *reply);
long req_run(const struct vmm_request *req, struct vmm_message *reply);
long req_fork(const struct vmm_request *req, struct vmm_message *reply);
long req_exit(const struct vmm_request *req, struct vmm_message *reply);
long req_maps(const struct vmm_request *req, struct vmm_message *reply);
long req_smaps(const struct vmm_request *req, struct vmm_message *reply);
long req_mm(const struct vmm_request *req, struct vmm_message *reply);
long req_vmas(const struct vmm_request *req, struct vmm_message *reply);
long req_tasks(const struct vmm_request *req, struct vmm_message *reply);
long req_mem_map(const struct vmm_request *req, struct vmm_message *reply);
long req_kthread(const struct vmm_request *req, struct vmm_message *reply);
long req_kthread_stop(const struct vmm_request *req, struct vmm_message *reply);
long req_find_vma(const struct vmm_request *req, struct vmm_message *reply);

#endif
