/* SPDX-License-Identifier: MIT */
/* Request handlers of slab_requests.c, for the table in requests.c. */
#ifndef _HARNESS_SLAB_REQUESTS_H
#define _HARNESS_SLAB_REQUESTS_H

#include "shared/channel.h"

long req_kmalloc(const struct vmm_request *req, struct vmm_message *reply);
long req_kfree(const struct vmm_request *req, struct vmm_message *reply);
long req_krealloc(const struct vmm_request *req, struct vmm_message *reply);
long req_cache_create(const struct vmm_request *req, struct vmm_message *reply);
long req_cache_alloc(const struct vmm_request *req, struct vmm_message *reply);
long req_cache_free(const struct vmm_request *req, struct vmm_message *reply);
long req_cache_destroy(const struct vmm_request *req, struct vmm_message *reply);
long req_cache_shrink(const struct vmm_request *req, struct vmm_message *reply);
long req_slabinfo(const struct vmm_request *req, struct vmm_message *reply);
long req_vmalloc(const struct vmm_request *req, struct vmm_message *reply);
long req_vfree(const struct vmm_request *req, struct vmm_message *reply);
long req_vmallocinfo(const struct vmm_request *req, struct vmm_message *reply);
long req_poke(const struct vmm_request *req, struct vmm_message *reply);
long req_vmap_areas(const struct vmm_request *req, struct vmm_message *reply);
long req_slabs(const struct vmm_request *req, struct vmm_message *reply);

#endif
