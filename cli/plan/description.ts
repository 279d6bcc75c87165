// Custom::AmiDescription: whether a deploy sets the description (the handler's descriptionNeedsWrite), whether
// CloudFormation's Delete restores the original the physical id remembers, and drift from the deployed description.
import { declarationProblem, DeployedSide, Findings, PlannerInput, PlannerOutput, ResourcePlanner, withImageId } from './planner';
import { containsUnresolved } from '../../lambda/deployed-stack/resolve';
import { parseDescriptionPhysicalId } from '../../lambda/description/original';
import { descriptionNeedsWrite } from '../../lambda/description/plan';
import { parseDescriptionProperties } from '../../lambda/description/resource';

export const descriptionPlanner: ResourcePlanner = {
  async plan(input: PlannerInput): Promise<PlannerOutput> {
    const findings = new Findings(input.where);
    const { desired, deployed, action } = input;

    const declared = deployed ? deployedDescription(deployed) : undefined;
    if (deployed?.image.id && declared !== undefined) {
      const live = findings.value(await input.live.description(deployed.image.id), deployed.image.id, 'deployed');
      if (live && descriptionNeedsWrite(live.value, declared)) {
        findings.drift.push({ kind: 'description', imageId: deployed.image.id, live: live.value, declared });
      }
    }

    if ((action === 'create' || action === 'update' || action === 'replace') && desired) {
      const properties = withImageId(desired.properties, desired.image);
      const problem = containsUnresolved(desired.properties.Description)
        ? undefined : declarationProblem(() => parseDescriptionProperties(properties));
      if (problem) {
        findings.addError(problem);
      } else if (typeof properties.Description !== 'string') {
        findings.notes.push('the description is a token resolved at deploy');
      } else if (!desired.image.id) {
        findings.changes.push({ kind: 'set-description', to: properties.Description });
      } else {
        const live = findings.value(await input.live.description(desired.image.id), desired.image.id, 'target');
        if (live && descriptionNeedsWrite(live.value, properties.Description)) {
          findings.changes.push({ kind: 'set-description', imageId: desired.image.id, from: live.value, to: properties.Description });
        }
      }
    }
    if (action === 'replace' && deployed) await restore(input, findings, deployed, deployed.updateReplacePolicy);
    if (action === 'delete' && deployed) await restore(input, findings, deployed, deployed.deletionPolicy);
    return findings;
  },
};

function deployedDescription(deployed: DeployedSide): string | undefined {
  const value = deployed.properties.Description;
  return typeof value === 'string' ? value : undefined;
}

/** CloudFormation's Delete of the deployed resource: the handler restores the original its physical id remembers. */
async function restore(input: PlannerInput, findings: Findings, deployed: DeployedSide, policy?: string) {
  const remembered = deployed.physicalId ? parseDescriptionPhysicalId(deployed.physicalId) : undefined;
  if (!remembered) return;
  if (policy === 'Retain') {
    findings.notes.push(`RemovalPolicy RETAIN: the description of ${remembered.imageId} stays`);
    return;
  }
  const original = remembered.original ?? '';
  const live = findings.value(await input.live.description(remembered.imageId), remembered.imageId, 'deployed');
  if (live && descriptionNeedsWrite(live.value, original)) {
    findings.changes.push({ kind: 'restore-description', imageId: remembered.imageId, from: live.value, to: original });
  }
}
