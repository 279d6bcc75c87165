// The EC2 peer's AMI usage reports (usage-reports.ts; moto has none), spoken to with the SDK so the peer's XML is what
// the SDK parses: pending then available, entries per account and resource type, the request validation of the API
// reference, owner-only creation, idempotency, expiry after 30 days, lastLaunchedTime, and IAM enforced.
import {
  CreateImageUsageReportCommand,
  CreateImageUsageReportCommandInput,
  DescribeImageAttributeCommand,
  DescribeImageUsageReportEntriesCommand,
  DescribeImageUsageReportsCommand,
  DescribeImagesCommand,
} from '@aws-sdk/client-ec2';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { createImage } from '../support/images';

const env = useHandlerEnvironment();
const A = '111122223333';
const B = '444455556666';
const C = '777788889999';
const BOTH_TYPES = [{ ResourceType: 'ec2:Instance' }, { ResourceType: 'ec2:LaunchTemplate' }];

const create = (input: Partial<CreateImageUsageReportCommandInput>) =>
  env.ec2.send(new CreateImageUsageReportCommand({ ImageId: undefined, ResourceTypes: BOTH_TYPES, ...input } as CreateImageUsageReportCommandInput));
const reportsOf = async (ReportIds: string[]) => (await env.ec2.send(new DescribeImageUsageReportsCommand({ ReportIds }))).ImageUsageReports ?? [];
const entriesOf = async (ReportIds: string[]) =>
  (await env.ec2.send(new DescribeImageUsageReportEntriesCommand({ ReportIds }))).ImageUsageReportEntries ?? [];
const codeOf = (promise: Promise<unknown>) => promise.then(() => 'succeeded', (e: Error) => e.name);

test('a report is pending until its delay has passed on the peer clock, then lists usage per account and resource type', async () => {
  const image = await createImage(env.ec2);
  env.peer.usage.record(image, A, 'ec2:Instance', 3);
  env.peer.usage.record(image, A, 'ec2:LaunchTemplate', 1);
  env.peer.usage.record(image, B, 'ec2:LaunchTemplate', 2);
  const start = new Date('2026-12-05T10:00:00.000Z');
  env.peer.clock.set(start);
  env.peer.usage.delayMs = 60_000;

  const { ReportId } = await create({ ImageId: image });
  expect(ReportId).toMatch(/^amiur-[0-9a-f]{17}$/);
  const [pending] = await reportsOf([ReportId!]);
  expect(pending).toMatchObject({ ImageId: image, ReportId, State: 'pending', CreationTime: start });
  expect(pending.ExpirationTime).toEqual(new Date(start.getTime() + 30 * 86_400_000));
  expect(pending.ResourceTypes?.map(t => t.ResourceType)).toEqual(['ec2:Instance', 'ec2:LaunchTemplate']);
  expect(await entriesOf([ReportId!])).toEqual([]);

  // Usage recorded after creation is not in the report: it is a snapshot.
  env.peer.usage.record(image, C, 'ec2:Instance', 9);
  env.peer.clock.set(new Date(start.getTime() + 60_000));
  expect((await reportsOf([ReportId!]))[0].State).toBe('available');
  const entries = await entriesOf([ReportId!]);
  expect(entries.map(e => [e.AccountId, e.ResourceType, e.UsageCount]).sort()).toEqual([
    [A, 'ec2:Instance', 3], [A, 'ec2:LaunchTemplate', 1], [B, 'ec2:LaunchTemplate', 2],
  ]);
  expect(entries.every(e => e.ImageId === image && e.ReportId === ReportId && e.ReportCreationTime?.getTime() === start.getTime())).toBe(true);

  // Filters of DescribeImageUsageReportEntries and DescribeImageUsageReports.
  const onlyB = await env.ec2.send(new DescribeImageUsageReportEntriesCommand({ ImageIds: [image], Filters: [{ Name: 'account-id', Values: [B] }] }));
  expect(onlyB.ImageUsageReportEntries?.map(e => e.AccountId)).toEqual([B]);
  const pendingOnes = await env.ec2.send(new DescribeImageUsageReportsCommand({ ImageIds: [image], Filters: [{ Name: 'state', Values: ['pending'] }] }));
  expect(pendingOnes.ImageUsageReports).toEqual([]);

  // Deleted 30 days after creation.
  env.peer.clock.set(new Date(start.getTime() + 30 * 86_400_000));
  expect(await reportsOf([ReportId!])).toEqual([]);
});

test('AccountId.N and ResourceType.N narrow the report; the launch-template version-depth option is kept', async () => {
  const image = await createImage(env.ec2);
  env.peer.usage.record(image, A, 'ec2:Instance', 3);
  env.peer.usage.record(image, B, 'ec2:Instance', 5);
  env.peer.usage.record(image, B, 'ec2:LaunchTemplate', 2);

  const { ReportId } = await create({
    ImageId: image,
    AccountIds: [B],
    ResourceTypes: [{ ResourceType: 'ec2:LaunchTemplate', ResourceTypeOptions: [{ OptionName: 'version-depth', OptionValues: ['50'] }] }],
  });

  const [report] = await reportsOf([ReportId!]);
  expect(report.AccountIds).toEqual([B]);
  expect(report.ResourceTypes).toEqual([{ ResourceType: 'ec2:LaunchTemplate', ResourceTypeOptions: [{ OptionName: 'version-depth', OptionValues: ['50'] }] }]);
  expect((await entriesOf([ReportId!])).map(e => [e.AccountId, e.ResourceType, e.UsageCount])).toEqual([[B, 'ec2:LaunchTemplate', 2]]);
  const wire = env.peer.requests.find(r => r.action === 'CreateImageUsageReport')!.params;
  expect(wire).toMatchObject({
    'AccountId.1': B,
    'ResourceType.1.ResourceType': 'ec2:LaunchTemplate',
    'ResourceType.1.ResourceTypeOption.1.OptionName': 'version-depth',
    'ResourceType.1.ResourceTypeOption.1.OptionValue.1': '50',
  });
});

test('invalid requests are refused as the API reference says', async () => {
  const image = await createImage(env.ec2);
  const accounts = Array.from({ length: 201 }, (_, i) => String(100000000000 + i));
  expect(await codeOf(create({ ImageId: 'ami-12345678901234567' }))).toBe('InvalidAMIID.NotFound');
  expect(await codeOf(create({ ImageId: 'ami-xyz' }))).toBe('InvalidAMIID.Malformed');
  expect(await codeOf(create({ ImageId: image, ResourceTypes: [] }))).toBe('MissingParameter');
  expect(await codeOf(create({ ImageId: image, ResourceTypes: [{ ResourceType: 'ec2:Volume' }] }))).toBe('InvalidParameterValue');
  expect(await codeOf(create({ ImageId: image, ResourceTypes: [{ ResourceType: 'ec2:Instance' }, { ResourceType: 'ec2:Instance' }] }))).toBe('InvalidParameterValue');
  expect(await codeOf(create({
    ImageId: image, ResourceTypes: [{ ResourceType: 'ec2:Instance', ResourceTypeOptions: [{ OptionName: 'version-depth', OptionValues: ['5'] }] }],
  }))).toBe('InvalidParameterValue');
  expect(await codeOf(create({
    ImageId: image, ResourceTypes: [{ ResourceType: 'ec2:LaunchTemplate', ResourceTypeOptions: [{ OptionName: 'version-depth', OptionValues: ['10001'] }] }],
  }))).toBe('InvalidParameterValue');
  expect(await codeOf(create({ ImageId: image, AccountIds: accounts }))).toBe('InvalidParameterValue');
  expect(await codeOf(create({ ImageId: image, AccountIds: ['12345'] }))).toBe('InvalidParameterValue');
  expect(await codeOf(create({ ImageId: image, AccountIds: accounts.slice(0, 200) }))).toBe('succeeded');
  expect(await codeOf(create({ ImageId: image, DryRun: true }))).toBe('DryRunOperation');
  expect(env.peer.usage.reportIds()).toHaveLength(1);
});

test('only the owner may create a report: an AMI of another account (moto\'s Amazon AMIs) is refused', async () => {
  const amazon = (await env.ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images?.[0]?.ImageId;
  expect(amazon).toBeDefined();
  expect(await codeOf(create({ ImageId: amazon }))).toBe('UnauthorizedOperation');
});

test('ClientToken: a retry gets the same report, different parameters are refused', async () => {
  const image = await createImage(env.ec2);
  const first = await create({ ImageId: image, ClientToken: 'plan-1' });
  const again = await create({ ImageId: image, ClientToken: 'plan-1' });
  expect(again.ReportId).toBe(first.ReportId);
  expect(await codeOf(create({ ImageId: image, ClientToken: 'plan-1', AccountIds: [A] }))).toBe('IdempotentParameterMismatch');
  expect(env.peer.usage.reportIds()).toEqual([first.ReportId]);
});

test('a report the peer is told to fail ends in state error with its reason', async () => {
  const image = await createImage(env.ec2);
  env.peer.usage.failWith = 'internal failure';
  const { ReportId } = await create({ ImageId: image });
  expect(await reportsOf([ReportId!])).toEqual([expect.objectContaining({ State: 'error', StateReason: 'internal failure' })]);
  expect(await entriesOf([ReportId!])).toEqual([]);
});

test('DescribeImageAttribute lastLaunchedTime: empty until the AMI was launched, then the time', async () => {
  const image = await createImage(env.ec2);
  const read = async () => (await env.ec2.send(new DescribeImageAttributeCommand({ ImageId: image, Attribute: 'lastLaunchedTime' }))).LastLaunchedTime?.Value;
  expect(await read()).toBeUndefined();
  env.peer.usage.setLastLaunched(image, new Date('2026-11-30T08:15:00.000Z'));
  expect(await read()).toBe('2026-11-30T08:15:00.000Z');
  expect((await env.ec2.send(new DescribeImagesCommand({ ImageIds: [image] }))).Images?.[0]?.LastLaunchedTime).toBe('2026-11-30T08:15:00.000Z');
  expect(await codeOf(env.ec2.send(new DescribeImageAttributeCommand({ ImageId: 'ami-12345678901234567', Attribute: 'lastLaunchedTime' }))))
    .toBe('InvalidAMIID.NotFound');
});

test('IAM: CreateImageUsageReport is authorized on the image and on the new report; the Describe calls on *', async () => {
  const image = await createImage(env.ec2);
  const other = await createImage(env.ec2);
  env.peer.enforceIdentityPolicies([{
    name: 'UsageOnOneImage',
    document: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'ec2:CreateImageUsageReport', Resource: [`arn:aws:ec2:us-east-1::image/${image}`, 'arn:aws:ec2:*:*:image-usage-report/*'] },
        { Effect: 'Allow', Action: ['ec2:DescribeImageUsageReports', 'ec2:DescribeImageUsageReportEntries'], Resource: '*' },
      ],
    },
  }]);
  env.peer.clearLog();

  const { ReportId } = await create({ ImageId: image });
  expect(await reportsOf([ReportId!])).toHaveLength(1);
  expect(await entriesOf([ReportId!])).toEqual([]);
  expect(await codeOf(create({ ImageId: other }))).toBe('UnauthorizedOperation');

  const verdicts = env.peer.iamVerdicts().map(v => [v.action, v.resource, v.result]);
  expect(verdicts).toEqual([
    ['ec2:CreateImageUsageReport', `arn:aws:ec2:us-east-1::image/${image}`, 'Allowed'],
    ['ec2:CreateImageUsageReport', 'arn:aws:ec2:us-east-1:123456789012:image-usage-report/*', 'Allowed'],
    ['ec2:DescribeImageUsageReports', '*', 'Allowed'],
    ['ec2:DescribeImageUsageReportEntries', '*', 'Allowed'],
    ['ec2:CreateImageUsageReport', `arn:aws:ec2:us-east-1::image/${other}`, 'ImplicitlyDenied'],
    ['ec2:CreateImageUsageReport', 'arn:aws:ec2:us-east-1:123456789012:image-usage-report/*', 'Allowed'],
  ]);

  // Without the report resource, creation is refused even on the allowed image.
  env.peer.enforceIdentityPolicies([{
    name: 'ImageOnly',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:CreateImageUsageReport', Resource: `arn:aws:ec2:us-east-1::image/${image}` }] },
  }]);
  expect(await codeOf(create({ ImageId: image }))).toBe('UnauthorizedOperation');
  expect(env.peer.writes().map(w => w.action)).toEqual(['CreateImageUsageReport', 'CreateImageUsageReport', 'CreateImageUsageReport']);
});
