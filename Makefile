# SPDX-License-Identifier: Apache-2.0
#
# Bulkhead build. Run from the top of the tree:
#   make <board>[_<layout>]_defconfig    configure (configs/), into $(O)/.config
#   make [O=dir] [V=1]                   build the hypervisor image (default O=out)
#   make menuconfig | olddefconfig | savedefconfig
#   make image | run | check | bench | fuzz | format | format-check | clean
# With no configuration, the first build uses qemu_arm64_virt_defconfig.

VERSION := 0.1.0

MAKEFLAGS += --no-builtin-rules --no-builtin-variables
.SUFFIXES:
SHELL := /bin/bash
.DEFAULT_GOAL := all

srctree := $(CURDIR)
O ?= out
override O := $(abspath $(O))
PYTHON := /usr/bin/python3
KCONFIG_CONFIG := $(O)/.config
export KCONFIG_CONFIG
KCONF := KCONFIG=$(srctree)/Kconfig $(PYTHON) $(srctree)/tools/kconfig.py
DEFAULT_DEFCONFIG := qemu_arm64_virt_linux_defconfig
AUTOCONF_MK := $(O)/include/config/auto.conf
AUTOCONF_H := $(O)/include/generated/autoconf.h
AUTOCONF_STAMP := $(O)/include/config/.genconfig
KCONFIG_FILES := $(shell find $(srctree) -name Kconfig -not -path '$(O)/*' -not -path '*/.git/*')

GIT_REV := $(shell git -C $(srctree) describe --always --dirty 2>/dev/null)
VERSION_STRING := $(VERSION)$(if $(GIT_REV),-g$(GIT_REV))

ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = @printf '  %-7s %s\n' '$(1)' '$(patsubst $(O)/%,%,$(2))';
endif

# Two-command start: on a fresh machine `make run` / `make check` / `make bench` first install
# the host packages. This runs while the Makefile is read, because reading the configuration
# already needs kconfiglib.
ifneq ($(filter run check bench,$(MAKECMDGOALS)),)
ifneq ($(shell $(srctree)/tools/setup --check >/dev/null 2>&1 && echo ok),ok)
$(info tools/setup: installing missing host packages)
SETUP_STATUS := $(shell $(srctree)/tools/setup >&2; echo $$?)
$(if $(filter 0,$(SETUP_STATUS)),,$(error tools/setup failed; see above))
endif
endif

# Goals that need no configuration.
no-config-goals := %_defconfig menuconfig olddefconfig savedefconfig help clean distclean \
    check unit format format-check setup fuzz fuzz-smoke fuzz-build bench host-tools
need-config := $(if $(MAKECMDGOALS),$(filter-out $(no-config-goals),$(MAKECMDGOALS)),all)

WARNINGS := -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes -Wshadow -Wvla

# ---------------------------------------------------------------------------------------------
# Configuration

%_defconfig:
	$(Q)mkdir -p $(O)
	$(Q)test -f $(srctree)/configs/$@ || { echo "no such configuration: configs/$@" >&2; exit 1; }
	$(Q)$(KCONF) defconfig $(srctree)/configs/$@ $(EXTRA_CONFIG)
	@echo "  CONF    $@ -> $(KCONFIG_CONFIG)"

menuconfig olddefconfig: | $(KCONFIG_CONFIG)
	$(Q)$(KCONF) $@

savedefconfig: | $(KCONFIG_CONFIG)
	$(Q)$(KCONF) savedefconfig $(O)/defconfig
	@echo "  SAVE    $(O)/defconfig"

$(KCONFIG_CONFIG):
	@echo "  CONF    no configuration in $(O): using $(DEFAULT_DEFCONFIG)"
	$(Q)mkdir -p $(O)
	$(Q)$(KCONF) defconfig $(srctree)/configs/$(DEFAULT_DEFCONFIG)

# kconfiglib rewrites auto.conf and autoconf.h only when their contents change (autoconf.h has
# no layout, tools/kconfig.py), so that only what depends on a changed value is rebuilt; the
# stamp records that they were generated from the current .config.
$(AUTOCONF_STAMP): $(KCONFIG_CONFIG) $(KCONFIG_FILES)
	$(Q)mkdir -p $(dir $(AUTOCONF_MK)) $(dir $(AUTOCONF_H))
	$(Q)$(KCONF) olddefconfig
	$(Q)$(KCONF) genconfig $(AUTOCONF_H) $(AUTOCONF_MK)
	$(Q)touch $@

$(AUTOCONF_MK) $(AUTOCONF_H): $(AUTOCONF_STAMP) ;

ifneq ($(need-config),)
-include $(AUTOCONF_MK)
endif

unquote = $(patsubst "%",%,$(1))
ARCH := $(call unquote,$(CONFIG_ARCH))
CROSS_COMPILE := $(call unquote,$(CONFIG_CROSS_COMPILE))

# ---------------------------------------------------------------------------------------------
# The hypervisor image

CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
HOSTCC := gcc

HV_CFLAGS := -std=c11 $(WARNINGS) -O2 -g -ffreestanding -fno-pie -fno-stack-protector \
    -fno-common -ffunction-sections -fdata-sections
HV_CPPFLAGS = -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
    -I$(srctree)/include -I$(srctree)/arch/$(ARCH)/include -I$(O)/include \
    -include $(AUTOCONF_H) -DBULKHEAD_VERSION='"$(VERSION_STRING)"' -MMD -MP

hv-y :=
ifneq ($(ARCH),)
include $(srctree)/core/build.mk $(srctree)/lib/build.mk $(srctree)/drivers/build.mk
include $(srctree)/tests/selftest/build.mk
include $(srctree)/arch/$(ARCH)/build.mk
endif
hv-objs := $(addprefix $(O)/obj/,$(sort $(hv-y)))

# The configuration DTB: board DTS + partition layout, through cpp and dtc.
BOARD_DTS := $(call unquote,$(CONFIG_BOARD_DTS))
LAYOUT := $(call unquote,$(CONFIG_PARTITION_LAYOUT))
DTB := $(O)/dts/bulkhead.dtb
DTC_CPPFLAGS := -nostdinc -undef -x assembler-with-cpp -I$(srctree)/dts -I$(srctree)/dts/include
# Checks run on the configured DTB before it is embedded (bulkhead-check joins here).
DTB_CHECKS :=

$(O)/dts/config.dts: $(AUTOCONF_MK)
	$(Q)mkdir -p $(@D)
	$(Q){ printf '/* Generated from $(KCONFIG_CONFIG), layout "$(LAYOUT)" */\n#include "$(srctree)/$(BOARD_DTS)"\n'; \
	  $(if $(LAYOUT),printf '#include "$(if $(filter /%,$(LAYOUT)),,$(srctree)/)$(LAYOUT)"\n';) } > $@.tmp
	$(Q)cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

$(DTB): $(O)/dts/config.dts
	$(call say,DTC,$@)
	$(Q)cpp $(DTC_CPPFLAGS) -MD -MP -MF $@.d -MT $@ $< -o $(O)/dts/bulkhead.pp.dts
	$(Q)dtc -q -I dts -O dtb -o $@.tmp $(O)/dts/bulkhead.pp.dts
	$(Q)$(foreach c,$(DTB_CHECKS),$(c) $@.tmp &&) mv $@.tmp $@
	@# Without a layout nothing is staged: a list a previous layout left must not be loaded.
	$(if $(LAYOUT),,$(Q)rm -f $(STAGED_LIST))

$(O)/obj/%.o: $(srctree)/%.c $(AUTOCONF_H)
	$(call say,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(HV_CPPFLAGS) $(HV_CFLAGS) $(ARCH_CFLAGS) -c $< -o $@

$(O)/obj/%.o: $(srctree)/%.S $(AUTOCONF_H)
	$(call say,AS,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(HV_CPPFLAGS) $(ARCH_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(O)/obj/core/boot/dtb_blob.o: $(DTB)
$(O)/obj/core/boot/dtb_blob.o: HV_CPPFLAGS += -DDTB_PATH='"$(DTB)"'
# The layout reaches the image only as the DTB and its name (hv_layout_name, config_boot.c):
# the C header has no CONFIG_PARTITION_LAYOUT (tools/kconfig.py), so choosing another layout
# rebuilds the DTB and these two objects and relinks. config.dts names the layout and changes
# with it.
$(O)/obj/core/config/config_boot.o: $(O)/dts/config.dts
$(O)/obj/core/config/config_boot.o: HV_CPPFLAGS += -DLAYOUT_NAME='"$(LAYOUT)"'

$(O)/hv.lds: $(srctree)/$(LDSCRIPT) $(AUTOCONF_H)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(HV_CPPFLAGS) -D__ASSEMBLY__ -P -E -x c $< -MT $@ -o $@

$(O)/bulkhead.elf: $(hv-objs) $(O)/hv.lds
	$(call say,LD,$@)
	$(Q)$(LD) -nostdlib -static --gc-sections --no-warn-rwx-segments --fatal-warnings -T $(O)/hv.lds \
	    -Map $(O)/bulkhead.map -o $@ $(hv-objs) $(shell $(CC) -print-libgcc-file-name)

all: $(HV_IMAGES)

-include $(shell find $(O)/obj $(O)/dts -name '*.d' 2>/dev/null) $(O)/hv.d

# ---------------------------------------------------------------------------------------------
# Host builds: unit tests, tools, fuzzers (no configuration needed)

HOST_O := $(O)/host
include $(srctree)/tests/unit/build.mk
-include $(wildcard $(srctree)/tools/build.mk $(srctree)/tests/fuzz/build.mk)
-include $(srctree)/guests/build.mk

# ---------------------------------------------------------------------------------------------
# Everything else

setup:
	$(Q)$(srctree)/tools/setup

check:
	$(Q)$(srctree)/tests/run --out $(O)/check

# Deterministic figures (instruction counts, table pages, sizes): every tests/bench/*.sh.
bench:
	$(Q)$(srctree)/tests/bench/run --out $(O)/bench

CLANG_FORMAT_FILES = $(shell git -C $(srctree) ls-files --cached --others --exclude-standard \
    '*.c' '*.h' | sed 's|^|$(srctree)/|')

format:
	$(Q)clang-format -i $(CLANG_FORMAT_FILES)

format-check:
	$(Q)clang-format --dry-run --Werror $(CLANG_FORMAT_FILES) && echo "  format-check: clean"

clean:
	$(Q)rm -rf $(O)/obj $(O)/dts $(O)/host $(O)/images $(O)/guests $(O)/bulkhead.* $(O)/hv.lds

distclean:
	$(Q)rm -rf $(O)

help:
	@sed -n '3,10p' $(srctree)/Makefile | sed 's/^# \{0,1\}//'
	@echo "Configurations:"; ls $(srctree)/configs | sed 's/^/  /'

.PHONY: all image run check unit setup format format-check clean distclean help \
    menuconfig olddefconfig savedefconfig fuzz fuzz-smoke bench host-tools
