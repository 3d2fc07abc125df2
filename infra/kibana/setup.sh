#!/usr/bin/env bash
# Kibana's data views (index patterns) for what the collector writes into Elasticsearch
# (../otel-collector/config.yaml: logs_index mocks3-logs, traces_index mocks3-traces), both on
# @timestamp, the logs one the default. Run once Kibana is up by the one-shot `kibana-setup`
# service of docker-compose.yml (in Kibana's own image, which has bash and curl); running it
# again replaces them (override), so every `docker compose up` leaves the same two.
set -euo pipefail
KIBANA="${KIBANA_URL:-http://kibana:5601}"
JSON=(-H "kbn-xsrf: mocks3" -H "content-type: application/json")

# /api/status answers 503 until Kibana can serve; 10 minutes at most
for attempt in $(seq 1 120); do
  curl -fs -o /dev/null "$KIBANA/api/status" && break
  [ "$attempt" = 120 ] && { echo "Kibana at $KIBANA did not come up" >&2; exit 1; }
  sleep 5
done

data_view() { # id, index pattern, name
  curl -fsS -o /dev/null -X POST "$KIBANA/api/data_views/data_view" "${JSON[@]}" -d "{\"override\": true,
    \"data_view\": {\"id\": \"$1\", \"title\": \"$2\", \"name\": \"$3\", \"timeFieldName\": \"@timestamp\", \"allowNoIndex\": true}}"
  echo "Kibana data view $3: $2"
}
data_view mocks3-logs "mocks3-logs*" "MockS3 logs"
data_view mocks3-traces "mocks3-traces*" "MockS3 traces"
curl -fsS -o /dev/null -X POST "$KIBANA/api/data_views/default" "${JSON[@]}" -d '{"data_view_id": "mocks3-logs", "force": true}'
echo "Kibana's default data view: MockS3 logs"
