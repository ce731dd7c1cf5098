# Sangstudio: make run | make test | make bench | make fuzz
# Every target installs what it needs first (Debian packages through apt).

GO       ?= go
BIN      := bin/sangstudio
DEMO_DIR ?= $(HOME)/Sangstudio/Demo
FUZZTIME ?= 30s
VERSION  := $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)
# RtMidi (MIDI keyboards, through gomidi's rtmididrv) is built with its JACK
# API next to ALSA, so JACK MIDI ports work too (and the tests can make them).
export CGO_CXXFLAGS ?= -O2 -D__UNIX_JACK__ -Wno-deprecated-declarations
export CGO_LDFLAGS  ?= -ljack
# staticcheck (make vet), installed from the module proxy into bin/ at this
# version (2026.2.2; it needs a Go at least as new as the one it checks).
STATICCHECK_VERSION := v0.8.2
STATICCHECK := bin/staticcheck-$(STATICCHECK_VERSION)/staticcheck

.PHONY: all build run test vet bench fuzz soak clean deps-build deps-test deps-deb deb

all: build

deps-build:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

deps-deb:
	@scripts/install-deps.sh deb

build: deps-build
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/sangstudio

# Opens the window on the demo song (written first if it is not there yet).
# With no display, the app says so and exits with status 1.
run: build
	@scripts/install-deps.sh run
	@if [ ! -e "$(DEMO_DIR)/song.json" ]; then $(BIN) demo "$(DEMO_DIR)"; fi
	$(BIN) open "$(DEMO_DIR)"

# The Debian package sangstudio_<version>_amd64.deb in the checkout
# (reproducible: see scripts/make-deb.sh), checked by lintian (no errors)
# and appstreamcli.
deb: deps-deb
	@deb=$$(GO=$(GO) scripts/make-deb.sh) && \
	  appstreamcli validate --no-net build/deb/root/usr/share/metainfo/*.xml >/dev/null && \
	  lintian --fail-on error "$$deb" && ls -l "$$deb"

# gofmt, go vet and staticcheck (its settings: staticcheck.conf).
vet: $(STATICCHECK)
	@bad=$$(gofmt -l $$($(GO) list -f '{{.Dir}}' ./...)); test -z "$$bad" || { echo "gofmt needed: $$bad"; exit 1; }
	$(GO) vet ./...
	$(STATICCHECK) ./...

$(STATICCHECK):
	GOFLAGS=-mod=mod GOBIN=$(CURDIR)/$(dir $(STATICCHECK)) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

# All tests, including the ones that read our files back with sox, ffmpeg,
# ecasound and flac (SANGSTUDIO_REQUIRE_TOOLS=1 makes a missing tool a failure),
# and the real-device tests: they run in a shell that starts a private JACK
# server with the dummy backend (scripts/audio-env.sh) and stops it however
# the shell ends (SANGSTUDIO_REQUIRE_AUDIO=1 makes a missing server a failure).
# Then the window's packages once more without -race: -race slows the test
# goroutine enough to hide a check made before the view caught up.
# Then the tests on the desktop's sound system, in a shell of their own that
# starts a private, headless PipeWire with WirePlumber, a null sink and a null
# source (scripts/pipewire-env.sh; SANGSTUDIO_REQUIRE_PIPEWIRE=1 makes a
# missing server a failure): nothing else runs while it is up (about 15 s).
# Last, the clean-install test of the Debian package (as root with apt:
# build, lintian, apt-get install, run from /usr/bin, apt-get remove; see
# scripts/test-deb-install.sh).
test: deps-test vet
	@bash -c 'source scripts/audio-env.sh && trap audio_down EXIT && trap "exit 130" INT TERM HUP && audio_up && \
	  export SANGSTUDIO_REQUIRE_AUDIO=1 SANGSTUDIO_REQUIRE_TOOLS=1 && \
	  echo "$(GO) test -race -timeout 20m ./..." && $(GO) test -race -timeout 20m ./... && \
	  echo "$(GO) test -count=1 -timeout 20m ./ui/..." && $(GO) test -count=1 -timeout 20m ./ui/...'
	@bash -c 'source scripts/pipewire-env.sh && trap pipewire_down EXIT && trap "exit 130" INT TERM HUP && pipewire_up && \
	  export SANGSTUDIO_REQUIRE_PIPEWIRE=1 && \
	  echo "$(GO) test -count=1 -timeout 5m -run PipeWire ./cmd/sangstudio" && $(GO) test -count=1 -timeout 5m -run PipeWire ./cmd/sangstudio'
	GO=$(GO) scripts/test-deb-install.sh

# Go benchmarks (those on real devices against the same private JACK server),
# missed cycles while 16 tracks play, next to a peer C client on that server,
# at 128 and 256 frames (ENGINE_BUFFERS; ENGINE_SECONDS each, default 120), then the render against sox/ecasound/ffmpeg on the 16-track song,
# then the window's start time and idle CPU against a bare Fyne app (Xvfb),
# loudness measurement against ffmpeg's ebur128, mastering and a 3-song CD
# image in x real time.
bench: deps-test build
	@bash -c 'source scripts/audio-env.sh && trap audio_down EXIT && trap "exit 130" INT TERM HUP && audio_up && \
	  export SANGSTUDIO_REQUIRE_AUDIO=1 && \
	  echo "$(GO) test -run ^\$$ -bench . -benchmem ./..." && $(GO) test -run "^\$$" -bench . -benchmem ./... && \
	  scripts/bench-engine.sh'
	scripts/bench-render.sh
	scripts/bench-window.sh
	scripts/bench-loudness.sh
	scripts/bench-master.sh
	scripts/bench-cd.sh

# Runs every fuzz target for FUZZTIME each, starting from the corpus in its
# package's testdata/fuzz (which every `go test` also runs as regression
# tests); scripts/fuzz-corpus.sh copies what a run found into testdata.
# Each input's work is checked for panics, hangs and allocation beyond what
# its size justifies (internal/fuzzcheck).
fuzz: deps-test
	GO=$(GO) FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

# The long reliability runs: hundreds of kill -9s during recordings and
# saves, load and memory over long recordings, and one hour of recording 8
# inputs while 16 tracks play on the private JACK server
# (SANGSTUDIO_SOAK_SECONDS, default 3600). `make test` runs short versions.
# One package at a time (-p 1), so that the runs that count missed audio
# cycles do not share the machine with the kill loops.
soak: deps-test build
	@bash -c 'source scripts/audio-env.sh && trap audio_down EXIT && trap "exit 130" INT TERM HUP && audio_up && \
	  export SANGSTUDIO_SOAK=1 SANGSTUDIO_REQUIRE_AUDIO=1 SANGSTUDIO_REQUIRE_TOOLS=1 && \
	  mkdir -p bench-out && echo "$(GO) test -p 1 -run (Soak|Crash|Kill) -timeout 3h ./..." && $(GO) test -p 1 -v -run "(Soak|Crash|Kill)" -timeout 3h ./... 2>&1 | tee bench-out/soak-short.log; exit $${PIPESTATUS[0]}'
	@if [ -x scripts/soak.sh ]; then scripts/soak.sh; fi

clean:
	rm -rf bin bench-out
