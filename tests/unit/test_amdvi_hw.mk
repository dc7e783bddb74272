# SPDX-License-Identifier: Apache-2.0
unit-amdvi_hw := drivers/iommu/amd-vi/amdvi_hw.c lib/printf.c lib/string.c
