// moto's server as a child process of the test run: started on a free port, drained, and killed with its parent.
import { ChildProcess, spawn } from 'child_process';
import * as http from 'http';
import { setTimeout as sleep } from 'timers/promises';
import { Answer, firstHeader } from './protocol';
import { freePort } from '../free-port';

/**
 * Runs moto's server and exits as soon as its stdin closes. WHY: the OS closes the pipe when the
 * parent dies for any reason, including SIGKILL or a jest worker being torn down, when no 'exit'
 * handler runs; without this moto would outlive the test run and hold its port.
 */
const MOTO_LAUNCHER = [
  'import os, sys, threading',
  'def _exit_when_parent_goes():',
  '    sys.stdin.buffer.read()',
  '    os._exit(0)',
  'threading.Thread(target=_exit_when_parent_goes, daemon=True).start()',
  'from moto.server import main',
  'main(["-H", "127.0.0.1", "-p", sys.argv[1]])',
].join('\n');
const STDERR_TAIL_BYTES = 8 * 1024;

export class MotoProcess {
  /** Starts moto on a free port; retries on a fresh port if another process took it first. */
  public static async launch(python: string, timeoutMs: number): Promise<MotoProcess> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const moto = new MotoProcess(python, await freePort());
      try {
        await moto.waitUntilReady(timeoutMs);
        return moto;
      } catch (err) {
        lastError = err;
        await moto.kill();
        if (!moto.stderrTail.includes('Address already in use')) {
          break;
        }
      }
    }
    throw lastError;
  }

  public readonly endpoint: string;
  private readonly port: number;
  private readonly child: ChildProcess;
  private stderrTail = '';
  private exit?: string;
  private readonly exited: Promise<void>;
  /** Kept as a field so the same function can be removed from process 'exit' again. */
  private readonly killOnParentExit: () => void;

  private constructor(python: string, port: number) {
    this.port = port;
    this.endpoint = `http://127.0.0.1:${port}`;
    this.child = spawn(python, ['-c', MOTO_LAUNCHER, String(port)], {
      stdio: ['pipe', 'ignore', 'pipe'],
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
    });
    // Always drain stderr (moto logs every request there): a full pipe would block moto.
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
    });
    this.child.stdin?.on('error', () => undefined); // EPIPE if moto is already gone
    this.exited = new Promise((resolve) => {
      this.child.once('error', (err) => {
        this.exit = `failed to spawn ${python}: ${err.message}`;
        resolve();
      });
      this.child.once('exit', (code, signal) => {
        this.exit = `exited with ${signal ?? `code ${code}`}`;
        resolve();
      });
    });
    // Synchronous: 'exit' handlers cannot wait. The stdin watchdog covers deaths that skip this.
    this.killOnParentExit = () => this.child.kill('SIGKILL');
    process.once('exit', this.killOnParentExit);
    // moto alone must not keep the parent alive; the proxy server (and stop()) decide that.
    this.child.unref();
    unrefStream(this.child.stdin);
    unrefStream(this.child.stderr);
  }

  public get pid(): number | undefined {
    return this.child.pid;
  }

  public async kill(): Promise<void> {
    process.off('exit', this.killOnParentExit);
    if (this.exit === undefined) {
      this.child.stdin?.end();
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      await this.exited;
      clearTimeout(timer);
    }
  }

  /** An EC2 query request of the peer's own (not recorded, no faults). */
  public ec2(body: string, authorization: string): Promise<Answer> {
    return this.request('POST', '/', body, {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'authorization': authorization,
    });
  }

  public request(method: string, path: string, body: string | Buffer, headers: http.OutgoingHttpHeaders): Promise<Answer> {
    const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    return new Promise((resolve, reject) => {
      // A fresh connection per request (agent: false): the cost is negligible on loopback, and it
      // rules out the reuse-of-a-socket-the-server-just-closed race, which could replay a write.
      const req = http.request({
        host: '127.0.0.1',
        port: this.port,
        method,
        path,
        agent: false,
        headers: { ...headers, 'content-length': payload.length },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          contentType: firstHeader(res.headers['content-type']),
        }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  private async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exit !== undefined) {
        throw new Error(`moto ${this.exit} before answering on port ${this.port}. stderr:\n${this.stderrTail}`);
      }
      if (await this.answers()) {
        return;
      }
      await sleep(100);
    }
    throw new Error(`moto did not answer on port ${this.port} within ${timeoutMs} ms. stderr:\n${this.stderrTail}`);
  }

  /** Any HTTP answer at all means the server is up. */
  private answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port: this.port, path: '/', agent: false, timeout: 1000 }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(false));
    });
  }
}

function unrefStream(stream: unknown): void {
  (stream as { unref?: () => void } | null)?.unref?.();
}
