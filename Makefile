# vtools: the README's two commands are `make demo` and `make test`.
PREFIX ?= /usr/local
SWIFT ?= swift
RELEASE_BIN := .build/release
TOOLS := vdata vframes vprompt vinfer vmerge vscore vreport
MAN1 := $(addprefix man/,$(addsuffix .1,$(TOOLS)))

.PHONY: all deps test-deps test-servers build test demo run install uninstall bench clean lint-man lint-swift format fuzz sanitize

all: build

deps:
	@scripts/install-deps.sh

# What the tests run against besides the build's own needs (a real Slurm: SlurmArrayTests).
test-deps:
	@scripts/install-deps.sh --test-tools

# Opt-in, not part of `make test`: the pipeline against a real llama.cpp server built from the
# llama-cpp-python sdist and a tiny random Qwen2-VL made locally (cached under .cache/test-servers/).
test-servers: build
	@scripts/install-deps.sh --server-tools
	@BIN_DIR=$(CURDIR)/$(RELEASE_BIN) scripts/test-servers.sh

build: deps
	$(SWIFT) build -c release

# Build the tests once, then run them without rebuilding (two cores: never two builds at once).
test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	@$(MAKE) --no-print-directory lint-man lint-swift

lint-man:
	@for m in man/*.[1-9]; do \
	  out=$$(LC_ALL=C.UTF-8 MANWIDTH=80 groff -mandoc -ww -z -K utf8 "$$m" 2>&1); \
	  if [ -n "$$out" ]; then echo "$$m: $$out"; exit 1; fi; \
	done; echo "man pages lint clean"

# The Swift sources against .swift-format (the toolchain's swift-format); `make format` fixes them.
SWIFT_DIRS := Sources Tests Fuzz
lint-swift:
	@$(SWIFT) format lint --strict --parallel --recursive $(SWIFT_DIRS) && echo "swift format lint clean"

format:
	$(SWIFT) format format --in-place --parallel --recursive $(SWIFT_DIRS)

demo: build
	@scripts/demo.sh

# The demo's benchmark (or PRESETS from $$LMUData) through pipelines/Makefile against a real
# server: make run MODEL=Qwen2-VL-7B-Instruct API_BASE=http://localhost:8000/v1 [PRESETS=...]
MODEL ?= chance
API_BASE ?=
DEMO_LMU := $(CURDIR)/demo/LMUData
run: build
ifeq ($(strip $(PRESETS)),)
	@scripts/make-demo-data.sh $(DEMO_LMU) 24 >/dev/null
	@$(MAKE) --no-print-directory -f pipelines/Makefile MODEL='$(MODEL)' API_BASE='$(API_BASE)' PRESETS=DemoBench \
	  LMUData=$(DEMO_LMU) WORK=$(CURDIR)/demo/runs BIN=$(CURDIR)/$(RELEASE_BIN) \
	  TSV_DemoBench=$(DEMO_LMU)/DemoBench.tsv \
	  FRAMES_DemoBench='--nframe 8 --dataset DemoBench --video-root $(DEMO_LMU)/videos --video-ext .mp4' \
	  PROMPT_DemoBench='--template mvbench' SCORE_DemoBench='--dataset DemoBench --rules mvbench'
else
	@$(MAKE) --no-print-directory -f pipelines/Makefile MODEL='$(MODEL)' API_BASE='$(API_BASE)' PRESETS='$(PRESETS)' BIN=$(CURDIR)/$(RELEASE_BIN)
endif

install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	for t in $(TOOLS); do \
	  install -m 755 $(RELEASE_BIN)/$$t $(DESTDIR)$(PREFIX)/bin/$$t; \
	  $(RELEASE_BIN)/$$t --generate-completion-script bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$t; \
	  $(RELEASE_BIN)/$$t --generate-completion-script zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_$$t; \
	  $(RELEASE_BIN)/$$t --generate-completion-script fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/$$t.fish; \
	done
	install -m 644 $(MAN1) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -d $(DESTDIR)$(PREFIX)/share/man/man5 && install -m 644 man/vtools-records.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -d $(DESTDIR)$(PREFIX)/share/man/man7 && install -m 644 man/vtools.7 $(DESTDIR)$(PREFIX)/share/man/man7/

uninstall:
	for t in $(TOOLS); do rm -f $(DESTDIR)$(PREFIX)/bin/$$t $(DESTDIR)$(PREFIX)/share/man/man1/$$t.1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$t $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_$$t \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/$$t.fish; done

bench: build
	bench/vframes.sh
	bench/memory.sh

clean:
	rm -rf .build demo

# libFuzzer runs of the parsers and the media path (FUZZ_SECONDS each); see Fuzz/README.md.
FUZZ_SECONDS ?= 60
fuzz: deps
	scripts/fuzz.sh $(FUZZ_SECONDS)

# The test suite under AddressSanitizer (leaks included) and ThreadSanitizer, in their own
# build folders so the normal build is untouched.
# Resource-bound tests are skipped there (sanitizers change memory use); leaks inside the Swift
# toolchain's libraries are suppressed (scripts/lsan.supp).
sanitize: deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	VTOOLS_SANITIZER=address LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp \
	  $(SWIFT) test --skip-build --sanitize=address --scratch-path .build-asan
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	VTOOLS_SANITIZER=thread $(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan
