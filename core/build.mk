# SPDX-License-Identifier: Apache-2.0
hv-y += core/boot.o core/console.o core/panic.o core/dtb_blob.o
hv-y += core/lockorder.o
