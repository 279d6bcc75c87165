// Where and how the benchmark ran: recorded with every result, because the numbers only mean something next to it.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';

export interface Machine {
  readonly date: string;
  readonly commit: string;
  readonly cpuModel: string;
  /** `nproc`: the processors this process may use. */
  readonly nproc: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly moto: string;
  readonly os: string;
  /** 1-minute load average when the run started: other people's work on the same machine. */
  readonly loadAverageAtStart: number;
}

export function describeMachine(root: string): Machine {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const cpuModel = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const nproc = Number(run('nproc', []) || os.availableParallelism?.() || os.cpus().length);
  const head = run('git', ['rev-parse', '--short', 'HEAD'], root) || 'unknown';
  const dirty = run('git', ['status', '--porcelain', '--untracked-files=no'], root) !== '';
  return {
    date: new Date().toISOString(),
    commit: dirty ? `${head} + uncommitted changes` : head,
    cpuModel,
    nproc,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    moto: run('python3', ['-c', 'import moto; print(moto.__version__)']) || 'unknown',
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: Math.round(os.loadavg()[0] * 100) / 100,
  };
}

function run(command: string, args: string[], cwd?: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : '';
}
