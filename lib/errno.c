// SPDX-License-Identifier: Apache-2.0
#include <hv/errno.h>

const char *errno_name(int err)
{
    static const struct {
        int code;
        const char *name;
    } names[] = {
        {EPERM, "EPERM"},
        {ENOENT, "ENOENT"},
        {EIO, "EIO"},
        {E2BIG, "E2BIG"},
        {ENOEXEC, "ENOEXEC"},
        {ENOMEM, "ENOMEM"},
        {EFAULT, "EFAULT"},
        {EBUSY, "EBUSY"},
        {EEXIST, "EEXIST"},
        {ENODEV, "ENODEV"},
        {EINVAL, "EINVAL"},
        {ENOSPC, "ENOSPC"},
        {ERANGE, "ERANGE"},
        {ENAMETOOLONG, "ENAMETOOLONG"},
        {ENODATA, "ENODATA"},
        {EBADMSG, "EBADMSG"},
        {EOVERFLOW, "EOVERFLOW"},
        {EOPNOTSUPP, "EOPNOTSUPP"},
        {ETIMEDOUT, "ETIMEDOUT"},
    };

    if (err < 0) {
        err = -err;
    }
    for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (names[i].code == err) {
            return names[i].name;
        }
    }
    return "E?";
}
