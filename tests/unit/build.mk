# SPDX-License-Identifier: Apache-2.0
#
# Host unit tests: production .c files, unchanged, against the fake arch in tests/unit/fake/,
# built with AddressSanitizer and UndefinedBehaviorSanitizer. A test is a file
# tests/unit/test_<name>.c; the production sources it links are listed in an optional
# tests/unit/test_<name>.mk as "unit-<name> := lib/fdt.c ..." (and unit-<name>-ldlibs).

UNIT_CFLAGS := -std=c11 $(WARNINGS) -g -O1 -fno-omit-frame-pointer \
    -fsanitize=address,undefined -fno-sanitize-recover=all
UNIT_CPPFLAGS := -I$(srctree)/include -I$(srctree)/tests/unit -I$(srctree)/tests/unit/fake/include -I$(srctree)/tests/unit/fake \
    -include $(srctree)/tests/unit/fake/autoconf.h -D_DEFAULT_SOURCE -MMD -MP
unit-common := tests/unit/main.c tests/unit/fake/fake_arch.c

unit-names := $(patsubst $(srctree)/tests/unit/test_%.c,%,$(wildcard $(srctree)/tests/unit/test_*.c))
-include $(wildcard $(srctree)/tests/unit/test_*.mk)
unit-bins := $(addprefix $(HOST_O)/unit/,$(unit-names))

$(HOST_O)/obj/%.o: $(srctree)/%.c
	$(call say,HOSTCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(UNIT_CPPFLAGS) $(UNIT_CFLAGS) -c $< -o $@

define unit-test-rule
$(HOST_O)/unit/$(1): $(addprefix $(HOST_O)/obj/,$(patsubst %.c,%.o,tests/unit/test_$(1).c $(unit-$(1)) $(unit-common)))
	$$(call say,HOSTLD,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(HOSTCC) $$(UNIT_CFLAGS) -o $$@ $$^ $$(unit-$(1)-ldlibs)
endef
$(foreach n,$(unit-names),$(eval $(call unit-test-rule,$(n))))

unit: $(unit-bins)

-include $(shell find $(HOST_O)/obj -name '*.d' 2>/dev/null)
