# SPDX-License-Identifier: Apache-2.0
# The partition sources of fuzz_hypercall.mk (fuzz-part-env).
fuzz-guest_dtb = $(fuzz-part-env)
fuzz-guest_dtb-max-len := 1024
fuzz-guest_dtb-dtb-seeds := no
fuzz-guest_dtb-smoke-runs := 20000
