# SPDX-License-Identifier: Apache-2.0
# The generic core, one folder per subsystem; each folder lists its own objects.
hv-y += core/console.o core/panic.o core/cpus.o
# The lock-order checker: debug builds only (Kconfig DEBUG).
hv-$(CONFIG_DEBUG) += core/lockorder.o
include $(srctree)/core/boot/build.mk $(srctree)/core/config/build.mk $(srctree)/core/mm/build.mk \
    $(srctree)/core/partition/build.mk $(srctree)/core/vdev/build.mk
