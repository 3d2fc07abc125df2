/** The seed README's fault rule examples (section 错误注入和混沌工程), kept once, verbatim. */
/** The two `curl -X POST …/api/v1/rules` commands, exactly as written. */
export const SEED_ADD_RULES = [
  `curl -X POST http://localhost:8085/api/v1/rules \\
  -H "Content-Type: application/json" \\
  -d '{
    "name": "Storage Random Error",
    "description": "10% chance of 500 error",
    "service": "storage-service",
    "enabled": true,
    "conditions": [
      {
        "type": "probability",
        "value": 0.1
      }
    ],
    "action": {
      "type": "http_error",
      "http_code": 500,
      "message": "Internal server error injected"
    }
  }'`,
  `curl -X POST http://localhost:8085/api/v1/rules \\
  -H "Content-Type: application/json" \\
  -d '{
    "name": "Metadata Delay",
    "description": "Add 2s delay to metadata operations",
    "service": "metadata-service",
    "enabled": true,
    "conditions": [
      {
        "type": "probability",
        "value": 0.2
      }
    ],
    "action": {
      "type": "delay",
      "delay": "2s"
    }
  }'`,
];

/** The JSON bodies of those commands (their `-d '…'`), as written. */
export const SEED_RULE_BODIES = SEED_ADD_RULES.map((command) => /-d '([^']*)'/.exec(command)![1]!);
