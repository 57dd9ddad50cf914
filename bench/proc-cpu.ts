/**
 * Another process's CPU time read from Linux's `/proc/<pid>/stat`, without asking the process: the figure is there
 * even when that process's event loop is too busy (or blocked) to answer a message.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";

let ticksPerSecond: number | undefined;

/** The kernel's clock ticks per second for `/proc` times (`getconf CLK_TCK`; 100 on every usual Linux). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      const value = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
      ticksPerSecond = Number.isFinite(value) && value > 0 ? value : 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * User + system CPU time of process `pid` so far, every thread included, in microseconds (to the kernel's clock
 * tick, 10 ms at 100 Hz); undefined where there is no `/proc` (not Linux) or no such process.
 */
export function procCpuMicros(pid: number): number | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields from after its last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of the whole line, so 12 and 13 counting from field 3 at 0.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? (ticks / clockTicks()) * 1e6 : undefined;
}
