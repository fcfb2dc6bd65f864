/* SPDX-License-Identifier: MIT */
/* What the native seam (tests/native/seam.c) records for tests to check. */
#ifndef _NATIVE_SEAM_H
#define _NATIVE_SEAM_H

#define NATIVE_BAD_PAGE_KEEP	16

struct native_bad_page {
	unsigned long pfn;
	const char *reason;
};

/* report_bad_page() calls so far; the last NATIVE_BAD_PAGE_KEEP are kept, oldest first. */
extern unsigned int native_bad_page_count;
extern struct native_bad_page native_bad_pages[NATIVE_BAD_PAGE_KEEP];

/* The most recent report; only valid when native_bad_page_count > 0. */
static inline const struct native_bad_page *native_last_bad_page(void)
{
	return &native_bad_pages[(native_bad_page_count - 1) % NATIVE_BAD_PAGE_KEEP];
}

#endif
