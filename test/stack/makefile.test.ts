/**
 * The seed's make commands (Makefile), as a user types them: `make` alone lists them; each
 * is the npm script it names (`make -n` prints a target's recipe without running it); the
 * README's table names only targets that exist; `make clean` deletes nothing tracked. Some
 * run for real: `make health-check` against the suite's stack, `make logs-<service>` for
 * every service, the Docker targets on a machine without Docker.
 */
import { describe, expect, inject, it } from "vitest";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { SERVICE_NAMES } from "../../scripts/ops/endpoints";
import { runCommand } from "../helpers/run-command";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** every make command the seed's READMEs name */
const SEED_TARGETS = (
  "up status health-check test-api logs logs-metadata logs-storage install-tools dev-setup test fmt lint up-infra dev-metadata dev-storage " +
  "build-all test-integration benchmark load-test up-services reset-data consul-services pre-commit"
).split(" ");
/** the target → the command its recipe runs */
const RECIPES: Record<string, string> = {
  up: "npm start",
  start: "npm start",
  down: "npm run stop",
  stop: "npm run stop",
  status: "npm run status",
  "consul-services": "npm run status",
  "health-check": "npm run health-check",
  "test-api": "npm run test-api",
  logs: "npm run logs",
  "load-test": "npm run load-test",
  benchmark: "npm run bench",
  test: "npm test",
  "test-integration": "npm test",
  "install-tools": "npm ci",
  "dev-setup": "npm run typecheck",
  fmt: "npm run format",
  lint: "npm run lint",
  "pre-commit": "npm run typecheck",
  "build-all": "npm run build",
  dev: "npm run dev",
  "dev-metadata": "npm run dev",
  "dev-storage": "npm run dev",
  "reset-data": "npm run stop",
  clean: "npm run stop",
  "docker-up": "up --build -d",
  "docker-down": "down",
  "up-infra": "up -d otel-collector prometheus grafana elasticsearch kibana kibana-setup",
  "up-services": "--no-deps mocks3",
};
/** logs-<service>: by its full name, and by the seed's short one (logs-metadata) */
const LOG_NAMES = [...new Set(SERVICE_NAMES.flatMap((name) => [name, name.replace(/-service$/, "")]))];
const NOWHERE = { MOCKS3_PORT: "1", MOCKS3_DATA_DIR: "/nonexistent/mocks3-make-test" };

const make = (args: string[], env: Record<string, string | undefined> = NOWHERE) => runCommand("make", ["--no-print-directory", ...args], env);

/** The targets `make help` lists: the first column of its lines, `logs-<service>` as it is written. */
function listedTargets(help: string): string[] {
  return help.split("\n").flatMap((line) => /^ {2}(\S+(?: \S+)*?)\s{2,}/.exec(line)?.[1]?.split(" ") ?? []);
}

describe("Makefile", () => {
  it("help › `make` alone and `make help` list every target of the seed's, one line each with what it does", async () => {
    const [bare, help] = await Promise.all([make([]), make(["help"])]);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toBe(help.stdout);
    const listed = listedTargets(help.stdout);
    for (const target of [...SEED_TARGETS, "start", "down", "clean", "docker-up", "docker-down"]) {
      expect(listed, target).toContain(/^(logs|dev)-/.test(target) ? target.replace(/-.*/, "-<service>") : target);
    }
    for (const name of SERVICE_NAMES) expect(help.stdout).toContain(name);
  });

  it("every target › runs the npm script it names (make -n)", async () => {
    const listed = listedTargets((await make(["help"])).stdout).filter((target) => !target.includes("<"));
    for (const target of listed.filter((t) => t !== "help")) expect(Object.keys(RECIPES), target).toContain(target);
    for (const [target, command] of Object.entries(RECIPES)) {
      const { code, stdout } = await make(["-n", target]);
      expect(code, target).toBe(0);
      expect(stdout, target).toContain(command);
    }
  });

  it("logs-<service> › each service, by its full and its short name, reaches npm run logs, which accepts the seed's short names", async () => {
    for (const name of LOG_NAMES) expect((await make(["-n", `logs-${name}`])).stdout).toContain(`npm run logs -- ${name}`);
    // run for real by the short names (the full ones are the services' own): two at a time,
    // each is a tsx process and the machine has other tests to run
    const short = SERVICE_NAMES.map((name) => name.replace(/-service$/, ""));
    for (let i = 0; i < short.length; i += 2) {
      const names = short.slice(i, i + 2);
      const runs = await Promise.all(names.map((name) => make([`logs-${name}`, "ARGS=--no-follow"])));
      for (const [j, name] of names.entries()) {
        expect(runs[j]!.code, name).toBe(0);
        expect(runs[j]!.stdout, name).toContain(`npm run logs -- ${name} --no-follow`);
        expect(runs[j]!.stderr, name).toMatch(/^no log yet at \/nonexistent\/mocks3-make-test\/logs\/mocks3.log/m);
      }
    }
  });

  it("health-check › runs the npm script against a running stack", async () => {
    const { code, stdout } = await make(["health-check"], { MOCKS3_PORT: new URL(inject("endpoint")).port });
    expect(code, stdout).toBe(0);
    expect(stdout.match(/^✔ /gm)).toHaveLength(7);
  });

  it("docker-up, docker-down › without Docker, say so and what runs without it, and fail", async () => {
    for (const target of ["docker-up", "docker-down", "up-infra", "up-services"]) {
      const { code, stderr } = await make([target, "DOCKER=mocks3-no-docker", "DOCKER_COMPOSE=mocks3-no-docker-compose"]);
      expect(code, target).toBe(2);
      expect(stderr, target).toContain(`make ${target}: needs Docker with Compose`);
      expect(stderr, target).toContain("MockS3 runs without Docker: make up (npm start)");
    }
  });

  it("clean › deletes only what runs generate: every path it removes is git-ignored, none tracked", async () => {
    const { stdout } = await make(["-n", "clean"]);
    const paths = /^rm -rf -- (.+)$/m.exec(stdout)?.[1]?.split(" ") ?? [];
    expect(paths).toEqual(expect.arrayContaining([".mocks3", ".bench", ".build"]));
    // as folders: .gitignore names them so (`.build/`), and they need not exist now
    const folders = paths.map((p) => `${p}/`);
    const [ignored, tracked] = await Promise.all([runCommand("git", ["check-ignore", ...folders]), runCommand("git", ["ls-files", "--", ...paths])]);
    expect(ignored.stdout.trim().split("\n").sort()).toEqual(folders.sort());
    expect(tracked.stdout).toBe("");
  });

  it("README › its table names every seed command, and only targets that exist", async () => {
    const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
    // `make logs-<service>` stands for the logs targets checked above
    const named = [...new Set([...readme.matchAll(/`make ([a-z-]+)(?!<)/g)].map((m) => m[1]!))];
    for (const target of SEED_TARGETS.filter((t) => !/^(logs|dev)-/.test(t))) expect(named, target).toContain(target);
    for (const target of named) expect((await make(["-n", target])).code, target).toBe(0);
  });
});
