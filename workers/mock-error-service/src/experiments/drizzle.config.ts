import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: "./workers/mock-error-service/src/experiments/schema.ts",
  out: "./workers/mock-error-service/src/experiments/drizzle",
});
