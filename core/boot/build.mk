# SPDX-License-Identifier: Apache-2.0
hv-y += core/boot/boot.o core/boot/dtb_blob.o
