// The plan's pure parts: command line, template expressions resolved with the deployed stack, physical ids (made by
// the handler's own functions), and what CloudFormation would do with each construct.
import { parseArgs, UsageError } from '../../cli/args';
import { exitCodeOf } from '../../cli/plan/model';
import { pairConstructs } from '../../cli/plan/sides';
import { imageIdOfPhysicalId } from '../../lambda/deployed-stack/physical-ids';
import type { DeployedStack } from '../../lambda/deployed-stack/read';
import { Resolver } from '../../lambda/deployed-stack/resolve';
import { descriptionPhysicalId } from '../../lambda/description/original';
import { imdsPolicyPhysicalId } from '../../lambda/imds-policy/resource';
import { launchPermissionsPhysicalId } from '../../lambda/launch-permissions/resource';

const IMAGE = 'ami-0123456789abcdef0';

function deployedStack(overrides: Partial<DeployedStack> = {}): DeployedStack {
  return {
    stackName: 'Golden',
    stackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/Golden/1111',
    status: 'UPDATE_COMPLETE',
    template: { Resources: {}, Outputs: { Built: { Value: { 'Fn::GetAtt': ['Image', 'ImageId'] } } } },
    parameters: { Ami: IMAGE },
    resources: new Map([['Role', { type: 'AWS::IAM::Role', physicalId: 'Golden-Role-1' }]]),
    outputs: [{ key: 'Built', value: 'ami-11111111' }],
    ...overrides,
  };
}

describe('Resolver', () => {
  const resolver = new Resolver(deployedStack(), { SharedAmi: 'ami-22222222' });

  test.each([
    [{ Ref: 'Ami' }, IMAGE],
    [{ Ref: 'Role' }, 'Golden-Role-1'],
    [{ Ref: 'AWS::Region' }, 'eu-west-1'],
    [{ Ref: 'AWS::AccountId' }, '123456789012'],
    [{ 'Fn::GetAtt': ['Image', 'ImageId'] }, 'ami-11111111'],
    [{ 'Fn::ImportValue': 'SharedAmi' }, 'ami-22222222'],
    [{ 'Fn::Join': ['-', [{ Ref: 'AWS::Partition' }, 'x']] }, 'aws-x'],
    [{ 'Fn::Sub': '${AWS::StackName}/${Ami}' }, `Golden/${IMAGE}`],
    [{ 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b'] }] }, 'b'],
  ])('%j resolves to %s', (expression, value) => {
    expect(resolver.resolve(expression)).toBe(value);
  });

  test('what only a deployment knows stays unresolved, with its expression', () => {
    const getAtt = { 'Fn::GetAtt': ['Other', 'ImageId'] };
    expect(resolver.resolve({ ImageId: getAtt, Mode: 'ADDITIVE' })).toEqual({ ImageId: { $unresolved: getAtt }, Mode: 'ADDITIVE' });
    expect(new Resolver(undefined).resolve({ Ref: 'Ami' })).toEqual({ $unresolved: { Ref: 'Ami' } });
  });
});

test('physical ids are read back with the formats the handler makes them in', () => {
  expect(imageIdOfPhysicalId('Custom::AmiLaunchPermissions', launchPermissionsPhysicalId(IMAGE))).toBe(IMAGE);
  expect(imageIdOfPhysicalId('Custom::AmiImdsPolicy', imdsPolicyPhysicalId(IMAGE))).toBe(IMAGE);
  expect(imageIdOfPhysicalId('Custom::AmiDescription', descriptionPhysicalId(IMAGE, 'own / description'))).toBe(IMAGE);
  expect(imageIdOfPhysicalId('Custom::AmiLaunchPermissions', 'Share-not-created')).toBeUndefined();
});

describe('pairConstructs: what CloudFormation would do', () => {
  const share = (imageId: unknown, permissions = [{ UserId: '111122223333' }]) => ({
    Type: 'Custom::AmiLaunchPermissions',
    Properties: { ServiceToken: { 'Fn::GetAtt': ['CdkAmiSharingHandlerFunction', 'Arn'] }, ImageId: imageId, Permissions: permissions, Mode: 'ADDITIVE' },
    Metadata: { 'aws:cdk:path': 'Golden/Share/Resource/Default' },
  });
  const assembly = (resources: Record<string, unknown>) => ({ stackName: 'Golden', displayName: 'Golden', template: { Resources: resources } });
  const plan = (now: Record<string, unknown>, before: Record<string, unknown> | undefined, physicalId = launchPermissionsPhysicalId(IMAGE)) => {
    const deployed = before ? deployedStack({
      template: { Resources: before },
      resources: new Map(Object.keys(before).map(id => [id, { type: 'Custom::AmiLaunchPermissions', physicalId }])),
    }) : undefined;
    return pairConstructs(assembly(now), deployed, new Resolver(deployed));
  };

  test('create, none, update, replace, delete', () => {
    expect(plan({ Share: share(IMAGE) }, undefined)[0]).toMatchObject({ action: 'create', path: 'Golden/Share' });
    expect(plan({ Share: share(IMAGE) }, { Share: share(IMAGE) })[0].action).toBe('none');
    expect(plan({ Share: share(IMAGE, []) }, { Share: share(IMAGE) })[0].action).toBe('update');
    expect(plan({ Share: share('ami-99999999') }, { Share: share(IMAGE) })[0]).toMatchObject({ action: 'replace', deployed: { image: { id: IMAGE } } });
    expect(plan({}, { Share: share(IMAGE) })[0].action).toBe('delete');
  });

  test('a token image id: the AMI from the deployed physical id while the expression is unchanged', () => {
    const token = { Ref: 'GoldenAmi' };
    const [pair] = plan({ Share: share(token) }, { Share: share(token) });
    expect(pair.action).toBe('none');
    expect(pair.desired!.image).toEqual({ id: IMAGE, source: 'deployed', expression: token });
  });

  test('a token image id whose resource changes in this deploy is resolved at deploy', () => {
    const token = { 'Fn::GetAtt': ['Image', 'ImageId'] };
    const image = (version: string) => ({ Type: 'AWS::ImageBuilder::Image', Properties: { ImageRecipeArn: version } });
    const [pair] = plan({ Share: share(token), Image: image('2') }, { Share: share(token), Image: image('1') });
    expect(pair).toMatchObject({ action: 'replace', desired: { image: { source: 'unresolved' } } });
  });
});

test('command line', () => {
  expect(parseArgs(['plan'])).toEqual({ command: 'plan', app: 'cdk.out', stacks: [], json: false });
  expect(parseArgs(['plan', '--app=out', '--stack', 'A', '--stack', 'B', '--json'])).toEqual({ command: 'plan', app: 'out', stacks: ['A', 'B'], json: true });
  expect(parseArgs([])).toEqual({ command: 'help' });
  expect(() => parseArgs(['apply'])).toThrow(new UsageError('unknown command "apply" (the only command is plan)'));
  expect(() => parseArgs(['plan', '--app'])).toThrow('--app needs a value');
});

test('exit codes: 1 for any error, else 2 for any change or drift, else 0', () => {
  const construct = { path: 'S/C', logicalId: 'C', resourceType: 'Custom::AmiImdsPolicy', image: { id: IMAGE, source: 'literal' as const } };
  const report = (c: object) => ({ stacks: [{ stackName: 'S', displayName: 'S', errors: [], constructs: [{ ...construct, action: 'none' as const, changes: [], drift: [], errors: [], notes: [], ...c }] }] });
  expect(exitCodeOf(report({}))).toBe(0);
  expect(exitCodeOf(report({ notes: ['x'] }))).toBe(0);
  expect(exitCodeOf(report({ drift: [{ kind: 'image-gone', imageId: IMAGE }] }))).toBe(2);
  expect(exitCodeOf(report({ action: 'update' }))).toBe(2);
  expect(exitCodeOf(report({ drift: [{ kind: 'image-gone', imageId: IMAGE }], errors: ['x'] }))).toBe(1);
});
