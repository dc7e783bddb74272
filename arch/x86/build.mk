# SPDX-License-Identifier: Apache-2.0
#
# x86-64: a multiboot (v1 for QEMU -kernel, v2 for GRUB) image linked and loaded at 1 MiB.
# Everything lives in the low 2 GiB, so the small code model with absolute addressing fits.
ARCH_CFLAGS := -m64 -march=x86-64 -mno-red-zone -mgeneral-regs-only -mcmodel=small -fno-pie \
    -fno-asynchronous-unwind-tables -fno-unwind-tables
LDSCRIPT := arch/x86/hv.lds.S
HV_IMAGES := $(O)/bulkhead.elf

hv-y += arch/x86/head.o arch/x86/entry.o arch/x86/trampoline.o
hv-y += arch/x86/setup.o arch/x86/traps.o arch/x86/time.o arch/x86/acpi.o arch/x86/smp.o arch/x86/ioapic.o
hv-y += arch/x86/multiboot.o arch/x86/stage.o
hv-$(CONFIG_TEST_EXIT) += arch/x86/test.o
hv-$(CONFIG_TEST_FAULT) += arch/x86/test_fault.o
hv-$(CONFIG_PARTITIONS) += arch/x86/svm.o arch/x86/svm_entry.o arch/x86/decode.o arch/x86/pvh.o arch/x86/irq.o
hv-$(CONFIG_PARTITIONS) += arch/x86/elf.o arch/x86/guest_acpi.o arch/x86/vio.o arch/x86/vapic.o arch/x86/vuart.o

# `make image`: a BIOS-bootable GRUB rescue ISO that loads bulkhead.elf with multiboot2; with
# CONFIG_IMAGE_USB_EFI (real boards) an isohybrid image that also boots by EFI, for USB sticks.
X86_ISO := $(O)/images/bulkhead.iso

image: $(X86_ISO)

# The staged guest images go on it as multiboot2 modules (guests/build.mk, $(STAGED_LIST)).
$(X86_ISO): $(O)/bulkhead.elf $(DTB) $(srctree)/tools/image/x86_grub.cfg \
    $(srctree)/tools/image/x86_grub_iso.sh
	$(call say,ISO,$@)
	$(Q)$(srctree)/tools/image/x86_grub_iso.sh $(if $(CONFIG_IMAGE_USB_EFI),--efi) $(O)/bulkhead.elf \
	    $(srctree)/tools/image/x86_grub.cfg $@ $(if $(LAYOUT),$(STAGED_LIST))

# `make run`: boot the configured image with QEMU's multiboot v1 loader, the staged guest
# images put in place by QEMU -device loader (tools/qemu_x86.sh); Ctrl-A x quits.
run: $(O)/bulkhead.elf
	$(Q)$(srctree)/tools/qemu_x86.sh --boot kernel $(O)
hv-y += arch/x86/config.o
