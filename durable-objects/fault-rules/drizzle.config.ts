import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: "./durable-objects/fault-rules/schema.ts",
  out: "./durable-objects/fault-rules/drizzle",
});
