/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Error numbers. Functions that can fail return 0 or a negative value of these. The values
 * match the host C library's so host tools may include both headers.
 */
#pragma once

#define EPERM 1
#define ENOENT 2
#define EIO 5
#define E2BIG 7
#define ENOEXEC 8
#define ENOMEM 12
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define EINVAL 22
#define ENOSPC 28
#define ERANGE 34
#define ENAMETOOLONG 36
#define ENODATA 61
#define EBADMSG 74
#define EOVERFLOW 75
#define EOPNOTSUPP 95
#define ETIMEDOUT 110

/* A short name for an error code, for messages ("ENOMEM"); "E?" when unknown. */
const char *errno_name(int err);
