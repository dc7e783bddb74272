# SPDX-License-Identifier: Apache-2.0
#
# arm64: EL2 hypervisor image, loaded as an arm64 Image (QEMU -kernel) or from a FIT by
# U-Boot (make image / make run).

# -mgeneral-regs-only: no FP/SIMD state to save at EL2; -mstrict-align: code runs with the
# MMU off (Device memory) before the page tables exist; -mno-outline-atomics: inline LL/SC
# instead of libgcc helpers that probe hwcaps.
ARCH_CFLAGS := -march=armv8-a -mabi=lp64 -mgeneral-regs-only -mstrict-align \
    -mno-outline-atomics -fno-pie -mcmodel=small -fno-asynchronous-unwind-tables \
    -fno-unwind-tables
LDSCRIPT := arch/arm64/hv.lds.S
HV_IMAGES := $(O)/bulkhead.bin

hv-y += arch/arm64/head.o arch/arm64/vectors.o arch/arm64/setup.o arch/arm64/cpu.o \
    arch/arm64/mmu.o arch/arm64/smp.o arch/arm64/exception.o arch/arm64/gic.o
# The GIC backends the board's capabilities name (HAS_GICV2 / HAS_GICV3, matching the
# interrupt-controller node of its DT; the hypervisor checks the DT against them at boot).
hv-$(CONFIG_HAS_GICV3) += arch/arm64/gicv3.o
hv-$(CONFIG_HAS_GICV2) += arch/arm64/gicv2.o
hv-$(CONFIG_TEST_EXIT) += arch/arm64/test.o
hv-$(CONFIG_TEST_FAULT) += arch/arm64/test_fault.o

$(O)/bulkhead.bin: $(O)/bulkhead.elf
	$(call say,OBJCOPY,$@)
	$(Q)$(OBJCOPY) -O binary $< $@

# Where `make run` (and the U-Boot system test) puts the FIT in RAM for `bootm`
# (CONFIG_ARM64_FIT_ADDR): high in the 2 GiB, clear of the hypervisor's memory, of the
# kernel's load address and of what U-Boot relocates itself to at the top of RAM.
ARM64_FIT_ADDR := $(CONFIG_ARM64_FIT_ADDR)

ARM64_IMAGES := $(O)/images/bulkhead.itb $(O)/images/uboot-env.img

# The FIT carries the staged guest images as loadables (guests/build.mk, $(STAGED_LIST)).
$(ARM64_IMAGES) &: $(O)/bulkhead.bin $(DTB) $(srctree)/tools/image/arm64_fit.sh
	$(call say,FIT,$(O)/images/bulkhead.itb)
	$(Q)$(srctree)/tools/image/arm64_fit.sh --image $(O)/bulkhead.bin --dtb $(DTB) \
	    $(if $(LAYOUT),--staged $(STAGED_LIST)) \
	    --load $(CONFIG_ARM64_LOAD_ADDR) --fit-addr $(ARM64_FIT_ADDR) \
	    --description "Bulkhead $(VERSION_STRING) ($(CONFIG_BOARD))" --out $(O)/images

image: $(ARM64_IMAGES)

# The real boards' SD-card image (CONFIG_IMAGE_SDCARD): boot.scr + the FIT on a FAT partition;
# on the Pi also Debian's U-Boot and config.txt (tools/image/arm64_sdcard.sh).
ifeq ($(CONFIG_IMAGE_SDCARD),y)
SDCARD_RPI_UBOOT := $(if $(CONFIG_IMAGE_SDCARD_RPI_UBOOT),$(shell $(srctree)/tools/fetch_uboot_rpi.sh --dir)/u-boot.bin)
$(O)/images/sdcard.img $(O)/images/boot.scr &: $(ARM64_IMAGES) $(srctree)/tools/image/arm64_sdcard.sh
	$(call say,SDCARD,$(O)/images/sdcard.img)
	$(Q)$(srctree)/tools/image/arm64_sdcard.sh --board $(CONFIG_BOARD) --image $(O)/bulkhead.bin \
	    --fit $(O)/images/bulkhead.itb --load $(CONFIG_ARM64_LOAD_ADDR) --fit-addr $(ARM64_FIT_ADDR) \
	    $(if $(LAYOUT),--staged $(STAGED_LIST)) $(if $(SDCARD_RPI_UBOOT),--rpi-uboot $(SDCARD_RPI_UBOOT)) \
	    --out $(O)/images

image: $(O)/images/sdcard.img
endif

# Boot the configured image on its board's QEMU model (tools/qemu_arm64.sh): through Debian's
# U-Boot on QEMU virt, as an Image at RAM base + text_offset on the real boards' models (which
# have no flash for U-Boot's environment); Ctrl-A x quits.
run: $(HV_IMAGES) $(ARM64_IMAGES)
	$(Q)$(srctree)/tools/qemu_arm64.sh $(O)
hv-y += arch/arm64/config.o
hv-$(CONFIG_PARTITIONS) += arch/arm64/vcpu.o arch/arm64/guest.o arch/arm64/guest_mem.o arch/arm64/traps.o \
    arch/arm64/vpl011.o arch/arm64/vgic.o \
    arch/arm64/psci_guest.o arch/arm64/sysreg_trap.o
ifeq ($(CONFIG_PARTITIONS),y)
hv-$(CONFIG_HAS_GICV3) += arch/arm64/vgic_v3.o
hv-$(CONFIG_HAS_GICV2) += arch/arm64/vgic_v2.o
endif
