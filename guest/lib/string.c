// SPDX-License-Identifier: MIT
/*
 * The string functions the kernel and Debian's libfdt.a need.  memcpy and
 * memset use `rep movsq/stosq` for whole words, then `rep movsb/stosb`
 * for the tail (Linux's memset_orig does the same): one instruction for
 * the whole range where instructions are emulated in chunks (kvm_pvm),
 * and one per word rather than per byte where each repetition counts as
 * an instruction (QEMU's TCG).
 */
#include <linux/types.h>
#include <string.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	void *ret = dst;
	size_t words = n / 8, tail = n % 8;

	asm volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(words) : : "memory");
	asm volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(tail) : : "memory");
	return ret;
}

void *memset(void *s, int c, size_t n)
{
	void *ret = s;
	size_t words = n / 8, tail = n % 8;
	unsigned long v = 0x0101010101010101UL * (unsigned char)c;

	asm volatile("rep stosq" : "+D"(s), "+c"(words) : "a"(v) : "memory");
	asm volatile("rep stosb" : "+D"(s), "+c"(tail) : "a"(v) : "memory");
	return ret;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	/* Overlapping with dst above src: downwards, the odd bytes at the end first. */
	for (; n % 8; n--)
		d[n - 1] = s[n - 1];
	for (; n; n -= 8)
		*(u64 *)(d + n - 8) = *(const u64 *)(s + n - 8);
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

/* (v - 0x01..01) & ~v & 0x80..80: non-zero iff a byte of v is zero (Linux's has_zero()). */
static inline unsigned long has_zero(unsigned long v)
{
	return (v - 0x0101010101010101UL) & ~v & 0x8080808080808080UL;
}

/* A word at a time where n allows: printk looks for the newline in every line. */
void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	unsigned long pattern = 0x0101010101010101UL * (unsigned char)c, v;

	for (; n >= 8; n -= 8, p += 8) {
		v = *(const unsigned long *)p;	/* x86 loads unaligned words */
		if (has_zero(v ^ pattern))
			break;
	}
	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

/*
 * A word at a time.  Words are read aligned, so a read never crosses into
 * the next page; the bytes before s in the first word are made non-zero.
 */
size_t strlen(const char *s)
{
	unsigned long shift = 8 * ((unsigned long)s & 7);
	const unsigned long *w = (const unsigned long *)((unsigned long)s & ~7UL);
	unsigned long v = *w | ((1UL << shift) - 1), zero;

	while (!(zero = has_zero(v)))
		v = *++w;
	return (const char *)w + __builtin_ctzl(zero) / 8 - s;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
