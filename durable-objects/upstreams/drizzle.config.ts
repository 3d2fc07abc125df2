import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: "./durable-objects/upstreams/schema.ts",
  out: "./durable-objects/upstreams/drizzle",
});
