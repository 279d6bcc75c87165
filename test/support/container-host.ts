// A host process for simulated Lambda containers (see container-pool.ts): loads one fresh handler instance per
// container it is given and runs the events the pool sends it, one answer message per event. The handler answers
// CloudFormation itself, by its PUT to the event's ResponseURL; this message only says the invocation has returned.
import { lambdaContext } from './cfn-simulator';
import type { HostMessage, PoolMessage } from './container-pool';
import { loadHandlerInstance } from './handler-instance';

const handlers: Array<ReturnType<typeof loadHandlerInstance>> = [];

function send(message: HostMessage): void {
  process.send!(message);
}

process.on('message', (message: PoolMessage) => {
  if (message.kind === 'load') {
    try {
      if (message.retryMode === undefined) delete process.env.AWS_RETRY_MODE;
      else process.env.AWS_RETRY_MODE = message.retryMode;
      for (let i = 0; i < message.containers; i++) handlers.push(loadHandlerInstance(message.handlerPath));
      send({ kind: 'loaded' });
    } catch (error) {
      send({ kind: 'loaded', error: String(error) });
    }
    return;
  }
  handlers[message.container](message.event, lambdaContext(message.remainingMs)).then(
    () => send({ kind: 'returned', invocation: message.invocation }),
    (error: unknown) => send({ kind: 'returned', invocation: message.invocation, error: String(error) }));
});

// The pool's disconnect (or its death) ends the host.
process.on('disconnect', () => process.exit(0));
