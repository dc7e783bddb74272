# SPDX-License-Identifier: Apache-2.0
fuzz-ivrs := drivers/iommu/amd-vi/ivrs.c lib/string.c lib/errno.c
