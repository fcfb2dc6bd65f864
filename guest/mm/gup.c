// SPDX-License-Identifier: MIT
/*
 * The kernel's access to the current process's memory for read(), write(),
 * fstat() and open()'s path (Linux's copy_to_user() family).  Rather than
 * touching user addresses and recovering from the fault through an
 * exception table, each page is looked up as get_user_pages() does: the
 * VMA must allow the access, the page is faulted in as a user access
 * would (a write breaks COW, a file's page comes from the page cache),
 * and the kernel copies through the direct map.  A bad address is EFAULT,
 * never an oops.
 */
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mm_vma.h>
#include <linux/sched.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <string.h>

int handle_mm_fault(struct vm_area_struct *vma, unsigned long addr, bool write);

/* The kernel address of user address addr, faulted in for the access; NULL: EFAULT. */
static void *user_addr(unsigned long addr, bool write)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	pteval_t *pte;

	if (addr >= TASK_SIZE)
		return NULL;
	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr)
		return NULL;
	if (!(vma->vm_flags & (write ? VM_WRITE : VM_READ)))
		return NULL;
	pte = follow_pte(mm, addr);
	if (!pte || (write && !(*pte & _PAGE_RW))) {
		if (handle_mm_fault(vma, addr, write))
			return NULL;
		pte = follow_pte(mm, addr);
		if (!pte)
			return NULL;
	}
	/* The kernel writes as the CPU would have: the page is dirty. */
	if (write)
		*pte |= _PAGE_DIRTY;
	*pte |= _PAGE_ACCESSED;
	return (char *)__va(*pte & PTE_PFN_MASK) + offset_in_page(addr);
}

/* n bytes between kernel buffer k and user address u, page by page. */
static int copy_user(void *k, unsigned long u, size_t n, bool to_user)
{
	while (n) {
		size_t chunk = min(n, PAGE_SIZE - offset_in_page(u));
		void *p = user_addr(u, to_user);

		if (!p)
			return -EFAULT;
		if (to_user)
			memcpy(p, k, chunk);
		else
			memcpy(k, p, chunk);
		k = (char *)k + chunk;
		u += chunk;
		n -= chunk;
	}
	return 0;
}

int copy_to_user(void *to, const void *from, size_t n)
{
	return copy_user((void *)from, (unsigned long)to, n, true);
}

int copy_from_user(void *to, const void *from, size_t n)
{
	return copy_user(to, (unsigned long)from, n, false);
}

long strncpy_from_user(char *dst, const char *src, long count)
{
	for (long i = 0; i < count; i++) {
		if (copy_from_user(&dst[i], src + i, 1))
			return -EFAULT;
		if (!dst[i])
			return i;
	}
	return -ENAMETOOLONG;
}
