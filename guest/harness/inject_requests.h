/* SPDX-License-Identifier: MIT */
/* Request handlers of inject_requests.c, for the table in requests.c. */
#ifndef _HARNESS_INJECT_REQUESTS_H
#define _HARNESS_INJECT_REQUESTS_H

#include "shared/channel.h"

long req_fault_attr(const struct vmm_request *req, struct vmm_message *reply);
long req_fault_stats(const struct vmm_request *req, struct vmm_message *reply);
long req_task_fail(const struct vmm_request *req, struct vmm_message *reply);

#endif
