// Custom::AmiImdsPolicy: whether a deploy sets imdsSupport to v2.0 (the handler's needsImdsV2). A Delete never
// writes (EC2 cannot undo v2.0), so removing the construct changes nothing on the AMI.
import { declarationProblem, Findings, PlannerInput, PlannerOutput, ResourcePlanner, withImageId } from './planner';
import { needsImdsV2 } from '../../lambda/imds-policy/plan';
import { parseImdsPolicyProperties } from '../../lambda/imds-policy/resource';

export const imdsPolicyPlanner: ResourcePlanner = {
  async plan(input: PlannerInput): Promise<PlannerOutput> {
    const findings = new Findings(input.where);
    const { desired, deployed, action } = input;

    if (deployed?.image.id) {
      const live = findings.value(await input.live.imdsSupport(deployed.image.id), deployed.image.id, 'deployed');
      if (live && needsImdsV2(live.value)) findings.drift.push({ kind: 'imds-support', imageId: deployed.image.id, live: live.value });
    }

    if ((action === 'create' || action === 'update' || action === 'replace') && desired) {
      const problem = declarationProblem(() => parseImdsPolicyProperties(withImageId(desired.properties, desired.image)));
      if (problem) {
        findings.addError(problem);
      } else if (!desired.image.id) {
        findings.changes.push({ kind: 'require-imdsv2' });
      } else {
        const live = findings.value(await input.live.imdsSupport(desired.image.id), desired.image.id, 'target');
        if (live && needsImdsV2(live.value)) findings.changes.push({ kind: 'require-imdsv2', imageId: desired.image.id, from: live.value });
      }
    }
    if (action === 'replace' || action === 'delete') {
      findings.notes.push(`imdsSupport stays v2.0 on ${deployed?.image.id ?? 'the deployed AMI'}: EC2 cannot undo it`);
    }
    return findings;
  },
};
