// Types for drizzle-kit's generated migrations.js (it generates no declaration itself).
import type { Migrations } from "../../../shared/durable-database";

declare const migrations: Migrations;
export default migrations;
