# The two commands of the README: `make test` (and, with the streaming engine, `make demo`).
.PHONY: test deps build-dev build-release clean

JOBS ?= $(shell nproc)

deps:
	scripts/install-deps

build-dev: deps
	cmake --preset dev -DSILT_WERROR=$(if $(CI),ON,OFF)
	cmake --build --preset dev -j $(JOBS)

# Installs what is missing, builds with ASan + UBSan, runs every test.
test: build-dev
	ctest --preset dev $(if $(LABEL),-L $(LABEL),)

build-release: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS)

clean:
	rm -rf build
