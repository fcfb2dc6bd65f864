// SPDX-License-Identifier: MIT
/*
 * The kernel services the mm code calls, for the native build: printk goes
 * to stderr (its format carries the newline, as in Linux), panic aborts (Check reports the abort as an error in the test
 * that caused it).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/printk.h>

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
