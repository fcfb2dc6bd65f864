/* SPDX-License-Identifier: MIT */
/*
 * The machine a scenario asks for (its `vm` line), with defaults for every
 * option: `vm` alone, or no vm line at all, gives a 64 MiB guest, seed 0.
 */
#ifndef HOST_MACHINE_H
#define HOST_MACHINE_H

#include <stdint.h>

#include "scenario/scenario.h"

#define MACHINE_DEFAULT_MEMORY	(64ULL << 20)
#define MACHINE_MIN_MEMORY	(4ULL << 20)
#define MACHINE_MAX_MEMORY	(64ULL << 30)
#define MACHINE_DMA_END		(16ULL << 20)	/* Linux's x86-64 zone limits */
#define MACHINE_DMA32_END	(4ULL << 30)

struct machine {
	uint64_t memory;	/* bytes of RAM, a multiple of 4 KiB */
	uint64_t seed;
	uint64_t zone_dma_end;		/* ZONE_DMA is [0, zone_dma_end) */
	uint64_t zone_dma32_end;	/* ZONE_DMA32 is [zone_dma_end, zone_dma32_end) */
	char bootargs[1024];	/* the vm line's options, as the guest's command line */
};

/* Fill m from the scenario's vm statement (if any); errors point at the option. */
int machine_configure(struct scenario *sc, struct machine *m, struct scenario_error *err);

/* "64M", "0x1000", "2G", "4096" -> bytes; -1 on syntax error or overflow. */
int parse_size(const char *s, uint64_t *out);

#endif
