# SPDX-License-Identifier: Apache-2.0
unit-lockorder := core/lockorder.c core/panic.c lib/printf.c lib/errno.c
