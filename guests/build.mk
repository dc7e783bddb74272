# SPDX-License-Identifier: Apache-2.0
#
# Guest images: the test guests of the configured architecture (guests/<arch>/build.mk adds
# their .bin files to GUEST_BINS, under $(O)/guests/<arch>/) and the packing of the images
# the configured DTB names into the hypervisor. A partition's "image" is resolved against
# $(O), so "guests/arm64/ping.bin" is $(O)/guests/arm64/ping.bin; the guests are built before
# the DTB so that bulkhead-check (--image-root $(O)) finds them.
#
# Packing: guests/pack.sh reads the image paths from the checked DTB (fdtget) and writes an
# assembly include with one .incbin per image plus the table of include/hv/guest_image.h;
# core/partition/guest_images.S includes it, core/partition/guest_image.c looks images up.

ifneq ($(ARCH),)
GUEST_BINS :=
-include $(srctree)/guests/$(ARCH)/build.mk

GUEST_IMAGES_INC := $(O)/guests/images.inc

# The DTB check needs every image a layout may name.
$(DTB): $(GUEST_BINS)

$(GUEST_IMAGES_INC): $(DTB) $(srctree)/guests/pack.sh
	$(call say,PACK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(srctree)/guests/pack.sh $(DTB) $(O) >$@.tmp && mv $@.tmp $@

# .incbin is not seen by -MMD: depend on the images themselves.
$(O)/obj/core/partition/guest_images.o: $(GUEST_IMAGES_INC) $(GUEST_BINS)
$(O)/obj/core/partition/guest_images.o: HV_CPPFLAGS += -DGUEST_IMAGES_INC='"$(GUEST_IMAGES_INC)"'

guests: $(GUEST_BINS)
.PHONY: guests
endif
