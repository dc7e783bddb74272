# SPDX-License-Identifier: Apache-2.0
#
# arm64 test guests: freestanding EL1 programs, linked at 0x40000000 (the guest base of a
# partition's first memory range in every layout) and flattened to raw binaries,
# $(O)/guests/arm64/<name>.bin. Each scenario is guests/arm64/<name>.c linked with the small
# runtime (entry, SMCCC/PSCI/hypercall wrappers, console, DTB helpers) and the project's own
# freestanding lib/fdt.c, lib/string.c and lib/printf.c.

GUEST_ARM64_CROSS ?= aarch64-linux-gnu-
GUEST_ARM64_CC := $(GUEST_ARM64_CROSS)gcc
GUEST_ARM64_LD := $(GUEST_ARM64_CROSS)ld
GUEST_ARM64_OBJCOPY := $(GUEST_ARM64_CROSS)objcopy

# The MMU stays off in the guests, so every data access is Device-nGnRnE at stage 1:
# -mstrict-align keeps accesses naturally aligned (an unaligned Device access faults), and
# -mgeneral-regs-only keeps FP/SIMD (not enabled by anyone at EL1) out of the code.
GUEST_ARM64_CFLAGS := -std=c11 $(WARNINGS) -O2 -g -ffreestanding -fno-pie -fno-stack-protector \
    -fno-common -ffunction-sections -fdata-sections -march=armv8-a -mabi=lp64 \
    -mgeneral-regs-only -mstrict-align -mno-outline-atomics -mcmodel=small \
    -fno-asynchronous-unwind-tables -fno-unwind-tables
GUEST_ARM64_CPPFLAGS := -nostdinc -isystem $(shell $(GUEST_ARM64_CC) -print-file-name=include) \
    -I$(srctree)/include -I$(srctree)/guests/include -I$(srctree)/guests/arm64 -MMD -MP

guest-arm64-names := pingpong hello shm_ro_write oob_read oob_write hc_hostile smp reset bench \
    vuart el0_a32 reset_smp irq gic_hostile gic_victim irqbench trap_hostile forge reset_peer \
    linux_peer echo doorbell bench_doorbell pci_edu pci_edu_peer linger reset_irq
guest-arm64-rt := guests/arm64/head.o guests/arm64/rt.o guests/arm64/dt.o guests/arm64/gic.o lib/fdt.o \
    lib/string.o lib/printf.o
GUEST_ARM64_O := $(O)/guests/arm64
GUEST_BINS += $(patsubst %,$(GUEST_ARM64_O)/%.bin,$(guest-arm64-names))

$(GUEST_ARM64_O)/obj/%.o: $(srctree)/%.c
	$(call say,GUESTCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(GUEST_ARM64_CC) $(GUEST_ARM64_CPPFLAGS) $(GUEST_ARM64_CFLAGS) -c $< -o $@

$(GUEST_ARM64_O)/obj/%.o: $(srctree)/%.S
	$(call say,GUESTAS,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(GUEST_ARM64_CC) $(GUEST_ARM64_CPPFLAGS) -march=armv8-a -D__ASSEMBLY__ -c $< -o $@

$(GUEST_ARM64_O)/%.elf: $(GUEST_ARM64_O)/obj/guests/arm64/%.o \
    $(addprefix $(GUEST_ARM64_O)/obj/,$(guest-arm64-rt)) $(srctree)/guests/arm64/guest.lds
	$(call say,GUESTLD,$@)
	$(Q)$(GUEST_ARM64_LD) -nostdlib -static --gc-sections --no-warn-rwx-segments \
	    -T $(srctree)/guests/arm64/guest.lds -o $@ \
	    $(filter %.o,$^) $(shell $(GUEST_ARM64_CC) -print-libgcc-file-name)

$(GUEST_ARM64_O)/%.bin: $(GUEST_ARM64_O)/%.elf
	$(call say,OBJCOPY,$@)
	$(Q)$(GUEST_ARM64_OBJCOPY) -O binary $< $@

.PRECIOUS: $(GUEST_ARM64_O)/%.elf $(GUEST_ARM64_O)/obj/%.o

-include $(shell find $(GUEST_ARM64_O)/obj -name '*.d' 2>/dev/null)
