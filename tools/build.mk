# SPDX-License-Identifier: Apache-2.0
#
# Host tools, built with the host compiler into $(HOST_O)/tools/ (no configuration needed):
#   bulkhead_check   the configuration validator (tools/bulkhead-check is its wrapper); it
#                    links the hypervisor's own core/config/ and lib/fdt.c, unchanged
#                    (with the test-only properties: it also validates test layouts).
# When a partition layout is configured, every DTB the build produces goes through it, so an
# invalid layout stops `make` with the node path and property of each error.

TOOL_CFLAGS := -std=c11 $(WARNINGS) -O2 -g
TOOL_CPPFLAGS := -I$(srctree)/include -D_DEFAULT_SOURCE -MMD -MP
bulkhead-check-srcs := tools/bulkhead_check.c core/config/parse.c core/config/check.c \
    core/config/names.c core/config/binding.c core/config/devices.c core/config/xen_shm.c core/config/dma.c \
    core/config/test_props.c core/config/images.c core/config/config_print.c lib/fdt.c lib/printf.c lib/errno.c
BULKHEAD_CHECK := $(HOST_O)/tools/bulkhead_check

$(HOST_O)/tools/obj/%.o: $(srctree)/%.c
	$(call say,HOSTCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(TOOL_CPPFLAGS) $(TOOL_CFLAGS) -c $< -o $@

$(BULKHEAD_CHECK): $(addprefix $(HOST_O)/tools/obj/,$(bulkhead-check-srcs:.c=.o))
	$(call say,HOSTLD,$@)
	$(Q)$(HOSTCC) $(TOOL_CFLAGS) -o $@ $^

host-tools: $(BULKHEAD_CHECK)

# Errors name the layout file; image paths are relative to the build directory $(O), where
# guests/build.mk builds the guest images. Each DTB_CHECKS entry is one word run as
# "<check> <dtb>", so the options go into a generated script.
ifneq ($(LAYOUT),)
DTB_CHECK_SCRIPT := $(O)/dts/bulkhead-check.sh
DTB_CHECKS += $(DTB_CHECK_SCRIPT)
$(DTB): $(DTB_CHECK_SCRIPT) $(BULKHEAD_CHECK)

$(DTB_CHECK_SCRIPT): $(AUTOCONF_MK) $(srctree)/tools/build.mk
	$(Q)mkdir -p $(@D)
	$(Q)printf '#!/bin/sh\nexec %s --image-root %s --arch %s --pa-bits %s --name %s "$$@"\n' \
	    '$(BULKHEAD_CHECK)' '$(O)' '$(ARCH)' '$(CONFIG_BOARD_PA_BITS)' '$(LAYOUT)' >$@.tmp
	$(Q)chmod +x $@.tmp && mv $@.tmp $@
endif

-include $(shell find $(HOST_O)/tools/obj -name '*.d' 2>/dev/null)
