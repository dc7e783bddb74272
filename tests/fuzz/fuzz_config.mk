# SPDX-License-Identifier: Apache-2.0
fuzz-config := core/config/parse.c core/config/check.c core/config/names.c core/config/binding.c \
    core/config/devices.c core/config/xen_shm.c core/config/dma.c \
    core/config/test_props.c core/config/images.c core/config/config_print.c lib/fdt.c lib/printf.c lib/errno.c
# As for fdt: the seeds are at most about 6 KiB, the cost per input grows with its size.
fuzz-config-max-len := 16384
