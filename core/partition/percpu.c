// SPDX-License-Identifier: Apache-2.0
/* Per-CPU data (include/hv/percpu.h). */
#include <hv/percpu.h>

struct percpu hv_percpu[CONFIG_NR_CPUS];
