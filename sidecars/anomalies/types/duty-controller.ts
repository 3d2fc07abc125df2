/**
 * The closed loop of cpu_spike: the machine's measured CPU usage (everything running, not
 * just the anomaly) is brought to the target by changing the busy threads' duty cycle.
 *
 * The anomaly's threads add about `duty × 100` points to the machine's usage, so an integral
 * step of half the error closes half the gap per sample (about 2 s to within a point at
 * 300 ms samples) without overshooting when other load comes and goes. The duty never goes
 * above the CPU cap; when other load alone is above the target, the duty falls to 0.
 */
export const SAMPLE_MS = 300;
const GAIN = 0.5;

/** The first duty: what the gap between the target and the idle machine asks for. */
export function initialDuty(targetPercent: number, baselinePercent: number, maxDuty: number): number {
  return clamp((targetPercent - baselinePercent) / 100, maxDuty);
}

export function nextDuty(duty: number, targetPercent: number, measuredPercent: number, maxDuty: number): number {
  return clamp(duty + (GAIN * (targetPercent - measuredPercent)) / 100, maxDuty);
}

function clamp(duty: number, maxDuty: number): number {
  return Math.min(maxDuty, Math.max(0, duty));
}
