// SPDX-License-Identifier: MIT
/*
 * The kernel services the mm code calls, for the native build: printk goes
 * to stderr (its format carries the newline, as in Linux), panic aborts (Check reports the abort as an error in the test
 * that caused it).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/mm.h>
#include <linux/printk.h>
#include <native/seam.h>

unsigned char *native_phys_base;

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(stderr, fmt, ap);
	va_end(ap);
	return n;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("native panic: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

unsigned int native_bad_page_count;
struct native_bad_page native_bad_pages[NATIVE_BAD_PAGE_KEEP];

/* The guest forwards bad pages to the host; natively, tests read them here. */
void report_bad_page(unsigned long pfn, const char *reason)
{
	struct native_bad_page *r = &native_bad_pages[native_bad_page_count % NATIVE_BAD_PAGE_KEEP];

	r->pfn = pfn;
	r->reason = reason;
	native_bad_page_count++;
}
