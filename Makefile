# ticker — every target sets itself up; a fresh clone needs only Python 3.11+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test lint types pytest goldens clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The reference time for the samples' ages ("2 hours ago"), so every run prints the same.
SAMPLE_NOW := 2025-08-01T12:00:00+02:00

# The feeds of all samples together, in every format, plus one feed per region. FEED_URL is
# where they would be served: a reserved name (RFC 6761), since make run serves nothing.
FEED_FORMATS := rss atom json
FEED_URL := https://ticker.invalid/feeds/
# The archive of all samples that `make run` ends with, rebuilt each time (out/ is generated).
SAMPLE_DB := out/samples.db

run: install
	$(BIN)/ticker parse --now $(SAMPLE_NOW) --format summary samples/*.txt
	@for fmt in $(FEED_FORMATS); do \
	  $(BIN)/ticker feed --now $(SAMPLE_NOW) --format $$fmt --split region \
	    --self-url $(FEED_URL) -o out samples/*.txt || exit 1; \
	done
	@rm -f $(SAMPLE_DB) $(SAMPLE_DB)-wal $(SAMPLE_DB)-shm
	$(BIN)/ticker ingest --db $(SAMPLE_DB) --now $(SAMPLE_NOW) samples/*.txt
	@echo "Serve the sample archive: $(BIN)/ticker serve --db $(SAMPLE_DB)   (then open http://127.0.0.1:8080/)"

test: install lint types pytest

lint: install
	$(BIN)/ruff check ticker tests fuzz bench
	$(BIN)/ruff format --check ticker tests fuzz bench

types: install
	$(BIN)/mypy --strict ticker

pytest: install
	$(BIN)/pytest

# Rewrite samples/*.expected.jsonl and samples/feeds/* from the code; read the diff before committing.
goldens: install
	$(BIN)/python -m tests.goldens

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache out

# Benchmark (issue 6): a synthetic 50 MB corpus and its gold in .bench/ (made when missing or
# when the generator changes; .bench/ ignores itself), then one run of bench.run, which
# prints the figures and saves them in .bench/results.json. BENCHMARKS.md has the results.
# `make bench BENCH_ARGS='--stream-gb 1'` adds the 1 GB streaming check.
.PHONY: bench corpus
BENCH_DIR   := .bench
BENCH_SIZE  ?= 50MB
BENCH_SIZES ?= 1MB,10MB,50MB
BENCH_ARGS  ?=

corpus: install $(BENCH_DIR)/corpus.txt

$(BENCH_DIR)/corpus.txt: bench/corpus.py | $(STAMP)
	mkdir -p $(BENCH_DIR) && echo '*' > $(BENCH_DIR)/.gitignore
	$(BIN)/python -m bench.corpus --size $(BENCH_SIZE) --seed 1 --out $(BENCH_DIR)

bench: install corpus
	$(BIN)/python -m bench.run --corpus $(BENCH_DIR) --sizes $(BENCH_SIZES) \
	  --json $(BENCH_DIR)/results.json $(BENCH_ARGS)

# Fuzzing (reliability): atheris drives the parser and the three feed writers with mutated
# inputs seeded from samples/ for FUZZ_SECONDS; a crash leaves its input in .fuzz/crash-*.
FUZZ_SECONDS ?= 60
.PHONY: fuzz
fuzz: install
	$(BIN)/pip install --quiet atheris
	mkdir -p .fuzz/corpus && cp samples/*.txt .fuzz/corpus/
	$(BIN)/python fuzz/fuzz_parse.py .fuzz/corpus -max_total_time=$(FUZZ_SECONDS) \
		-rss_limit_mb=2048 -artifact_prefix=.fuzz/
