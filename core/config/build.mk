# SPDX-License-Identifier: Apache-2.0
hv-y += core/config/config.o core/config/config_print.o core/config/config_boot.o
