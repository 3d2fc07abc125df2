/**
 * CPU and resident memory of MockS3's own processes (METRICS.md): the stack (this sidecar's
 * parent, when the stack started it), workerd (the stack's child that runs every worker) and
 * this sidecar. CPU is sampled every second, like system_cpu_usage_percent.
 */
import { Gauge, type Registry } from "prom-client";
import { residentBytes } from "./measure/memory";
import { childNamed, ProcessCpuSampler } from "./measure/process-cpu";

const SAMPLE_MS = 1000;

type ProcessName = "stack" | "workerd" | "sidecar";

export function processMetrics(registry: Registry, stackPid: number | undefined): { stop(): void } {
  const samplers = new Map<ProcessName, ProcessCpuSampler>();
  const cpu = new Map<ProcessName, number>();

  /** workerd's pid, looked up again whenever it cannot be read (the stack restarted it) */
  let workerd: number | undefined;

  function sample(): void {
    workerd ??= stackPid === undefined ? undefined : childNamed(stackPid, "workerd");
    const processes: [ProcessName, number | undefined][] = [
      ["stack", stackPid],
      ["workerd", workerd],
      ["sidecar", process.pid],
    ];
    for (const [name, pid] of processes) {
      if (pid === undefined) continue;
      const sampler = samplers.get(name);
      if (sampler?.pid !== pid) {
        samplers.set(name, new ProcessCpuSampler(pid)); // its CPU use from the next sample on
        continue;
      }
      const percent = sampler.sample();
      if (percent !== undefined) {
        cpu.set(name, percent);
        continue;
      }
      cpu.delete(name);
      samplers.delete(name);
      if (name === "workerd") workerd = undefined;
    }
  }
  sample();
  const timer = setInterval(sample, SAMPLE_MS).unref();

  new Gauge({
    name: "mocks3_process_cpu_usage_percent",
    help: "CPU used by each MockS3 process over the last second, percent of one core",
    labelNames: ["process"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [name, percent] of cpu) this.set({ process: name }, percent);
    },
  });
  new Gauge({
    name: "mocks3_process_resident_memory_bytes",
    help: "resident memory (VmRSS) of each MockS3 process",
    labelNames: ["process"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [name, sampler] of samplers) {
        const bytes = residentBytes(sampler.pid);
        if (bytes !== undefined) this.set({ process: name }, bytes);
      }
    },
  });
  return { stop: () => clearInterval(timer) };
}
