/**
 * A production process as a deployment runs it: `node <dist>/bin/evk.js <command>`, compiled
 * JavaScript, no TypeScript loader (issue 14). Started, awaited until it says it is ready, and
 * stopped by its own PID only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';

const READY = { worker: 'worker polling task queue', web: 'web and API on' } as const;

export interface CompiledProcess {
  name: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startCompiled(dist: string, command: keyof typeof READY, name: string, env: NodeJS.ProcessEnv, logDir: string): Promise<CompiledProcess> {
  const log = createWriteStream(path.join(logDir, `${name}.log`));
  const child: ChildProcess = spawn(process.execPath, [path.join(dist, 'bin', 'evk.js'), command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${name} was not ready within 90 s (see ${logDir}/${name}.log)`)), 90_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4000);
      if (seen.includes(READY[command])) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${name} exited during start-up (see ${logDir}/${name}.log)`));
    });
  });
  const pid = child.pid!;
  return {
    name,
    pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => child.exitCode === null && process.kill(pid, 'SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
