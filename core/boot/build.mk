# SPDX-License-Identifier: Apache-2.0
hv-y += core/boot/boot.o core/boot/dtb_blob.o
# The test harness's run nonce: test builds only.
hv-$(CONFIG_TEST_EXIT) += core/boot/test_nonce.o
