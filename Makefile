# The two commands of the README: `make test` and `make demo`.
.PHONY: test deps build-dev build-release demo clean

JOBS ?= $(shell nproc)

deps:
	scripts/install-deps

# Under CI (a fresh machine each time) the compiler cache would only cost disk space.
build-dev: deps
	cmake --preset dev -DSILT_WERROR=$(if $(CI),ON,OFF)
	$(if $(CI),CCACHE_DISABLE=1 ,)cmake --build --preset dev -j $(JOBS)

# Installs what is missing, builds with ASan + UBSan, runs every test.
test: build-dev
	ctest --preset dev $(if $(LABEL),-L $(LABEL),)

build-release: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS)

# The demo: synthetic click events stream into a Delta table partitioned by day while a second
# query tails that table into another one; then both tables are shown. No servers, no
# configuration; everything lands under DEMO_DIR, which is emptied first (run it as often as you
# like).
DEMO_DIR ?= build/demo
SILT_BIN := build/release/src/silt/cli/silt
demo: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS) --target silt
	rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	@echo "--- 1. clicks: rate source -> Delta table partitioned by event_date (in the background)"
	@echo "--- 2. clicks_tail: Delta source on clicks -> a second Delta table, polling every 500 ms"
	$(SILT_BIN) stream --name clicks \
	  --from rate:rowsPerBatch=5000,startTimestamp=1793491200000,advanceMillisPerBatch=21600000,totalRows=40000,schema=clicks \
	  --to delta:$(DEMO_DIR)/clicks --sink-option partitionBy=event_date \
	  --checkpoint $(DEMO_DIR)/checkpoints/clicks --trigger interval:400ms --max-batches 8 \
	  --progress-log $(DEMO_DIR)/clicks-progress.jsonl > $(DEMO_DIR)/clicks.out 2>&1 & \
	writer=$$!; \
	while [ ! -e $(DEMO_DIR)/clicks/_delta_log/00000000000000000000.json ]; do sleep 0.2; done; \
	$(SILT_BIN) stream --name clicks_tail --from delta:$(DEMO_DIR)/clicks \
	  --option maxFilesPerTrigger=4 --to delta:$(DEMO_DIR)/clicks_tail \
	  --checkpoint $(DEMO_DIR)/checkpoints/clicks_tail --trigger interval:500ms --max-batches 4 \
	  --progress-log $(DEMO_DIR)/tail-progress.jsonl; \
	wait $$writer; cat $(DEMO_DIR)/clicks.out
	@echo "--- 3. the tail catches up with what is left (available-now), on the same checkpoint"
	$(SILT_BIN) stream --name clicks_tail --from delta:$(DEMO_DIR)/clicks \
	  --option maxFilesPerTrigger=4 --to delta:$(DEMO_DIR)/clicks_tail \
	  --checkpoint $(DEMO_DIR)/checkpoints/clicks_tail --trigger available-now \
	  --progress-log $(DEMO_DIR)/tail-progress.jsonl
	@echo "--- 4. the tables"
	$(SILT_BIN) describe $(DEMO_DIR)/clicks
	$(SILT_BIN) history $(DEMO_DIR)/clicks_tail --limit 3
	$(SILT_BIN) scan $(DEMO_DIR)/clicks_tail --where "country = 'NL'" --format table --limit 5
	@echo "--- rows per table (must be equal):"
	@$(SILT_BIN) scan $(DEMO_DIR)/clicks --columns user_id | wc -l
	@$(SILT_BIN) scan $(DEMO_DIR)/clicks_tail --columns user_id | wc -l
	@echo "--- last progress record of the tail query:"
	@tail -n 1 $(DEMO_DIR)/tail-progress.jsonl

clean:
	rm -rf build
