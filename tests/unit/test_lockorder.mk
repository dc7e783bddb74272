# SPDX-License-Identifier: Apache-2.0
unit-lockorder := tests/unit/fake/fake_console.c core/lockorder.c core/panic.c lib/printf.c lib/errno.c
