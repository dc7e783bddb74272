# SPDX-License-Identifier: Apache-2.0
#
# libFuzzer targets. A target is tests/fuzz/fuzz_<name>.c (defines LLVMFuzzerTestOneInput);
# the production sources it links, unchanged, are listed in tests/fuzz/fuzz_<name>.mk as
# "fuzz-<name> := lib/fdt.c ...", built against the fake arch like the unit tests. Built with
# clang -fsanitize=fuzzer,address,undefined into $(O)/host/fuzz/<name>.
#
#   make fuzz [FUZZ_TIME=600] [FUZZ_TARGETS="fdt ..."]   long run, each target FUZZ_TIME seconds
#   make fuzz FUZZ_RUNS=10000000 [FUZZ_TARGETS=...]      long run, each target a fixed number of
#                                                          inputs (libFuzzer -runs), no time limit
#   make fuzz-smoke [FUZZ_SMOKE_TIME=20]                   short run of each (fuzz_smoke.sh):
#                                                          FUZZ_SMOKE_TIME seconds, or a fixed
#                                                          count (fuzz-<name>-smoke-runs)
#   make fuzz-build                                        build only
#
# Both runs seed from every DTB the repository produces (tests/fuzz/corpus.sh; not for targets
# setting fuzz-<name>-dtb-seeds := no) plus, if it exists, tests/fuzz/seeds/<name>/; the long
# run keeps its corpus in $(O)/fuzz/corpus/<name> between runs. A crash leaves its input in $(O)/fuzz/artifacts/<name>/.

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

# fuzz-run TARGET LIMIT CORPUS-DIR: one libFuzzer run over CORPUS-DIR plus the seeds, LIMIT
# being -max_total_time=SECONDS or -runs=COUNT. libFuzzer exits non-zero on a crash, which
# stops the loop; on success it prints "Done N runs in S second(s)" and the final stats.
# A target whose input is not a DTB sets fuzz-<name>-max-len (its records are small, and
# long inputs only slow it down) and fuzz-<name>-dtb-seeds := no.
fuzz-run = mkdir -p $(3) $(O)/fuzz/artifacts/$(1) && \
    $(HOST_O)/fuzz/$(1) $(2) -timeout=10 -rss_limit_mb=2048 \
        -max_len=$(or $(fuzz-$(1)-max-len),65536) \
        -print_final_stats=1 -artifact_prefix=$(O)/fuzz/artifacts/$(1)/ \
        $(3) $(if $(filter no,$(fuzz-$(1)-dtb-seeds)),,$(O)/fuzz/seeds) \
        $(wildcard $(srctree)/tests/fuzz/seeds/$(1))

# FUZZ_RUNS set: a fixed count per target, and a summary line per target with the runs done,
# the rate and the result (libFuzzer's exit status; any crash stops the run and fails make).
ifneq ($(FUZZ_RUNS),)
fuzz: fuzz-seeds
	$(Q)$(foreach t,$(FUZZ_TARGETS),echo "  FUZZ    $(t) ($(FUZZ_RUNS) runs)" && \
	    mkdir -p $(O)/fuzz/logs && \
	    { $(call fuzz-run,$(t),-runs=$(FUZZ_RUNS),$(O)/fuzz/corpus/$(t)) \
	        >$(O)/fuzz/logs/$(t).log 2>&1; rc=$$?; } ; \
	    echo "  FUZZ    $(t): $$(sed -n \
	        's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' \
	        $(O)/fuzz/logs/$(t).log), $$(sed -n 's/^stat::average_exec_per_sec: *//p' \
	        $(O)/fuzz/logs/$(t).log) exec/s, $$([ $$rc -eq 0 ] && echo 'no crash' || \
	        echo "FAILED (exit $$rc, log $(O)/fuzz/logs/$(t).log)")" && \
	    [ $$rc -eq 0 ] &&) true
else
fuzz: fuzz-seeds
	$(Q)$(foreach t,$(FUZZ_TARGETS),echo "  FUZZ    $(t) ($(FUZZ_TIME) s)" && \
	    $(call fuzz-run,$(t),-max_total_time=$(FUZZ_TIME),$(O)/fuzz/corpus/$(t)) &&) true
endif

# A target may set fuzz-<name>-smoke-runs: its smoke run is then that many inputs instead of
# FUZZ_SMOKE_TIME seconds (the fast, non-DTB targets, so that make check grows by seconds).
fuzz-smoke-limit = $(if $(fuzz-$(1)-smoke-runs),-runs=$(fuzz-$(1)-smoke-runs),\
    -max_total_time=$(FUZZ_SMOKE_TIME))

fuzz-smoke: fuzz-seeds
	$(Q)$(foreach t,$(FUZZ_TARGETS),echo "  FUZZ    $(t) ($(call fuzz-smoke-limit,$(t)))" && \
	    rm -rf $(O)/fuzz/smoke/$(t) && \
	    $(call fuzz-run,$(t),$(call fuzz-smoke-limit,$(t)),$(O)/fuzz/smoke/$(t)) &&) true

.PHONY: fuzz-build fuzz-seeds

-include $(shell find $(HOST_O)/fuzz-obj -name '*.d' 2>/dev/null)
