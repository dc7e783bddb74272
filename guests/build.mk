# SPDX-License-Identifier: Apache-2.0
#
# Guest images: the test guests of the configured architecture (guests/<arch>/build.mk adds
# their .bin files to GUEST_BINS, under $(O)/guests/<arch>/) and their staging. A partition's
# "image" (and "initrd") is resolved against $(O), so "guests/arm64/ping.bin" is
# $(O)/guests/arm64/ping.bin; the guests are built before the DTB so that bulkhead-check
# (--image-root $(O)) finds them.
#
# Staging: images are not linked into the hypervisor. After bulkhead-check, guests/stage.sh
# lays them out in the board's "bulkhead,image-staging" reservation, records address, size
# and SHA-256 in the DTB the hypervisor embeds, and writes $(STAGED_LIST) for the boot-loader
# payloads (FIT loadables, QEMU -device loader); bulkhead-check then checks the final DTB.

ifneq ($(ARCH),)
GUEST_BINS :=
-include $(srctree)/guests/$(ARCH)/build.mk
-include $(srctree)/guests/linux/build.mk

STAGED_LIST := $(O)/dts/staged.list
STAGE_SCRIPT := $(O)/dts/stage.sh

# The DTB check needs every image a layout may name.
$(DTB): $(GUEST_BINS)

ifneq ($(LAYOUT),)
DTB_CHECKS += $(STAGE_SCRIPT)
$(DTB): $(STAGE_SCRIPT) $(srctree)/guests/stage.sh
$(STAGE_SCRIPT): $(AUTOCONF_MK) $(srctree)/guests/build.mk
	$(Q)mkdir -p $(@D)
	$(Q)printf '#!/bin/sh\n%s "$$1" %s %s && exec %s "$$1"\n' '$(srctree)/guests/stage.sh' \
	    '$(O)' '$(STAGED_LIST)' '$(DTB_CHECK_SCRIPT)' >$@.tmp
	$(Q)chmod +x $@.tmp && mv $@.tmp $@
endif

guests: $(GUEST_BINS)
.PHONY: guests
endif
