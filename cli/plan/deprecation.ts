// Custom::AmiDeprecation: what a deploy does to the AMI's deprecation time (the handler's planDeprecation, with the
// same clock rule for a passed time), what CloudFormation's Delete restores, and drift from the deployed declaration.
import { declarationProblem, DeployedSide, Findings, PlannerInput, PlannerOutput, ResourcePlanner, withImageId } from './planner';
import { parseDeprecationPhysicalId } from '../../lambda/deprecation/original';
import { planDeprecation } from '../../lambda/deprecation/plan';
import { parseDeprecationProperties } from '../../lambda/deprecation/resource';

export const deprecationPlanner: ResourcePlanner = {
  async plan(input: PlannerInput): Promise<PlannerOutput> {
    const findings = new Findings(input.where);
    const { desired, deployed, action } = input;
    const now = new Date();

    const declared = deployed?.image.id ? declaredTime(deployed) : undefined;
    if (deployed?.image.id && declared) {
      const live = findings.value(await input.live.deprecation(deployed.image.id), deployed.image.id, 'deployed');
      // Drift: a deploy of the deployed declaration would have to write.
      if (live && planDeprecation(deployed.image.id, declared, live.value, now, 'DeprecateAt').change.action !== 'none') {
        findings.drift.push({ kind: 'deprecation', imageId: deployed.image.id, live: live.value.deprecationTime?.toISOString(), declared: declared.toISOString() });
      }
    }

    if ((action === 'create' || action === 'update' || action === 'replace') && desired) {
      const properties = withImageId(desired.properties, desired.image);
      const problem = declarationProblem(() => parseDeprecationProperties(properties));
      if (problem) {
        findings.addError(problem);
      } else if (!desired.image.id) {
        findings.changes.push({ kind: 'set-deprecation', to: parseDeprecationProperties(properties).deprecateAt.toISOString() });
      } else {
        const target = parseDeprecationProperties(properties).deprecateAt;
        const live = findings.value(await input.live.deprecation(desired.image.id), desired.image.id, 'target');
        if (live) {
          const decision = planDeprecation(desired.image.id, target, live.value, now, 'DeprecateAt');
          if (decision.refusal) {
            findings.addError(`the deploy would fail: ${decision.refusal}`);
          } else if (decision.change.action !== 'none') {
            findings.changes.push({
              kind: 'set-deprecation',
              imageId: desired.image.id,
              from: live.value.deprecationTime?.toISOString(),
              to: decision.change.action === 'enable' ? decision.change.at.toISOString() : undefined,
              ...(decision.passed ? { declaredTimePassed: true } : {}),
            });
          }
        }
      }
    }
    if (action === 'replace' && deployed) await restore(input, findings, deployed, now, deployed.updateReplacePolicy);
    if (action === 'delete' && deployed) await restore(input, findings, deployed, now, deployed.deletionPolicy);
    return findings;
  },
};

function declaredTime(deployed: DeployedSide): Date | undefined {
  const value = deployed.properties.DeprecateAt;
  const time = typeof value === 'string' ? new Date(value) : undefined;
  return time && !Number.isNaN(time.getTime()) ? time : undefined;
}

/** CloudFormation's Delete of the deployed resource: the handler restores the original its physical id remembers. */
async function restore(input: PlannerInput, findings: Findings, deployed: DeployedSide, now: Date, policy?: string) {
  const remembered = deployed.physicalId ? parseDeprecationPhysicalId(deployed.physicalId) : undefined;
  if (!remembered) return;
  if (policy === 'Retain') {
    findings.notes.push(`RemovalPolicy RETAIN: the deprecation of ${remembered.imageId} stays`);
    return;
  }
  const live = findings.value(await input.live.deprecation(remembered.imageId), remembered.imageId, 'deployed');
  if (!live) return;
  const decision = planDeprecation(remembered.imageId, remembered.original, live.value, now, 'restoring the original deprecation time');
  if (decision.refusal) {
    findings.notes.push(`${decision.refusal}; the Delete leaves the deprecation as it is`);
  } else if (decision.change.action !== 'none') {
    findings.changes.push({
      kind: 'restore-deprecation',
      imageId: remembered.imageId,
      from: live.value.deprecationTime?.toISOString(),
      to: decision.change.action === 'enable' ? decision.change.at.toISOString() : undefined,
    });
  }
}
