# SPDX-License-Identifier: Apache-2.0
#
# libFuzzer targets. A target is tests/fuzz/fuzz_<name>.c (defines LLVMFuzzerTestOneInput);
# the production sources it links, unchanged, are listed in tests/fuzz/fuzz_<name>.mk as
# "fuzz-<name> := lib/fdt.c ...", built against the fake arch like the unit tests. Built with
# clang -fsanitize=fuzzer,address,undefined into $(O)/host/fuzz/<name>.
#
#   make fuzz [FUZZ_TIME=600] [FUZZ_TARGETS="fdt ..."]   long run, each target FUZZ_TIME seconds
#   make fuzz-smoke [FUZZ_SMOKE_TIME=20]                   short run of each (tests/host/fuzz_smoke.sh)
#   make fuzz-build                                        build only
#
# Both runs seed from every DTB the repository produces (tests/fuzz/corpus.sh) plus, if it
# exists, tests/fuzz/seeds/<name>/; the long run keeps its corpus in $(O)/fuzz/corpus/<name>
# between runs. A crash leaves its input in $(O)/fuzz/artifacts/<name>/.

FUZZ_CC := clang
FUZZ_TIME ?= 600
FUZZ_SMOKE_TIME ?= 20
FUZZ_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -std=c11 $(WARNINGS) -g -O1 -fno-omit-frame-pointer $(FUZZ_SANITIZE)
FUZZ_CPPFLAGS := -I$(srctree)/include -I$(srctree)/tests/unit/fake/include \
    -I$(srctree)/tests/unit/fake -include $(srctree)/tests/unit/fake/autoconf.h \
    -D_DEFAULT_SOURCE -MMD -MP
fuzz-common := tests/unit/fake/fake_arch.c

fuzz-names := $(patsubst $(srctree)/tests/fuzz/fuzz_%.c,%,$(wildcard $(srctree)/tests/fuzz/fuzz_*.c))
-include $(wildcard $(srctree)/tests/fuzz/fuzz_*.mk)
FUZZ_TARGETS ?= $(fuzz-names)
fuzz-bins := $(addprefix $(HOST_O)/fuzz/,$(fuzz-names))

# Objects get coverage instrumentation (fuzzer-no-link); only the link pulls in libFuzzer's main.
$(HOST_O)/fuzz-obj/%.o: $(srctree)/%.c
	$(call say,FUZZCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

define fuzz-target-rule
$(HOST_O)/fuzz/$(1): $(addprefix $(HOST_O)/fuzz-obj/,$(patsubst %.c,%.o,$(sort tests/fuzz/fuzz_$(1).c $(fuzz-$(1)) $(fuzz-common))))
	$$(call say,FUZZLD,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(FUZZ_CC) $$(FUZZ_CFLAGS) -fsanitize=fuzzer -o $$@ $$^ $$(fuzz-$(1)-ldlibs)
endef
$(foreach n,$(fuzz-names),$(eval $(call fuzz-target-rule,$(n))))

fuzz-build: $(fuzz-bins)

# Seed corpus: every DTB the tree can produce, regenerated on each run (the set grows).
fuzz-seeds: | $(fuzz-bins)
	$(Q)rm -rf $(O)/fuzz/seeds && mkdir -p $(O)/fuzz/seeds
	$(Q)echo "  SEEDS   $$($(srctree)/tests/fuzz/corpus.sh $(O)/fuzz/seeds) DTBs"

# fuzz-run TARGET SECONDS CORPUS-DIR: one libFuzzer run over CORPUS-DIR plus the seeds.
fuzz-run = mkdir -p $(3) $(O)/fuzz/artifacts/$(1) && \
    $(HOST_O)/fuzz/$(1) -max_total_time=$(2) -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix=$(O)/fuzz/artifacts/$(1)/ \
        $(3) $(O)/fuzz/seeds $(wildcard $(srctree)/tests/fuzz/seeds/$(1))

fuzz: fuzz-seeds
	$(Q)$(foreach t,$(FUZZ_TARGETS),echo "  FUZZ    $(t) ($(FUZZ_TIME) s)" && \
	    $(call fuzz-run,$(t),$(FUZZ_TIME),$(O)/fuzz/corpus/$(t)) &&) true

fuzz-smoke: fuzz-seeds
	$(Q)$(foreach t,$(FUZZ_TARGETS),echo "  FUZZ    $(t) ($(FUZZ_SMOKE_TIME) s)" && \
	    rm -rf $(O)/fuzz/smoke/$(t) && \
	    $(call fuzz-run,$(t),$(FUZZ_SMOKE_TIME),$(O)/fuzz/smoke/$(t)) &&) true

.PHONY: fuzz-build fuzz-seeds

-include $(shell find $(HOST_O)/fuzz-obj -name '*.d' 2>/dev/null)
