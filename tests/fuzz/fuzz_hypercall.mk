# SPDX-License-Identifier: Apache-2.0
# The partition core exactly as tests/unit/test_partition.mk links it (unit-partition),
# plus the shared set-up.
fuzz-part-env = tests/fuzz/part_env.c $(unit-partition)
fuzz-hypercall := $(fuzz-part-env)
fuzz-hypercall-max-len := 520
fuzz-hypercall-dtb-seeds := no
fuzz-hypercall-smoke-runs := 20000
