/**
 * `npm run test:stress`: the proof that the suite does not flake under load. Builds once, then runs the whole Jest
 * suite three times in a row while two other processes keep both CPU cores busy, and reports each run's result and
 * time. The busy processes are bounded: they are killed when this script ends, and each also stops by itself after
 * STRESS_LIMIT_MIN minutes (default 45) or as soon as this script is gone.
 *
 * Each run's full output goes to artifacts/stress-run-<n>.log. Exit status: 0 only if all three runs passed.
 * Options (environment): STRESS_RUNS (default 3), STRESS_BUSY (busy processes, default 2), STRESS_LIMIT_MIN.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const ARTIFACTS = join(ROOT, 'artifacts');
const RUNS = Number(process.env.STRESS_RUNS ?? 3);
const BUSY = Number(process.env.STRESS_BUSY ?? 2);
const LIMIT_MS = Number(process.env.STRESS_LIMIT_MIN ?? 45) * 60_000;

/** A process that spins one core until its deadline, or until its parent is gone. */
const BUSY_SOURCE = `
const end = Date.now() + ${LIMIT_MS};
const parent = process.ppid;
let x = 0;
while (Date.now() < end) {
  for (let i = 0; i < 1e7; i++) x = (x * 31 + i) | 0;
  try { process.kill(parent, 0); } catch { break; }
}
`;

function startBusy(): ChildProcess[] {
  return Array.from({ length: BUSY }, () => spawn(process.execPath, ['-e', BUSY_SOURCE], { stdio: 'ignore' }));
}

/** The Jest run in progress, stopped with the busy processes if this script is interrupted. */
let current: ChildProcess | undefined;

function runSuite(n: number): Promise<{ ok: boolean; seconds: number; summary: string[] }> {
  const log = join(ARTIFACTS, `stress-run-${n}.log`);
  const out = createWriteStream(log);
  const started = Date.now();
  const jest = spawn(process.execPath, [join(ROOT, 'node_modules/jest/bin/jest.js'), '--ci'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  current = jest;
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    out.write(chunk);
    lines.push(...chunk.toString('utf8').split('\n'));
  };
  jest.stdout.on('data', collect);
  jest.stderr.on('data', collect);
  return new Promise((done) => {
    jest.on('close', (code) => {
      current = undefined;
      out.end();
      const seconds = (Date.now() - started) / 1000;
      const summary = lines.filter((l) => /^(Tests|Test Suites):|^FAIL |● .* › /.test(l.trim())).map((l) => l.trim());
      done({ ok: code === 0, seconds, summary: [...new Set(summary)].slice(0, 20) });
    });
  });
}

async function main(): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const busy = startBusy();
  const stop = () => {
    busy.forEach((p) => p.kill('SIGKILL'));
    current?.kill('SIGTERM');
  };
  process.on('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
  console.log(`stress: ${RUNS} runs of the whole suite while ${BUSY} busy processes spin (logs in artifacts/)`);
  const results: { ok: boolean; seconds: number }[] = [];
  try {
    for (let n = 1; n <= RUNS; n++) {
      const r = await runSuite(n);
      results.push(r);
      console.log(`run ${n}: ${r.ok ? 'PASS' : 'FAIL'} in ${r.seconds.toFixed(1)} s`);
      for (const line of r.summary) console.log(`  ${line}`);
    }
  } finally {
    stop();
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(
    `stress: ${results.length - failed} of ${results.length} runs passed; ` +
      `times ${results.map((r) => r.seconds.toFixed(1)).join(' s, ')} s`,
  );
  process.exit(failed === 0 ? 0 : 1);
}

void main();
