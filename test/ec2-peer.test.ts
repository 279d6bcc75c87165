/**
 * Tests of the EC2 test peer itself (test/support/ec2-peer.ts): moto behind a recording,
 * fault-injecting proxy that emulates the EC2 behaviour moto 5.2.1 lacks. Every test drives it with
 * the real AWS SDK v3 EC2Client, so they also check that the SDK parses what the peer answers.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  DeregisterImageCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DisableImageBlockPublicAccessCommand,
  EC2Client,
  EnableImageBlockPublicAccessCommand,
  GetImageBlockPublicAccessStateCommand,
  ImageAttributeName,
  LaunchPermission,
  ModifyImageAttributeCommand,
} from '@aws-sdk/client-ec2';
import { Ec2Peer } from './support/ec2-peer';
import { createImage, ec2Client } from './support/images';

let peer: Ec2Peer;
let ec2: EC2Client;

beforeAll(async () => {
  peer = await Ec2Peer.start();
  ec2 = ec2Client(peer.endpoint);
});

afterAll(async () => {
  ec2?.destroy();
  await peer?.stop();
});

beforeEach(async () => {
  await peer.reset();
});

/** Runs a promise that must fail and returns the SDK error. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (err) {
    return err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

async function attribute(imageId: string, name: ImageAttributeName) {
  return ec2.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: name }));
}

async function launchPermissions(imageId: string): Promise<LaunchPermission[]> {
  return (await attribute(imageId, 'launchPermission')).LaunchPermissions ?? [];
}

async function makePublic(imageId: string) {
  return ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: [{ Group: 'all' }] } }));
}

async function shareWith(imageId: string, account: string) {
  return ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: [{ UserId: account }] } }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('recording', () => {
  test('records each request as sent on the wire, without auth, in order, and counts writes', async () => {
    const imageId = await createImage(ec2);
    await shareWith(imageId, '111122223333');
    await launchPermissions(imageId);

    expect(peer.requests.map((r) => r.action)).toEqual(['RegisterImage', 'ModifyImageAttribute', 'DescribeImageAttribute']);
    const modify = peer.requests[1];
    expect(modify.status).toBe(200);
    expect(modify.params).toMatchObject({
      'Action': 'ModifyImageAttribute',
      'ImageId': imageId,
      'LaunchPermission.Add.1.UserId': '111122223333',
    });
    expect(Object.keys(modify.params).filter((k) => /signature|credential|authorization/i.test(k))).toEqual([]);
    expect(peer.writes().map((r) => r.action)).toEqual(['ModifyImageAttribute']);
    expect(peer.countByAction()).toEqual({ RegisterImage: 1, ModifyImageAttribute: 1, DescribeImageAttribute: 1 });

    peer.clearLog();
    expect(peer.requests).toEqual([]);
  });

  test('records the EC2 error code of an error answer', async () => {
    await failure(attribute('ami-12345678', 'launchPermission'));
    expect(peer.requests).toEqual([expect.objectContaining({ status: 400, errorCode: 'InvalidAMIID.NotFound' })]);
  });

  test('forwards launch permission writes to moto, which applies them', async () => {
    const imageId = await createImage(ec2);
    await shareWith(imageId, '111122223333');
    expect(await launchPermissions(imageId)).toEqual([{ UserId: '111122223333' }]);
  });

  test('reset empties moto and the peer state', async () => {
    const imageId = await createImage(ec2);
    await ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, Description: { Value: 'kept by the peer' } }));
    peer.setBlockPublicAccess('block-new-sharing');
    await peer.reset();

    expect(peer.requests).toEqual([]);
    expect((await failure(attribute(imageId, 'description'))).name).toBe('InvalidAMIID.NotFound');
    expect((await ec2.send(new GetImageBlockPublicAccessStateCommand({}))).ImageBlockPublicAccessState).toBe('unblocked');
  });
});

// EMULATION: ModifyImageAttribute Description (EC2 API Reference, ModifyImageAttribute, example 5);
// moto accepts the write and ignores it.
describe('description', () => {
  test('answers the RegisterImage description until it is modified, then the new one', async () => {
    const imageId = await createImage(ec2, { description: 'as registered' });
    expect((await attribute(imageId, 'description')).Description).toEqual({ Value: 'as registered' });

    await ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, Description: { Value: 'hardened <v2> & "quoted"' } }));
    expect((await attribute(imageId, 'description')).Description).toEqual({ Value: 'hardened <v2> & "quoted"' });
    const images = await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
    expect(images.Images?.[0].Description).toBe('hardened <v2> & "quoted"');
  });

  test('accepts the Attribute=description + Value form', async () => {
    const imageId = await createImage(ec2);
    await ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, Attribute: 'description', Value: 'flat form' }));
    expect((await attribute(imageId, 'description')).Description?.Value).toBe('flat form');
  });

  test('DryRun is answered DryRunOperation and changes nothing', async () => {
    const imageId = await createImage(ec2, { description: 'before' });
    const err = await failure(ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, Description: { Value: 'after' }, DryRun: true })));
    expect(err.name).toBe('DryRunOperation');
    expect((await attribute(imageId, 'description')).Description?.Value).toBe('before');
  });
});

// EMULATION: ModifyImageAttribute ImdsSupport ("Set to v2.0", irreversible) and DescribeImageAttribute
// imdsSupport (moto answers 500).
describe('imdsSupport', () => {
  test('has no value until set to v2.0, then v2.0 (also in DescribeImages)', async () => {
    const imageId = await createImage(ec2);
    expect((await attribute(imageId, 'imdsSupport')).ImdsSupport?.Value).toBeUndefined();

    await ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, ImdsSupport: { Value: 'v2.0' } }));
    expect((await attribute(imageId, 'imdsSupport')).ImdsSupport).toEqual({ Value: 'v2.0' });
    const images = await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
    expect(images.Images?.[0].ImdsSupport).toBe('v2.0');
  });

  test('any other value is InvalidParameterValue (v2.0 cannot be undone)', async () => {
    const imageId = await createImage(ec2);
    await ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, ImdsSupport: { Value: 'v2.0' } }));
    const err = await failure(ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, ImdsSupport: { Value: 'v1.0' } })));
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect((await attribute(imageId, 'imdsSupport')).ImdsSupport?.Value).toBe('v2.0');
  });
});

// EMULATION: InvalidAMIID.NotFound / InvalidAMIID.Malformed (EC2 API Reference, error codes); moto
// answers 500 to DescribeImageAttribute of a missing image.
describe('missing and malformed image ids', () => {
  test.each(['description', 'imdsSupport', 'launchPermission'] as ImageAttributeName[])(
    'DescribeImageAttribute %s of a missing AMI is InvalidAMIID.NotFound (400)', async (name) => {
      const err = await failure(attribute('ami-0123456789abcdef0', name));
      expect(err.name).toBe('InvalidAMIID.NotFound');
      expect(err.message).toBe('The image id \'[ami-0123456789abcdef0]\' does not exist');
      expect(err.$metadata?.httpStatusCode).toBe(400);
    });

  test('ModifyImageAttribute description / imdsSupport of a missing AMI is InvalidAMIID.NotFound', async () => {
    for (const change of [{ Description: { Value: 'x' } }, { ImdsSupport: { Value: 'v2.0' } }]) {
      const err = await failure(ec2.send(new ModifyImageAttributeCommand({ ImageId: 'ami-12345678', ...change })));
      expect(err.name).toBe('InvalidAMIID.NotFound');
    }
  });

  test('a deregistered AMI is not found, and the peer forgets its description', async () => {
    const imageId = await createImage(ec2);
    await ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, Description: { Value: 'gone soon' } }));
    await ec2.send(new DeregisterImageCommand({ ImageId: imageId }));
    expect((await failure(attribute(imageId, 'description'))).name).toBe('InvalidAMIID.NotFound');
    expect((await failure(attribute(imageId, 'imdsSupport'))).name).toBe('InvalidAMIID.NotFound');
  });

  test.each(['foo', 'ami-xyz', 'ami-1234567', 'ami-0123456789ABCDEF0'])('%s is InvalidAMIID.Malformed', async (imageId) => {
    expect((await failure(attribute(imageId, 'description'))).name).toBe('InvalidAMIID.Malformed');
    expect((await failure(shareWith(imageId, '111122223333'))).name).toBe('InvalidAMIID.Malformed');
  });
});

// EMULATION: block public access for AMIs (EC2 User Guide, "Block public access to your AMIs").
describe('block public access for AMIs', () => {
  test('GetImageBlockPublicAccessState answers the emulated state (default unblocked)', async () => {
    expect((await ec2.send(new GetImageBlockPublicAccessStateCommand({}))).ImageBlockPublicAccessState).toBe('unblocked');
    peer.setBlockPublicAccess('block-new-sharing');
    expect((await ec2.send(new GetImageBlockPublicAccessStateCommand({}))).ImageBlockPublicAccessState).toBe('block-new-sharing');
  });

  test('block-new-sharing refuses Group=all with OperationNotPermitted and applies nothing; accounts still work', async () => {
    const imageId = await createImage(ec2);
    peer.setBlockPublicAccess('block-new-sharing');
    const err = await failure(ec2.send(new ModifyImageAttributeCommand({
      ImageId: imageId, LaunchPermission: { Add: [{ Group: 'all' }, { UserId: '111122223333' }] },
    })));
    expect(err.name).toBe('OperationNotPermitted');
    expect(err.message).toMatch(/block public access for AMIs is enabled/);
    expect(await launchPermissions(imageId)).toEqual([]);

    await shareWith(imageId, '111122223333');
    expect(await launchPermissions(imageId)).toEqual([{ UserId: '111122223333' }]);
  });

  test('the legacy form (OperationType=add, UserGroups=[all]) is refused too', async () => {
    const imageId = await createImage(ec2);
    peer.setBlockPublicAccess('block-new-sharing');
    const err = await failure(ec2.send(new ModifyImageAttributeCommand({
      ImageId: imageId, Attribute: 'launchPermission', OperationType: 'add', UserGroups: ['all'],
    })));
    expect(err.name).toBe('OperationNotPermitted');
  });

  test('Enable/DisableImageBlockPublicAccess switch the state', async () => {
    const enabled = await ec2.send(new EnableImageBlockPublicAccessCommand({ ImageBlockPublicAccessState: 'block-new-sharing' }));
    expect(enabled.ImageBlockPublicAccessState).toBe('block-new-sharing');
    const imageId = await createImage(ec2);
    expect((await failure(makePublic(imageId))).name).toBe('OperationNotPermitted');

    const disabled = await ec2.send(new DisableImageBlockPublicAccessCommand({}));
    expect(disabled.ImageBlockPublicAccessState).toBe('unblocked');
    await makePublic(imageId);
    expect(await launchPermissions(imageId)).toEqual([{ Group: 'all' }]);
  });
});

// EMULATION: "Images with an AWS Marketplace product code cannot be made public" (ModifyImageAttribute).
describe('Marketplace AMIs', () => {
  test('DescribeImages shows the product codes', async () => {
    const imageId = await createImage(ec2);
    const other = await createImage(ec2);
    peer.setProductCodes(imageId, ['abcdefghij0123456789klmno']);
    const images = await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId, other] }));
    const byId = Object.fromEntries((images.Images ?? []).map((i) => [i.ImageId, i]));
    expect(byId[imageId].ProductCodes).toEqual([{ ProductCodeId: 'abcdefghij0123456789klmno', ProductCodeType: 'marketplace' }]);
    expect(byId[other].ProductCodes ?? []).toEqual([]);
    expect(byId[imageId].BlockDeviceMappings?.length).toBe(1); // the rest of the item is untouched
  });

  test('cannot be made public, but can be shared with accounts', async () => {
    const imageId = await createImage(ec2);
    peer.setProductCodes(imageId, ['abcdefghij0123456789klmno']);
    const err = await failure(makePublic(imageId));
    expect(err.name).toBe('OperationNotPermitted');
    expect(err.message).toMatch(/Marketplace product code/);
    await shareWith(imageId, '111122223333');
    expect(await launchPermissions(imageId)).toEqual([{ UserId: '111122223333' }]);
  });
});

// EMULATION: public AMIs quota, 5 per Region by default (EC2 User Guide, "AMI quotas").
describe('public AMI quota', () => {
  test('making one more image public than the quota is ResourceLimitExceeded', async () => {
    peer.setPublicImageQuota(2);
    const [a, b, c] = [await createImage(ec2), await createImage(ec2), await createImage(ec2)];
    await makePublic(a);
    await makePublic(b);
    await makePublic(a); // already public: does not count twice

    const err = await failure(makePublic(c));
    expect(err.name).toBe('ResourceLimitExceeded');
    expect(await launchPermissions(c)).toEqual([]);

    await ec2.send(new ModifyImageAttributeCommand({ ImageId: b, LaunchPermission: { Remove: [{ Group: 'all' }] } }));
    await makePublic(c);
    expect(await launchPermissions(c)).toEqual([{ Group: 'all' }]);
  });

  test('the default quota is 5', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      ids.push(await createImage(ec2));
    }
    for (const id of ids.slice(0, 5)) {
      await makePublic(id);
    }
    expect((await failure(makePublic(ids[5]))).name).toBe('ResourceLimitExceeded');
  });

  test('a missing image is InvalidAMIID.NotFound before any quota or block check', async () => {
    peer.setBlockPublicAccess('block-new-sharing');
    expect((await failure(makePublic('ami-12345678'))).name).toBe('InvalidAMIID.NotFound');
  });
});

describe('fault injection', () => {
  test('throttle: RequestLimitExceeded (400) with EC2 XML, and the write is not applied', async () => {
    const imageId = await createImage(ec2);
    peer.injectFaults({ throttleRate: 1 });
    const err = await failure(shareWith(imageId, '111122223333'));
    expect(err.name).toBe('RequestLimitExceeded');
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(peer.requests[1]).toMatchObject({ action: 'ModifyImageAttribute', status: 400, errorCode: 'RequestLimitExceeded', injected: 'throttle' });

    peer.clearFaults();
    expect(await launchPermissions(imageId)).toEqual([]);
  });

  test('throttleStatus sets the HTTP status of an injected throttle', async () => {
    peer.injectFaults({ throttleRate: 1, throttleStatus: 503 });
    const err = await failure(ec2.send(new GetImageBlockPublicAccessStateCommand({})));
    expect(err.name).toBe('RequestLimitExceeded');
    expect(err.$metadata?.httpStatusCode).toBe(503);
  });

  test('server errors: InternalError (500) and Unavailable (503), nothing applied', async () => {
    const imageId = await createImage(ec2);
    peer.injectFaults({ serverErrorRate: 1, seed: 7 });
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const err = await failure(shareWith(imageId, '111122223333'));
      seen.add(`${err.name}/${err.$metadata?.httpStatusCode}`);
    }
    expect([...seen].sort()).toEqual(['InternalError/500', 'Unavailable/503']);
    expect(peer.requests.slice(1).every((r) => r.injected === 'server-error')).toBe(true);

    peer.clearFaults();
    expect(await launchPermissions(imageId)).toEqual([]);
  });

  test('denied: UnauthorizedOperation (403) for the first deniedForMs, only for the listed actions, then answered', async () => {
    const imageId = await createImage(ec2);
    peer.injectFaults({ deniedForMs: 300, actions: ['ModifyImageAttribute'] });
    const err = await failure(shareWith(imageId, '111122223333'));
    expect(err.name).toBe('UnauthorizedOperation');
    expect(err.$metadata?.httpStatusCode).toBe(403);
    expect(peer.requests[1]).toMatchObject({ action: 'ModifyImageAttribute', status: 403, errorCode: 'UnauthorizedOperation', injected: 'denied' });
    expect(await launchPermissions(imageId)).toEqual([]); // a read is not in the plan's actions

    await sleep(350);
    await shareWith(imageId, '111122223333');
    expect(await launchPermissions(imageId)).toEqual([{ UserId: '111122223333' }]);
  });

  test('restrictImageAccess: image-attribute calls on other AMIs answer UnauthorizedOperation (403); undefined lifts it', async () => {
    const [allowed, other] = [await createImage(ec2), await createImage(ec2)];
    peer.restrictImageAccess(new Set([allowed]));
    await shareWith(allowed, '111122223333');
    const err = await failure(shareWith(other, '111122223333'));
    expect(err.name).toBe('UnauthorizedOperation');
    expect(err.$metadata?.httpStatusCode).toBe(403);
    expect((await failure(launchPermissions(other))).name).toBe('UnauthorizedOperation');
    expect(peer.requests.filter(r => r.injected === 'iam').map(r => r.action)).toEqual(['ModifyImageAttribute', 'DescribeImageAttribute']);

    peer.restrictImageAccess(undefined);
    expect(await launchPermissions(other)).toEqual([]);
    expect(await launchPermissions(allowed)).toEqual([{ UserId: '111122223333' }]);
  });

  test('drop: the connection is destroyed without an answer, and the write is not applied', async () => {
    const imageId = await createImage(ec2);
    peer.injectFaults({ dropRate: 1 });
    const err = await failure(shareWith(imageId, '111122223333'));
    expect(err.$metadata?.httpStatusCode).toBeUndefined();
    expect(peer.requests[1]).toMatchObject({ action: 'ModifyImageAttribute', status: 0, injected: 'drop' });

    peer.clearFaults();
    expect(await launchPermissions(imageId)).toEqual([]);
  });

  test('latency: each affected request takes at least latencyMs', async () => {
    peer.injectFaults({ latencyMs: 250 });
    const started = Date.now();
    await ec2.send(new GetImageBlockPublicAccessStateCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(peer.requests[0].injected).toBe('latency');
  });

  test('actions: only the listed actions are affected', async () => {
    const imageId = await createImage(ec2);
    peer.injectFaults({ throttleRate: 1, actions: ['ModifyImageAttribute'] });
    expect((await failure(shareWith(imageId, '111122223333'))).name).toBe('RequestLimitExceeded');
    expect(await launchPermissions(imageId)).toEqual([]);
    expect(peer.requests.map((r) => r.injected)).toEqual([undefined, 'throttle', undefined]);
  });

  test('seed: the same plan gives the same faults, at about the planned rates', async () => {
    const imageId = await createImage(ec2);
    const plan = { throttleRate: 0.3, serverErrorRate: 0.2, dropRate: 0.1, seed: 42, actions: ['DescribeImageAttribute'] };
    const run = async (): Promise<Array<string | undefined>> => {
      peer.clearLog();
      peer.injectFaults(plan);
      for (let i = 0; i < 40; i++) {
        await launchPermissions(imageId).catch(() => undefined);
      }
      return peer.requests.map((r) => r.injected);
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    const count = (name: string | undefined) => first.filter((x) => x === name).length;
    expect(count('throttle')).toBeGreaterThan(4);
    expect(count('server-error')).toBeGreaterThan(2);
    expect(count('drop')).toBeGreaterThan(0);
    expect(count(undefined)).toBeGreaterThan(8);

    peer.clearLog();
    peer.injectFaults({ ...plan, seed: 43 });
    for (let i = 0; i < 40; i++) {
      await launchPermissions(imageId).catch(() => undefined);
    }
    expect(peer.requests.map((r) => r.injected)).not.toEqual(first);
  });

  test('an SDK client with retries rides out throttling and server errors', async () => {
    const imageId = await createImage(ec2);
    const retrying = ec2Client(peer.endpoint, { maxAttempts: 6 });
    try {
      peer.injectFaults({ throttleRate: 0.2, serverErrorRate: 0.2, seed: 3, actions: ['ModifyImageAttribute'] });
      for (const account of ['111122223333', '444455556666', '777788889999']) {
        await retrying.send(new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: [{ UserId: account }] } }));
      }
    } finally {
      retrying.destroy();
    }
    const writes = peer.writes();
    expect(writes.some((w) => w.injected !== undefined)).toBe(true);
    expect(writes.filter((w) => w.status === 200)).toHaveLength(3);
    peer.clearFaults();
    expect(new Set((await launchPermissions(imageId)).map((p) => p.UserId))).toEqual(
      new Set(['111122223333', '444455556666', '777788889999']));
  });

  test('stale reads: for staleReadsMs after a write, reads answer the state from before it', async () => {
    const imageId = await createImage(ec2, { description: 'old' });
    peer.injectFaults({ staleReadsMs: 600 });
    await shareWith(imageId, '111122223333');
    await ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, Description: { Value: 'new' } }));

    expect(await launchPermissions(imageId)).toEqual([]);
    expect((await attribute(imageId, 'description')).Description?.Value).toBe('old');
    expect(peer.requests.filter((r) => r.injected === 'stale-read')).toHaveLength(2);

    await sleep(650);
    expect(await launchPermissions(imageId)).toEqual([{ UserId: '111122223333' }]);
    expect((await attribute(imageId, 'description')).Description?.Value).toBe('new');
  });

  test('stale reads: a second write inside the window converges once that write is staleReadsMs old', async () => {
    const imageId = await createImage(ec2);
    peer.injectFaults({ staleReadsMs: 500 });
    await shareWith(imageId, '111122223333');
    await sleep(300);
    await shareWith(imageId, '444455556666');
    await sleep(250); // the first write is now older than the window, the second is not
    expect(await launchPermissions(imageId)).toEqual([{ UserId: '111122223333' }]);
    await sleep(300);
    expect(new Set((await launchPermissions(imageId)).map((p) => p.UserId))).toEqual(new Set(['111122223333', '444455556666']));
  });

  test('clearFaults stops injecting', async () => {
    peer.injectFaults({ throttleRate: 1 });
    await failure(ec2.send(new GetImageBlockPublicAccessStateCommand({})));
    peer.clearFaults();
    await ec2.send(new GetImageBlockPublicAccessStateCommand({}));
    expect(peer.requests.map((r) => r.injected)).toEqual(['throttle', undefined]);
  });
});

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
      cwd: path.join(__dirname, '..'),
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
