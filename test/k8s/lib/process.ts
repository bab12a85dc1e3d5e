import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** A process started by a test, with the last lines it printed. */
export interface Running {
  name: string;
  child: ChildProcess;
  output: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started = new Set<Running>();
// Whatever happens to the test, no process it started outlives it.
process.once("exit", () => {
  for (const r of started) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill("SIGKILL");
});

/** Starts `argv` (its first word `node` meaning this Node) in `cwd` with exactly `env`. */
export function start(name: string, argv: string[], cwd: string, env: Record<string, string>): Running {
  const [command, ...args] = argv;
  const child = spawn(command === "node" ? process.execPath : command!, args, {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      output.push(...chunk.split("\n").filter(Boolean));
      if (output.length > 60) output.splice(0, output.length - 60);
    });
  }
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    child.once("error", (error) => {
      output.push(String(error));
      resolve({ code: -1, signal: null });
    });
  });
  const running = { name, child, output, exit };
  started.add(running);
  void exit.then(() => started.delete(running));
  return running;
}

export const hasExited = (r: Running) => r.child.exitCode !== null || r.child.signalCode !== null;
export const tail = (r: Running, lines = 25) => `${r.name} output:\n${r.output.slice(-lines).join("\n")}`;

/** SIGTERM, as the kubelet sends it; SIGKILL after `graceMs`. Resolves with how it ended and how long it took. */
export async function stop(r: Running, graceMs: number) {
  const began = Date.now();
  if (!hasExited(r)) r.child.kill("SIGTERM");
  const timer = setTimeout(() => r.child.kill("SIGKILL"), graceMs);
  try {
    const { code, signal } = await r.exit;
    return { code, signal, ms: Date.now() - began };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs to completion (an init container): its exit code and output, killed after `timeoutMs`. */
export async function runToEnd(
  name: string,
  argv: string[],
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
) {
  const r = start(name, argv, cwd, env);
  const timer = setTimeout(() => r.child.kill("SIGKILL"), timeoutMs);
  try {
    const { code } = await r.exit;
    return { code, output: tail(r) };
  } finally {
    clearTimeout(timer);
  }
}

const portFree = (port: number) =>
  new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error));
    server.listen(port, "0.0.0.0", () => server.close(() => resolve(undefined)));
  });

/**
 * Waits (up to `waitMs`) until nothing listens on `port`, which the test needs; fails saying so otherwise (a
 * `pnpm start` running on this machine holds the services' ports).
 */
export async function assertPortFree(port: number, waitMs = 20_000): Promise<void> {
  const began = Date.now();
  for (;;) {
    const error = await portFree(port);
    if (!error) return;
    if (Date.now() - began > waitMs)
      throw new Error(`port ${port} is in use (${error.code}); stop what listens there (pnpm start?) and run again`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * The address the kubelet would probe: the pod's own, not the one the service might have bound alone.
 * 127.0.0.2 stands for it: it is loopback too (the tests send nothing off this machine), but a service
 * listening on 127.0.0.1 only refuses it, as it would refuse the kubelet in a pod.
 */
export function podAddress(): string {
  return "127.0.0.2";
}

export interface HttpGetAction {
  path: string;
  port: number;
  scheme?: string;
  httpHeaders?: { name: string; value: string }[];
}

export interface ProbeResult {
  status: number;
  ms: number;
  body: string;
  error?: string;
}

/** One HTTP probe, as the kubelet makes it: GET, its headers, within timeoutSeconds (status 0 if no answer). */
export async function probe(address: string, action: HttpGetAction, timeoutSeconds = 1): Promise<ProbeResult> {
  const began = Date.now();
  const scheme = (action.scheme ?? "HTTP").toLowerCase();
  try {
    const response = await fetch(`${scheme}://${address}:${action.port}${action.path}`, {
      headers: Object.fromEntries((action.httpHeaders ?? []).map((h) => [h.name, h.value])),
      signal: AbortSignal.timeout(timeoutSeconds * 1000),
      redirect: "manual",
    });
    const body = await response.text();
    return { status: response.status, ms: Date.now() - began, body };
  } catch (error) {
    return {
      status: 0,
      ms: Date.now() - began,
      body: "",
      error: (error as Error).cause ? String((error as Error).cause) : String(error),
    };
  }
}

/** Probes every `intervalMs` until `done` says so, the process exits, or `budgetMs` runs out. */
export async function probeUntil(
  r: Running,
  call: () => Promise<ProbeResult>,
  done: (result: ProbeResult) => boolean,
  budgetMs: number,
  intervalMs = 250,
): Promise<ProbeResult & { elapsedMs: number }> {
  const began = Date.now();
  let last: ProbeResult = { status: 0, ms: 0, body: "", error: "not probed" };
  while (Date.now() - began < budgetMs && !hasExited(r)) {
    last = await call();
    if (done(last)) return { ...last, elapsedMs: Date.now() - began };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return { ...last, elapsedMs: Date.now() - began };
}

/** Runs tasks at most `limit` at a time. */
export function limiter(limit: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finishing task hands its slot to the next waiting one.
    if (active >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const next = queue.shift();
      if (next) next();
      else active--;
    }
  };
}
