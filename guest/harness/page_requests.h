/* SPDX-License-Identifier: MIT */
/* Request handlers of page_requests.c, for the table in requests.c. */
#ifndef _HARNESS_PAGE_REQUESTS_H
#define _HARNESS_PAGE_REQUESTS_H

#include "shared/channel.h"

long req_alloc_pages(const struct vmm_request *req, struct vmm_message *reply);
long req_free_pages(const struct vmm_request *req, struct vmm_message *reply);
long req_buddyinfo(const struct vmm_request *req, struct vmm_message *reply);
long req_zoneinfo(const struct vmm_request *req, struct vmm_message *reply);
long req_zones(const struct vmm_request *req, struct vmm_message *reply);
long req_drain_pages(const struct vmm_request *req, struct vmm_message *reply);
long req_free_blocks(const struct vmm_request *req, struct vmm_message *reply);

#endif
