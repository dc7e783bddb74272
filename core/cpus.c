// SPDX-License-Identifier: Apache-2.0
/*
 * Which CPUs have come online (include/hv/boot.h). Kept apart from the boot sequence
 * (core/boot/) because the partitions read it too, and the boot sequence calls into the
 * partitions: the count sits below both.
 */
#include <hv/boot.h>

static unsigned int cpus_online;

unsigned int hv_cpus_online(void)
{
    return __atomic_load_n(&cpus_online, __ATOMIC_ACQUIRE);
}

void hv_cpu_set_online(void)
{
    __atomic_fetch_add(&cpus_online, 1, __ATOMIC_RELEASE);
}
