// The EC2 test peer's moto child process: it fails loudly when moto cannot start, and never outlives its parent.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sleep } from './peer-fixture';
import { Ec2Peer } from '../support/ec2-peer';

describe('moto process', () => {
  const tempDirs: string[] = [];
  afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  /** A stand-in for the Python interpreter, to make moto fail to start. */
  function script(body: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ec2-peer-test-'));
    tempDirs.push(dir);
    const file = path.join(dir, 'fake-python.sh');
    fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return file;
  }

  test('start fails loudly, with moto\'s stderr, when moto exits', async () => {
    const python = script('echo "ModuleNotFoundError: No module named moto" >&2\nexit 3');
    await expect(Ec2Peer.start({ python })).rejects.toThrow(/exited with code 3[\s\S]*No module named moto/);
  });

  test('start fails loudly when moto does not answer in time', async () => {
    const python = script('echo "still importing" >&2\nexec sleep 30');
    await expect(Ec2Peer.start({ python, startTimeoutMs: 500 })).rejects.toThrow(/did not answer[\s\S]*within 500 ms[\s\S]*still importing/);
  });

  test('moto dies when the process that started it is killed with SIGKILL', async () => {
    // A separate node process starts a peer, prints moto's pid and kills itself: no exit handler can run.
    const code = [
      'const { Ec2Peer } = require("./test/support/ec2-peer");',
      'Ec2Peer.start({ warmUp: false }).then((p) => { console.log(p.motoPid); process.kill(process.pid, "SIGKILL"); });',
    ].join('\n');
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', code], {
      cwd: path.join(__dirname, '..', '..'),
      env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.json' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    await new Promise((resolve) => child.on('exit', resolve));
    const motoPid = Number(out.trim());
    expect(motoPid).toBeGreaterThan(0);

    // Gone from /proc, or a zombie waiting for a reaper: either way no longer running.
    const alive = (pid: number): boolean => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 5000;
    while (alive(motoPid) && Date.now() < deadline) {
      await sleep(50);
    }
    expect(alive(motoPid)).toBe(false);
  });

  test('stop kills moto', async () => {
    const other = await Ec2Peer.start({ warmUp: false });
    const pid = other.motoPid ?? -1;
    await other.stop();
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
