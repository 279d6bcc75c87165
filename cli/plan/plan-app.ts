// The plan of every selected stack: read what is deployed (CloudFormation), pair it with what is synthesised, then let
// each resource type's planner read the live AMIs (EC2) and decide with the handler's modules. Reads only.
import { enforcementScheduleOf } from '../../lambda/deployed-stack/library-resources';
import { CLOUDFORMATION_READS, DeployedStack, readDeployedStack, readExports } from '../../lambda/deployed-stack/read';
import { importsValues, Resolver } from '../../lambda/deployed-stack/resolve';
import type { LaunchPermissionsDeclaration } from '../../lambda/launch-permissions/properties';
import type { AssemblyStack } from '../assembly';
import { AwsClients, describeFailure, FatalAwsError, throwIfFatal } from '../aws';
import { LiveState } from '../live';
import { launchPermissionsDeclarationOf } from './launch-permissions';
import { ConstructPlan, PlanReport, StackPlan } from './model';
import type { PlannerInput } from './planner';
import { PLANNERS } from './planners';
import { ConstructPair, pairConstructs } from './sides';

interface StackInputs {
  readonly stack: AssemblyStack;
  readonly region: string;
  readonly deployed?: DeployedStack;
  readonly pairs: ConstructPair[];
  readonly error?: string;
}

export async function planApp(stacks: AssemblyStack[], clients: AwsClients): Promise<PlanReport> {
  const inputs: StackInputs[] = [];
  for (const stack of stacks) inputs.push(await readStack(stack, clients));

  // What every AmiLaunchPermissions of the app declares on each AMI (now or as deployed), by logical id: one construct's
  // drift never includes principals, grants or snapshot permissions another construct of this library owns.
  const declared = new Map<string, Array<{ owner: string; declaration: LaunchPermissionsDeclaration }>>();
  for (const { stack, pairs } of inputs) {
    for (const pair of pairs) {
      for (const side of [pair.desired, pair.deployed]) {
        const declaration = pair.resourceType === 'Custom::AmiLaunchPermissions' ? launchPermissionsDeclarationOf(side) : undefined;
        if (!declaration) continue;
        const list = declared.get(declaration.imageId) ?? [];
        list.push({ owner: `${stack.stackName}/${pair.logicalId}`, declaration });
        declared.set(declaration.imageId, list);
      }
    }
  }

  // One LiveState per Region the AMIs are read in (as the clients): stacks that declare on the same AMI read it once.
  const lives = new Map<string | undefined, LiveState>();
  const report: StackPlan[] = [];
  for (const { stack, region, deployed, pairs, error } of inputs) {
    const live = lives.get(stack.region) ?? new LiveState(clients.ec2(stack.region), clients.kms(stack.region));
    lives.set(stack.region, live);
    const constructs: ConstructPlan[] = [];
    for (const pair of pairs) {
      const owner = `${stack.stackName}/${pair.logicalId}`;
      const otherDeclarations = (imageId: string) => (declared.get(imageId) ?? []).filter(d => d.owner !== owner).map(d => d.declaration);
      constructs.push(await planConstruct(pair, live, otherDeclarations, region));
    }
    report.push({
      stackName: stack.stackName,
      displayName: stack.displayName,
      region,
      deployedStatus: deployed?.status,
      enforcement: enforcementScheduleOf(deployed?.template),
      constructs,
      errors: error ? [error] : [],
    });
  }
  return { stacks: report };
}

async function readStack(stack: AssemblyStack, clients: AwsClients): Promise<StackInputs> {
  const cfn = clients.cloudFormation(stack.region);
  const region = stack.region ?? await clients.configuredRegion();
  try {
    const deployed = await readDeployedStack(cfn, stack.stackName, planCallFailure);
    const exports = importsValues(stack.template) || importsValues(deployed?.template) ? await readExports(cfn, planCallFailure) : {};
    return { stack, region, deployed, pairs: pairConstructs(stack, deployed, new Resolver(deployed, exports)) };
  } catch (error) {
    if (error instanceof FatalAwsError) throw error;
    // Without the deployed declaration the plan would call every principal new: plan nothing for this stack.
    return { stack, region, pairs: [], error: `cannot read the deployed stack: ${(error as Error).message}` };
  }
}

/** A failed CloudFormation read of the plan: fatal ones stop it; others name the permission the plan needs. */
function planCallFailure(error: unknown, what: string): Error {
  throwIfFatal(error, what);
  return new Error(describeFailure(error, what, CLOUDFORMATION_READS));
}

async function planConstruct(
  pair: ConstructPair, live: LiveState, otherDeclarations: PlannerInput['otherDeclarations'], region: string): Promise<ConstructPlan> {
  const base = {
    path: pair.path,
    logicalId: pair.logicalId,
    resourceType: pair.resourceType,
    action: pair.action,
    image: pair.desired?.image ?? pair.deployed!.image,
    previousImageId: pair.action === 'replace' ? pair.deployed?.image.id : undefined,
  };
  const planner = PLANNERS[pair.resourceType];
  if (!planner) {
    return { ...base, changes: [], drift: [], notes: [], errors: [`${pair.resourceType} is not known to this version of cdk-ami-sharing plan; use the version the app uses`] };
  }
  const out = await planner.plan({ action: pair.action, desired: pair.desired, deployed: pair.deployed, live, otherDeclarations, where: region });
  return {
    ...base,
    mode: out.mode,
    changes: out.changes,
    drift: out.drift,
    errors: out.errors,
    notes: out.notes,
    ...out.supersededImages ? { supersededImages: out.supersededImages } : {},
  };
}
