/* SPDX-License-Identifier: MIT */
/* Linux's errno values (the native build has its own copy of this header). */
#ifndef _LINUX_ERRNO_H
#define _LINUX_ERRNO_H

#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EIO		5
#define ENXIO		6
#define E2BIG		7
#define EBADF		9
#define EAGAIN		11
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define EISDIR		21
#define EINVAL		22
#define EMFILE		24
#define EFBIG		27
#define ENOSPC		28
#define ESPIPE		29
#define ERANGE		34
#define ENAMETOOLONG	36
#define ENOSYS		38
#define EOVERFLOW	75

#endif
