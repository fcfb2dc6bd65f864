/* SPDX-License-Identifier: MIT */
/*
 * File system calls' flags and struct stat, Linux's x86-64 values and
 * layout: the guest's open() and fstat() take and fill them, and scenarios
 * name them (`open "/data" flags=O_RDWR`, `$st.size`).
 */
#ifndef SHARED_FCNTL_H
#define SHARED_FCNTL_H

#include <stdint.h>

#define O_ACCMODE	00000003
#define O_RDONLY	00000000
#define O_WRONLY	00000001
#define O_RDWR		00000002
#define O_CREAT		00000100
#define O_EXCL		00000200
#define O_TRUNC		00001000
#define O_APPEND	00002000

#define S_IFMT		00170000
#define S_IFREG		0100000
#define S_IFCHR		0020000

/* lseek() */
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#define SEEK_DATA	3
#define SEEK_HOLE	4

/* msync() */
#define MS_ASYNC	1
#define MS_INVALIDATE	2
#define MS_SYNC		4

/* x86-64's struct stat (arch/x86/include/uapi/asm/stat.h): 144 bytes. */
struct linux_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint64_t st_nlink;
	uint32_t st_mode;
	uint32_t st_uid;
	uint32_t st_gid;
	uint32_t __pad0;
	uint64_t st_rdev;
	int64_t st_size;
	int64_t st_blksize;
	int64_t st_blocks;	/* 512-byte units */
	uint64_t st_atime, st_atime_nsec;
	uint64_t st_mtime, st_mtime_nsec;
	uint64_t st_ctime, st_ctime_nsec;
	int64_t __unused[3];
};

_Static_assert(sizeof(struct linux_stat) == 144, "x86-64 struct stat is 144 bytes");

/* Linux's new_encode_dev() for small numbers: what st_dev and st_rdev hold. */
#define VMM_MKDEV(major, minor)	((uint64_t)(major) << 8 | (minor))

#endif
