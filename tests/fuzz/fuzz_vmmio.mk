# SPDX-License-Identifier: Apache-2.0
# The partition sources of fuzz_hypercall.mk (fuzz-part-env).
fuzz-vmmio = $(fuzz-part-env)
fuzz-vmmio-max-len := 401
fuzz-vmmio-dtb-seeds := no
fuzz-vmmio-smoke-runs := 20000
