# SPDX-License-Identifier: Apache-2.0
#
# The Linux guest payload (CONFIG_GUEST_LINUX), for layouts whose partitions say
#   image = "guests/linux/Image";  initrd = "guests/linux/initramfs.cpio";
# $(O)/guests/linux/Image is Debian's arm64 kernel from the cache tools/setup fills
# (tools/fetch_linux.sh, outside the tree, never committed); initramfs.cpio is generated
# here: /init (guests/linux/init.c, static glibc for arm64), Debian's static busybox and its
# uio + uio_pci_generic and virtio-pci + virtio-blk modules (LINUX_MODULES), packed by
# tools/mkcpio.py from guests/linux/initramfs.list.

ifeq ($(CONFIG_GUEST_LINUX)$(CONFIG_X86_64),yy)
# x86-64: Debian's amd64 kernel as the PVH vmlinux (tools/fetch_linux.sh --arch x86_64
# extracts it from the bzImage), and an initramfs of Debian's static busybox with a shell
# /init (guests/linux/init_x86.sh).
LINUX_CACHE := $(shell $(srctree)/tools/fetch_linux.sh --arch x86_64 --dir)
LINUX_O := $(O)/guests/linux
GUEST_BINS += $(LINUX_O)/vmlinux $(LINUX_O)/initramfs.cpio

$(LINUX_CACHE)/vmlinux $(LINUX_CACHE)/busybox:
	@echo "$@ missing: run tools/setup (it fetches Debian's amd64 kernel and busybox)" >&2
	@exit 1

$(LINUX_O)/vmlinux: $(LINUX_CACHE)/vmlinux
	$(call say,COPY,$@)
	$(Q)mkdir -p $(@D)
	$(Q)cp $< $@

$(LINUX_O)/initramfs.cpio: $(srctree)/guests/linux/initramfs.list \
    $(srctree)/guests/linux/init_x86.sh $(LINUX_CACHE)/busybox $(srctree)/tools/mkcpio.py
	$(call say,CPIO,$@)
	$(Q)mkdir -p $(@D)
	$(Q)sed -e 's|@INIT@|$(srctree)/guests/linux/init_x86.sh|' \
	    -e 's|@BUSYBOX@|$(LINUX_CACHE)/busybox|' -e '/@MODULES@/d' $< >$@.list
	$(Q)$(PYTHON) $(srctree)/tools/mkcpio.py $@.list $@.tmp && mv $@.tmp $@
else ifeq ($(CONFIG_GUEST_LINUX),y)
LINUX_CACHE := $(shell $(srctree)/tools/fetch_linux.sh --dir)
LINUX_O := $(O)/guests/linux
GUEST_BINS += $(LINUX_O)/Image $(LINUX_O)/initramfs.cpio

LINUX_MODULES := $(addprefix $(LINUX_CACHE)/modules/,uio.ko uio_pci_generic.ko \
    virtio_pci_modern_dev.ko virtio_pci_legacy_dev.ko virtio_pci.ko virtio_blk.ko)

$(LINUX_CACHE)/Image $(LINUX_CACHE)/busybox $(LINUX_MODULES):
	@echo "$@ missing: run tools/setup (it fetches Debian's arm64 kernel and busybox)" >&2
	@exit 1

$(LINUX_O)/Image: $(LINUX_CACHE)/Image
	$(call say,COPY,$@)
	$(Q)mkdir -p $(@D)
	$(Q)cp $< $@

$(LINUX_O)/init: $(srctree)/guests/linux/init.c $(srctree)/guests/linux_peer.h \
    $(srctree)/include/hv/hypercall_abi.h
	$(call say,GUESTCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(GUEST_ARM64_CROSS)gcc -std=gnu11 $(WARNINGS) -O2 -static -o $@ $<

$(LINUX_O)/initramfs.cpio: $(srctree)/guests/linux/initramfs.list $(LINUX_O)/init \
    $(LINUX_CACHE)/busybox $(LINUX_MODULES) $(srctree)/tools/mkcpio.py
	$(call say,CPIO,$@)
	$(Q)sed -e 's|@INIT@|$(LINUX_O)/init|' -e 's|@BUSYBOX@|$(LINUX_CACHE)/busybox|' \
	    -e 's|@MODULES@|$(LINUX_CACHE)/modules|' $< >$@.list
	$(Q)$(PYTHON) $(srctree)/tools/mkcpio.py $@.list $@.tmp && mv $@.tmp $@
endif
