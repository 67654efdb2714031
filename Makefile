# mlsearch - one non-recursive Makefile.
#
#   make            build ./build/mlsearch
#   make demo       install missing packages, index corpus/, run a few searches
#   make check      install missing packages, run every test
#   make fuzz       install missing packages, fuzz each target FUZZ_SECONDS
#   make install    PREFIX=/usr/local DESTDIR= (the binary, its man page, completions,
#                   README and LICENSE, the systemd user units); make uninstall
#
# Objects go to build/ (the normal build), build/asan/ (the same code
# with AddressSanitizer and UndefinedBehaviorSanitizer, for `make check`)
# and build/fuzz/ (the same again with clang's libFuzzer hooks).

PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/mlsearch
BASH_COMPLETION_DIR ?= $(PREFIX)/share/bash-completion/completions
ZSH_COMPLETION_DIR ?= $(PREFIX)/share/zsh/site-functions
FISH_COMPLETION_DIR ?= $(PREFIX)/share/fish/vendor_completions.d
SYSTEMD_USER_DIR ?= $(PREFIX)/lib/systemd/user

CC ?= cc
CXX ?= c++
PKG_CONFIG ?= pkg-config
PKGS_C = libcmark libutf8proc
PKGS_CXX = xapian-core

# Recursively expanded, so that pkg-config runs only when a rule needs it
# (after `make deps` has installed what was missing).
# Warnings are errors in `make check` (and so in CI), not in a plain
# `make`, so that a newer compiler's new warnings do not stop a packager.
WERROR ?=
WARN = -Wall -Wextra -Wshadow -Wcast-qual -Wformat=2 -Wundef -Wpointer-arith -Wvla \
       -Wredundant-decls -Wmissing-declarations $(WERROR)
WARN_C = $(WARN) -Wstrict-prototypes -Wmissing-prototypes -Wold-style-definition
OPT ?= -O2 -g
CPPFLAGS_ALL = -Iinclude -D_XOPEN_SOURCE=700
CFLAGS_ALL = -std=c11 -pthread $(OPT) $(WARN_C) $(CPPFLAGS_ALL) $(shell $(PKG_CONFIG) --cflags $(PKGS_C)) $(CFLAGS)
CXXFLAGS_ALL = -std=c++17 $(OPT) $(WARN) $(CPPFLAGS_ALL) $(shell $(PKG_CONFIG) --cflags $(PKGS_CXX)) $(CXXFLAGS)
LIBS_ALL = -pthread $(shell $(PKG_CONFIG) --libs $(PKGS_C) $(PKGS_CXX)) $(LDLIBS)
SANITIZE = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

LIB_C = lib/grow.c lib/dates.c lib/hash.c lib/weight.c lib/status.c lib/strings.c lib/utf8.c lib/tokenizer.c lib/passage.c lib/record.c lib/note_record.c lib/manifest.c lib/terms.c lib/escape.c lib/location.c lib/config.c lib/lock.c
LIB_CXX = lib/xapian_shim.cc
INDEXER_C = indexer/markdown.c indexer/ignore.c indexer/crawl.c indexer/index_info.c \
            indexer/front_matter.c indexer/note_date.c indexer/hashtags.c indexer/note_reader.c indexer/term_weights.c indexer/note_docs.c indexer/changes.c indexer/run.c \
            indexer/first_build.c indexer/sync.c indexer/roots.c indexer/upkeep.c indexer/indexer.c
SEARCHER_C = searcher/query.c searcher/xquery.c searcher/note_match.c searcher/note_texts.c searcher/snippet.c \
             searcher/search.c searcher/output.c searcher/dump.c searcher/tags.c searcher/notebooks.c
CLI_C = cli/mlsearch.c cli/options.c cli/messages.c cli/places.c cli/search_command.c cli/index_command.c \
        cli/status_command.c cli/serve_command.c cli/upkeep_command.c cli/tags_command.c

CORE_SRC = $(LIB_C) $(LIB_CXX) $(INDEXER_C) $(SEARCHER_C)
UNIT_TESTS = status note_record term_weights db tokenizer utf8 markdown query snippet escape config manifest crawl lock \
             options roots upkeep hashtags ignore dates

core_objs = $(patsubst %.c,$(1)/%.o,$(filter %.c,$(CORE_SRC))) \
            $(patsubst %.cc,$(1)/%.o,$(filter %.cc,$(CORE_SRC)))

CORE_OBJS = $(call core_objs,$(BUILD))
ASAN_OBJS = $(call core_objs,$(BUILD)/asan)

.SECONDARY:
.PHONY: all deps demo bench check _check layers format format-check unit unit-asan cli cli-asan oracle valgrind \
        fuzz _fuzz fuzz-smoke docs install uninstall clean FORCE
all: $(BUILD)/mlsearch

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@
$(BUILD)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS_ALL) -MMD -MP -c $< -o $@
$(BUILD)/asan/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(SANITIZE) -MMD -MP -c $< -o $@
$(BUILD)/asan/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS_ALL) $(SANITIZE) -MMD -MP -c $< -o $@

# The binary links with the C++ compiler because of the Xapian shim.
$(BUILD)/mlsearch: $(CLI_C:%.c=$(BUILD)/%.o) $(CORE_OBJS)
	$(CXX) $(OPT) -o $@ $^ $(LIBS_ALL)
$(BUILD)/asan/mlsearch: $(CLI_C:%.c=$(BUILD)/asan/%.o) $(ASAN_OBJS)
	$(CXX) $(OPT) $(SANITIZE) -o $@ $^ $(LIBS_ALL)

$(BUILD)/tests/test_%: $(BUILD)/tests/unit/test_%.o $(CORE_OBJS)
	$(CXX) $(OPT) -o $@ $^ $(LIBS_ALL) $(shell $(PKG_CONFIG) --libs cmocka)
$(BUILD)/asan/tests/test_%: $(BUILD)/asan/tests/unit/test_%.o $(ASAN_OBJS)
	$(CXX) $(OPT) $(SANITIZE) -o $@ $^ $(LIBS_ALL) $(shell $(PKG_CONFIG) --libs cmocka)

# The command's option table and parser, with what they say on stderr.
$(BUILD)/tests/test_options: $(BUILD)/cli/options.o $(BUILD)/cli/messages.o
$(BUILD)/asan/tests/test_options: $(BUILD)/asan/cli/options.o $(BUILD)/asan/cli/messages.o

# Installs the Debian packages that are missing (nothing when all are there).
deps:
	@scripts/install-deps

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo $(BUILD)/mlsearch

check: deps
	@$(MAKE) --no-print-directory _check WERROR=-Werror

_check: layers format-check unit unit-asan fuzz-smoke cli cli-asan oracle valgrind
	@echo "make check: all tests passed"

# No include goes up a layer, across to the other half, or in a circle
# (HACKING.md, "Layers").
layers:
	@scripts/check-layers

# The code's layout is .clang-format's (Debian 12's clang-format 14):
# `make format` rewrites it, make check fails on a file it would change.
CLANG_FORMAT ?= clang-format
FORMAT_FILES = $(wildcard include/mlsearch/*.h include/mlsearch/internal/*.h lib/*.c lib/*.cc \
               indexer/*.c searcher/*.c cli/*.c tests/unit/*.[ch] tests/fuzz/*.[ch] tests/cli/*.c)
format:
	$(CLANG_FORMAT) -i $(FORMAT_FILES)

format-check:
	@$(CLANG_FORMAT) --dry-run --Werror $(FORMAT_FILES)
	@echo "format-check: $(words $(FORMAT_FILES)) files as .clang-format lays them out"

unit: $(UNIT_TESTS:%=$(BUILD)/tests/test_%)
	@set -e; for t in $^; do echo "== $$t"; $$t; done

# (new_delete_type_mismatch: Xapian's Database::check(), as for cli-asan.)
unit-asan: $(UNIT_TESTS:%=$(BUILD)/asan/tests/test_%)
	@set -e; for t in $^; do echo "== $$t (ASan+UBSan)"; \
	  ASAN_OPTIONS=detect_leaks=1:new_delete_type_mismatch=0 UBSAN_OPTIONS=print_stacktrace=1 $$t; \
	done

# The hostile-notes tests change a note under the indexer with this; the
# crash tests stop it at a chosen step with the other.
FAULT_LIB = $(BUILD)/tests/fault_open.so
STEP_LIB = $(BUILD)/tests/fault_step.so
FAULT_ENV = MLS_FAULT_LIB=$(CURDIR)/$(FAULT_LIB) MLS_STEP_LIB=$(CURDIR)/$(STEP_LIB)
$(BUILD)/tests/fault_%.so: tests/cli/fault_%.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -shared -fPIC $(OPT) $(WARN_C) -o $@ $< -ldl

cli: $(BUILD)/mlsearch $(FAULT_LIB) $(STEP_LIB) $(DOCS)
	$(FAULT_ENV) MLSEARCH=$(CURDIR)/$(BUILD)/mlsearch bats tests/cli

# The same suites on the sanitizer build: any memory error, undefined
# behaviour or leak makes a command exit non-zero, and so its test fail.
# Xapian 1.4.22's own Database::check() deletes an object through a base
# of another size (inside libxapian, which is not ours to fix), so that
# one check of ASan's is off.  The crash tests kill the slower build at
# every third step only (every step is killed in `make cli`).
cli-asan: $(BUILD)/asan/mlsearch $(FAULT_LIB) $(STEP_LIB) $(DOCS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:new_delete_type_mismatch=0 \
	  UBSAN_OPTIONS=print_stacktrace=1 MLS_CRASH_STRIDE=3 \
	  $(FAULT_ENV) MLSEARCH=$(CURDIR)/$(BUILD)/asan/mlsearch bats tests/cli

oracle: $(BUILD)/mlsearch
	python3 tests/oracle/exactness.py --mlsearch $(BUILD)/mlsearch --corpus corpus

valgrind: $(BUILD)/mlsearch
	@scripts/valgrind-check $(BUILD)/mlsearch corpus

# Fuzzing with libFuzzer (clang only): each target tests/fuzz/fuzz_NAME.c
# feeds one parser or printer random input and aborts when a property it
# checks fails; ASan and UBSan catch memory errors.  `make fuzz` runs each
# for FUZZ_SECONDS on a scratch corpus in $(BUILD)/fuzz/corpus/NAME that
# starts from the seeds in tests/fuzz/NAME/ (the repository is never
# written to); crashing inputs go to $(BUILD)/fuzz/artifacts/.  Keep each
# one as tests/fuzz/NAME/regress-WHAT: `make fuzz-smoke` (part of `make
# check`) replays every seed once, then fuzzes each for FUZZ_SMOKE_SECONDS.
FUZZ_TARGETS = tokenizer markdown query output record
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_CC ?= clang
FUZZ_CXX ?= clang++
FUZZ_SANITIZE = -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer
# Passages cut at 300 bytes, not 64 KiB, so that inputs of a few KiB are cut.
FUZZ_DEFS = -DMLS_PASSAGE_MAX_BYTES=300
FUZZ_OBJS = $(call core_objs,$(BUILD)/fuzz)
FUZZ_BINS = $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)

$(BUILD)/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CFLAGS_ALL) $(FUZZ_SANITIZE) $(FUZZ_DEFS) -MMD -MP -c $< -o $@
$(BUILD)/fuzz/%.o: %.cc
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(CXXFLAGS_ALL) $(FUZZ_SANITIZE) $(FUZZ_DEFS) -MMD -MP -c $< -o $@
$(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzz/tests/fuzz/fuzz_%.o $(FUZZ_OBJS)
	$(FUZZ_CXX) $(OPT) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LIBS_ALL)

fuzz: deps
	@$(MAKE) --no-print-directory _fuzz

_fuzz: $(FUZZ_BINS)
	@scripts/fuzz-run $(BUILD)/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-smoke: $(FUZZ_BINS)
	@scripts/fuzz-run --replay $(BUILD)/fuzz $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

# The benchmark against peer tools on a real corpus (see bench/README.md);
# installs what it needs, takes about half an hour, writes bench/RESULTS.md.
bench: deps
	@$(MAKE) --no-print-directory all
	python3 bench/run.py
	python3 bench/shards.py

# The man page and the completions, made from the command's table of
# options by cli/gen_docs.c; the systemd units, with the binary's path.
DOCS = $(BUILD)/doc/mlsearch.1 $(BUILD)/doc/mlsearch.bash $(BUILD)/doc/_mlsearch \
       $(BUILD)/doc/mlsearch.fish $(BUILD)/doc/mlsearch-index.service
docs: $(DOCS)

$(BUILD)/gen_docs: $(BUILD)/cli/gen_docs.o $(BUILD)/cli/options.o $(BUILD)/cli/messages.o \
                   $(CORE_OBJS)
	$(CXX) $(OPT) -o $@ $^ $(LIBS_ALL)
# The folders the man page and the service name: rewritten when they
# change (make install PREFIX=/opt/x after a plain make), so that what
# names them is made again.
$(BUILD)/doc/dirs: FORCE
	@mkdir -p $(dir $@)
	@echo '$(BINDIR) $(DOCDIR)' | cmp -s - $@ || echo '$(BINDIR) $(DOCDIR)' > $@
FORCE:
$(BUILD)/doc/mlsearch.1: doc/mlsearch.1.in $(BUILD)/gen_docs $(BUILD)/doc/dirs
	@mkdir -p $(dir $@)
	$(BUILD)/gen_docs man doc/mlsearch.1.in $(BINDIR) $(DOCDIR) > $@.tmp && mv $@.tmp $@
$(BUILD)/doc/mlsearch.bash $(BUILD)/doc/_mlsearch $(BUILD)/doc/mlsearch.fish: $(BUILD)/gen_docs
	@mkdir -p $(dir $@)
	$(BUILD)/gen_docs $(patsubst _mlsearch,zsh,$(patsubst mlsearch.%,%,$(notdir $@))) \
	  > $@.tmp && mv $@.tmp $@
$(BUILD)/doc/mlsearch-index.service: doc/mlsearch-index.service.in $(BUILD)/doc/dirs
	@mkdir -p $(dir $@)
	sed 's|@BINDIR@|$(BINDIR)|' $< > $@

INSTALLED = $(BINDIR)/mlsearch $(MANDIR)/man1/mlsearch.1 $(DOCDIR)/README.md $(DOCDIR)/LICENSE \
            $(BASH_COMPLETION_DIR)/mlsearch $(ZSH_COMPLETION_DIR)/_mlsearch \
            $(FISH_COMPLETION_DIR)/mlsearch.fish $(SYSTEMD_USER_DIR)/mlsearch-index.service \
            $(SYSTEMD_USER_DIR)/mlsearch-index.timer
install: $(BUILD)/mlsearch $(DOCS)
	install -D -m 0755 $(BUILD)/mlsearch $(DESTDIR)$(BINDIR)/mlsearch
	install -D -m 0644 $(BUILD)/doc/mlsearch.1 $(DESTDIR)$(MANDIR)/man1/mlsearch.1
	install -D -m 0644 README.md $(DESTDIR)$(DOCDIR)/README.md
	install -D -m 0644 LICENSE $(DESTDIR)$(DOCDIR)/LICENSE
	install -D -m 0644 $(BUILD)/doc/mlsearch.bash $(DESTDIR)$(BASH_COMPLETION_DIR)/mlsearch
	install -D -m 0644 $(BUILD)/doc/_mlsearch $(DESTDIR)$(ZSH_COMPLETION_DIR)/_mlsearch
	install -D -m 0644 $(BUILD)/doc/mlsearch.fish $(DESTDIR)$(FISH_COMPLETION_DIR)/mlsearch.fish
	install -D -m 0644 $(BUILD)/doc/mlsearch-index.service \
	  $(DESTDIR)$(SYSTEMD_USER_DIR)/mlsearch-index.service
	install -D -m 0644 doc/mlsearch-index.timer $(DESTDIR)$(SYSTEMD_USER_DIR)/mlsearch-index.timer

# Removes what install put in, and the folder of the docs; nothing else.
uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
