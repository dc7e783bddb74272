# SPDX-License-Identifier: Apache-2.0
#
# x86 test guests: freestanding 64-bit programs entered by the PVH entry (guests/x86/head.S
# switches to long mode), linked at guest 1 MiB and flattened to raw binaries,
# $(O)/guests/x86/<name>.bin. Each scenario is guests/x86/<name>.c linked with the runtime
# (entry, VMMCALL hypercalls, console, boot-information checks) and the project's own
# freestanding lib/fdt.c, lib/string.c and lib/printf.c.

GUEST_X86_CC := gcc
GUEST_X86_LD := ld
GUEST_X86_OBJCOPY := objcopy

GUEST_X86_CFLAGS := -std=c11 $(WARNINGS) -O2 -g -ffreestanding -fno-pie -fno-stack-protector \
    -fno-common -ffunction-sections -fdata-sections -m64 -march=x86-64 -mno-red-zone \
    -mgeneral-regs-only -mcmodel=small -fno-asynchronous-unwind-tables -fno-unwind-tables
GUEST_X86_CPPFLAGS := -nostdinc -isystem $(shell $(GUEST_X86_CC) -print-file-name=include) \
    -I$(srctree)/include -I$(srctree)/guests/x86 -MMD -MP

guest-x86-names := hello pingpong shm_ro_write oob_write hc_hostile reset reset_smp \
    io_hostile msr_hostile triple_fault bench smp_sipi reset_many reset_peer doorbell \
    echo tsc_aux linux_peer forge
guest-x86-rt := guests/x86/head.o guests/x86/rt.o lib/fdt.o lib/string.o lib/printf.o
GUEST_X86_O := $(O)/guests/x86
GUEST_BINS += $(patsubst %,$(GUEST_X86_O)/%.bin,$(guest-x86-names))

$(GUEST_X86_O)/obj/%.o: $(srctree)/%.c
	$(call say,GUESTCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(GUEST_X86_CC) $(GUEST_X86_CPPFLAGS) $(GUEST_X86_CFLAGS) -c $< -o $@

$(GUEST_X86_O)/obj/%.o: $(srctree)/%.S
	$(call say,GUESTAS,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(GUEST_X86_CC) $(GUEST_X86_CPPFLAGS) -m64 -D__ASSEMBLY__ -c $< -o $@

$(GUEST_X86_O)/%.elf: $(GUEST_X86_O)/obj/guests/x86/%.o \
    $(addprefix $(GUEST_X86_O)/obj/,$(guest-x86-rt)) $(srctree)/guests/x86/guest.lds
	$(call say,GUESTLD,$@)
	$(Q)$(GUEST_X86_LD) -nostdlib -static --gc-sections --no-warn-rwx-segments \
	    -T $(srctree)/guests/x86/guest.lds -o $@ $(filter %.o,$^)

$(GUEST_X86_O)/%.bin: $(GUEST_X86_O)/%.elf
	$(call say,OBJCOPY,$@)
	$(Q)$(GUEST_X86_OBJCOPY) -O binary $< $@

.PRECIOUS: $(GUEST_X86_O)/%.elf $(GUEST_X86_O)/obj/%.o

-include $(shell find $(GUEST_X86_O)/obj -name '*.d' 2>/dev/null)
