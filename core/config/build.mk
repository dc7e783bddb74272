# SPDX-License-Identifier: Apache-2.0
hv-y += core/config/parse.o core/config/check.o core/config/names.o core/config/binding.o \
    core/config/devices.o core/config/xen_shm.o core/config/dma.o core/config/config_print.o core/config/config_boot.o
# Test-only properties ("bulkhead,test-expect"): only the test monitor reads them.
hv-$(CONFIG_TEST_MONITOR) += core/config/test_props.o
