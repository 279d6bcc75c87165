// The steps a request passes before the emulations and moto see it. Each step may answer in EC2's place (IAM,
// throttling, server errors), drop the connection, or only mark the request (latency), so a refused or failed write
// never reaches moto. A new kind of fault is one more step: implement RequestStage and add it to the peer's list.
import { Answer, Call } from './protocol';

/** What one step decided for a request. */
export type Fault =
  /** Destroy the socket without answering. */
  | { readonly kind: 'drop' }
  /** Let the request through, recorded as delayed (the step has already waited). */
  | { readonly kind: 'latency' }
  /** Answer in EC2's place; `name` goes into the request log's `injected`. */
  | { readonly kind: 'answer'; readonly name: string; readonly answer: Answer };

export interface RequestStage {
  /** undefined lets the request through untouched. */
  decide(call: Call): Promise<Fault | undefined> | Fault | undefined;
}

/**
 * Runs the steps in order. The first 'drop' or 'answer' ends the run and is the outcome; a 'latency' mark is kept
 * unless a later step answers.
 */
export async function runStages(stages: readonly RequestStage[], call: Call): Promise<Fault | undefined> {
  let outcome: Fault | undefined;
  for (const stage of stages) {
    const fault = await stage.decide(call);
    if (fault?.kind === 'drop' || fault?.kind === 'answer') {
      return fault;
    }
    outcome = fault ?? outcome;
  }
  return outcome;
}
