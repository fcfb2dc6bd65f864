/* SPDX-License-Identifier: MIT */
/* Request handlers of io_requests.c, for the table in requests.c. */
#ifndef _HARNESS_IO_REQUESTS_H
#define _HARNESS_IO_REQUESTS_H

#include "shared/channel.h"

long req_ioremap(const struct vmm_request *req, struct vmm_message *reply);
long req_iounmap(const struct vmm_request *req, struct vmm_message *reply);
long req_request_region(const struct vmm_request *req, struct vmm_message *reply);
long req_release_region(const struct vmm_request *req, struct vmm_message *reply);

#endif
