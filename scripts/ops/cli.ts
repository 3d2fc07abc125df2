/**
 * The ops tools' command lines, parsed the same way as the benchmark's (bench/cli.ts):
 * node:util's parseArgs, strict. `--help` / `-h` prints the tool's usage and exits 0; an
 * unknown flag, a missing value or a bad one prints the reason and the usage and exits 2
 * (a usage error, as getopt tools do), never a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

type ToolArgsConfig = Omit<ParseArgsConfig, "args" | "strict">;

type ToolArgs<T extends ToolArgsConfig> = ReturnType<typeof parseArgs<T>>;

export function toolArgs<T extends ToolArgsConfig>(usage: string, config: T): ToolArgs<T> {
  let parsed: ToolArgs<T>;
  try {
    // the tool's own flags keep their types; --help, added here, is read untyped below
    const options = { ...config.options, help: { type: "boolean", short: "h" } } as const;
    parsed = parseArgs({ ...config, args: process.argv.slice(2), strict: true, options }) as ToolArgs<T>;
  } catch (error) {
    usageError(usage, (error as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    process.exit(0);
  }
  return parsed;
}

/** A bad command line: the reason and the usage on stderr, exit 2. */
export function usageError(usage: string, message: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}
