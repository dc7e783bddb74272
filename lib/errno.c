// SPDX-License-Identifier: Apache-2.0
#include <hv/errno.h>
#include <hv/types.h>

/* A name indexed by its positive code: written once, so code and name cannot disagree. */
#define ERRNO_NAME(code) [code] = #code

const char *errno_name(int err)
{
    /* Every code of include/hv/errno.h; the gaps are NULL. */
    static const char *const names[] = {
        ERRNO_NAME(EPERM),     ERRNO_NAME(ENOENT),       ERRNO_NAME(EIO),      ERRNO_NAME(E2BIG),
        ERRNO_NAME(ENOEXEC),   ERRNO_NAME(ENOMEM),       ERRNO_NAME(EFAULT),   ERRNO_NAME(EBUSY),
        ERRNO_NAME(EEXIST),    ERRNO_NAME(ENODEV),       ERRNO_NAME(EINVAL),   ERRNO_NAME(ENOSPC),
        ERRNO_NAME(ERANGE),    ERRNO_NAME(ENAMETOOLONG), ERRNO_NAME(ENODATA),  ERRNO_NAME(EBADMSG),
        ERRNO_NAME(EOVERFLOW), ERRNO_NAME(EOPNOTSUPP),   ERRNO_NAME(ETIMEDOUT)};
    /* Negated in unsigned arithmetic: -INT_MIN would overflow. */
    unsigned int i = err < 0 ? 0U - (unsigned int)err : (unsigned int)err;

    return i < sizeof(names) / sizeof(names[0]) && names[i] != NULL ? names[i] : "E?";
}
