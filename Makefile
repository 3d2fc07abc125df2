# The seed's make commands, each a thin name for an npm script (package.json), which holds
# the real command: `make` alone lists them. Everything runs without make too (README, "The
# seed's make commands"). The ops targets take the same variables as `npm start`, e.g.
# `MOCKS3_PORT=9080 make status`.

.DEFAULT_GOAL := help
NPM ?= npm
DOCKER ?= docker
DOCKER_COMPOSE ?= docker-compose
SERVICES := gateway metadata-service storage-service queue-service third-party-service mock-error-service
# logs-gateway, logs-metadata-service and the seed's short names (logs-metadata), and the sidecar's
LOG_TARGETS := $(addprefix logs-,$(sort $(SERVICES) $(SERVICES:-service=) sidecar))
# the seed ran one service at a time; MockS3's workers are bound to one another, so all run
DEV_TARGETS := $(addprefix dev-,$(sort $(SERVICES:-service=)))
# what runs create, none of it tracked (.gitignore): the default data directory, benchmark
# results, the stack's bundles, wrangler dev's state
GENERATED := .mocks3 .bench .build .wrangler

.PHONY: help up start down stop status health-check test-api logs $(LOG_TARGETS) benchmark \
	load-test test test-integration pre-commit fmt lint install-tools dev-setup build-all dev \
	$(DEV_TARGETS) up-infra up-services docker-up docker-down consul-services reset-data clean

help: ## this list
	@echo "MockS3's make targets (each runs an npm script; \`npm run <tool> -- --help\` explains it):"
	@awk 'BEGIN { FS = ":[^#]*## " } /^[a-z$$][^:]*:[^#]*## / { \
		name = $$1; sub(/\$$\(LOG_TARGETS\)/, "logs-<service>", name); sub(/\$$\(DEV_TARGETS\)/, "dev-<service>", name); \
		printf "  %-20s %s\n", name, $$2 }' $(MAKEFILE_LIST)
	@echo "  services: $(SERVICES) (or without -service: logs-metadata); logs-sidecar"

# --- the stack ---------------------------------------------------------------------------

up start: ## run MockS3 (npm start) in this terminal; Ctrl-C, or `make down` elsewhere, stops it
	$(NPM) start

down stop: ## stop the MockS3 that npm start runs from the data directory (npm run stop)
	$(NPM) run stop

status: ## the stack's process, services, storage nodes, fault rules with their injections, anomalies
	$(NPM) run status

consul-services: ## the seed's service registry: here every service and its URL (npm run status)
	$(NPM) run status

health-check: ## every service's /health, one line each; exit 1 if any is down
	$(NPM) run health-check

test-api: ## a signed S3 round trip against the running stack
	$(NPM) run test-api

logs: ## follow the structured log of every service (npm run logs; ARGS="--json")
	$(NPM) run logs -- $(ARGS)

$(LOG_TARGETS): logs-%: ## follow one service's log lines (npm run logs -- <service>; ARGS="--kind fault")
	$(NPM) run logs -- $* $(ARGS)

load-test: ## a bounded GET/PUT load on the running stack (npm run load-test; ARGS="--seconds 30")
	$(NPM) run load-test -- $(ARGS)

benchmark: ## MockS3 against a bare worker and s3rver (npm run bench; ARGS="--help")
	$(NPM) run bench -- $(ARGS)

reset-data: down ## stop the stack and delete its data directory (MOCKS3_DATA_DIR, else .mocks3): buckets, objects, rules
	@dir="$(or $(MOCKS3_DATA_DIR),.mocks3)"; \
	if [ -d "$$dir" ] && [ ! -d "$$dir/state" ] && [ ! -d "$$dir/logs" ]; then \
		echo "make reset-data: $$dir does not look like a MockS3 data directory (no state/ or logs/); left as it is" >&2; exit 1; \
	fi; \
	rm -rf -- "$$dir" && echo "removed $$dir"

# --- development -------------------------------------------------------------------------

install-tools: ## install the Node tools and libraries (npm ci: wrangler, tsx, vitest, TypeScript)
	$(NPM) ci

dev-setup: install-tools ## install, then type-check everything (npm run typecheck)
	$(NPM) run typecheck

test: ## type-check, then the whole suite against the real runtime (npm test)
	$(NPM) test

test-integration: ## the same: every MockS3 test runs against a real stack (npm test)
	$(NPM) test

fmt: ## format the code (npm run format)
	$(NPM) run format

lint: ## lint the code (npm run lint)
	$(NPM) run lint

pre-commit: ## the checks before a commit: type-check, lint (when configured), the suite
	$(NPM) run typecheck
	$(NPM) run lint --if-present
	$(NPM) test

build-all: ## bundle every worker into .build/ (npm run build; npm start does it when sources change)
	$(NPM) run build

dev: ## the workers under wrangler dev (npm run dev)
	$(NPM) run dev

$(DEV_TARGETS): dev-%: ## the same, wrangler dev of all workers: they are bound to one another
	@echo "make $@: MockS3's workers call one another through bindings, so wrangler dev runs them all"
	$(NPM) run dev

clean: ## stop the stack in .mocks3, then delete what runs generated: .mocks3 .bench .build .wrangler
	MOCKS3_DATA_DIR=.mocks3 $(NPM) run stop
	rm -rf -- $(GENERATED)

# --- Docker: the full stack with Prometheus, Grafana, Elasticsearch, Kibana --------------

# `docker compose`, else the older `docker-compose`, else a reason and exit 1
COMPOSE = $(shell $(DOCKER) compose version >/dev/null 2>&1 && echo "$(DOCKER) compose" || ($(DOCKER_COMPOSE) version >/dev/null 2>&1 && echo $(DOCKER_COMPOSE)))
define need-compose
	@if [ -z "$(COMPOSE)" ]; then \
		echo "make $@: needs Docker with Compose (\`docker compose\` or \`docker-compose\`), and neither was found." >&2; \
		echo "MockS3 runs without Docker: make up (npm start)." >&2; exit 1; \
	fi
endef

docker-up: ## the full stack in Docker, built and detached (docker compose up --build -d)
	$(need-compose)
	$(COMPOSE) up --build -d

docker-down: ## stop the Docker stack (docker compose down; its volume stays)
	$(need-compose)
	$(COMPOSE) down

up-infra: ## only the infrastructure in Docker: OTel Collector, Prometheus, Grafana, Elasticsearch, Kibana and its data views
	$(need-compose)
	$(COMPOSE) up -d otel-collector prometheus grafana elasticsearch kibana kibana-setup

up-services: ## only MockS3 in Docker, beside `make up-infra` (docker compose up --no-deps mocks3)
	$(need-compose)
	$(COMPOSE) up --build -d --no-deps mocks3
