// `npx cdk-ami-sharing plan` from the packed npm tarball, installed without any dependency (peer dependencies left
// out): the command needs nothing the package does not ship, and lambda/ and cli/ sources stay out of the tarball.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { AmiLaunchPermissions, LaunchPermission } from '../../src';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { createImage } from '../support/images';
import { PlanEnvironment } from '../support/plan-environment';

const exec = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const env = useHandlerEnvironment();
let plans: PlanEnvironment;
let scratch: string;
beforeAll(async () => {
  plans = await PlanEnvironment.start(env);
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-package-'));
});
afterAll(async () => {
  await plans?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

test('the packed package runs `cdk-ami-sharing plan` with nothing installed but itself', async () => {
  const npm = (args: string[], cwd: string) => exec('npm', args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  const packed = JSON.parse((await npm(['pack', '--json', '--pack-destination', scratch], ROOT)).stdout)[0];
  const files: string[] = packed.files.map((f: { path: string }) => f.path);
  expect(files).toContain('assets/cli/index.js');
  expect(files.filter(f => /^(cli|lambda|test|example)\//.test(f))).toEqual([]);

  const consumer = path.join(scratch, 'consumer');
  fs.mkdirSync(consumer);
  fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  await npm(['install', '--no-audit', '--no-fund', '--ignore-scripts', '--legacy-peer-deps', path.join(scratch, packed.filename)], consumer);
  expect(fs.readdirSync(path.join(consumer, 'node_modules')).filter(d => !d.startsWith('.'))).toEqual(['cdk-ami-sharing']);

  const image = await createImage(env.ec2);
  const app = plans.synth('Packaged', stack => new AmiLaunchPermissions(stack, 'Share', { imageId: image, permissions: [LaunchPermission.account('111122223333')] }));
  env.peer.clearLog();
  // As a user runs it; --no: never download anything, use the installed package's bin.
  const run = await plans.run(['plan', '--app', app.dir], {}, { command: 'npx', args: ['--no', '--', 'cdk-ami-sharing'], cwd: consumer });

  expect(run.stderr).toBe('');
  expect(run.stdout).toContain('+ Packaged/Share (AmiLaunchPermissions, ADDITIVE): create\n        + grant   account 111122223333');
  expect(run.code).toBe(2);
  expect(env.peer.writes()).toEqual([]);
});
