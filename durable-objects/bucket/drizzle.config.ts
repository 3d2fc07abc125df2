import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: "./durable-objects/bucket/schema.ts",
  out: "./durable-objects/bucket/drizzle",
});
