# SPDX-License-Identifier: Apache-2.0
# arch/x86/pvh.c (the PVH boot information) on the host, against a hand-made configuration.
unit-x86_pvh := arch/x86/pvh.c lib/string.c
