# The two commands of the README: `make test` (and, with the streaming engine, `make demo`).
.PHONY: test deps build-dev build-release demo clean

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

# A streaming query of synthetic click events (the rate source) printed batch by batch, stopped
# and restarted on its checkpoint: the second run continues with the next batch.
DEMO_DIR ?= build/demo
demo: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS) --target silt
	rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	build/release/src/silt/cli/silt stream --name clicks \
	  --from rate:rowsPerSecond=20,schema=clicks --to console --num-rows 5 \
	  --checkpoint $(DEMO_DIR)/checkpoint --trigger interval:1s --max-batches 3 \
	  --progress-log $(DEMO_DIR)/progress.jsonl
	@echo "--- restarting on the same checkpoint ---"
	build/release/src/silt/cli/silt stream --name clicks \
	  --from rate:rowsPerSecond=20,schema=clicks --to console --num-rows 5 \
	  --checkpoint $(DEMO_DIR)/checkpoint --trigger interval:1s --max-batches 2 \
	  --progress-log $(DEMO_DIR)/progress.jsonl
	@echo "--- checkpoint folder and progress log ---"
	ls $(DEMO_DIR)/checkpoint/offsets $(DEMO_DIR)/checkpoint/commits
	tail -n 1 $(DEMO_DIR)/progress.jsonl

clean:
	rm -rf build
