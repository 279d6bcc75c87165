// A fresh instance of the bundled handler, as a new Lambda container would load it. Kept apart from cloud-assembly.ts
// (which needs aws-cdk-lib) so a container host process (container-host.ts) loads only this and the bundle.
import * as fs from 'fs';
import * as path from 'path';
import type { Handler } from './cfn-simulator';

/**
 * Its own module state, so its own EC2 client (and that client's retry state). `require` of Node's module cache would
 * hand every caller the same one. Evaluated in the caller's realm, so a test's console spies see its logs. Set AWS_*
 * variables first.
 */
export function loadHandlerInstance(handlerPath: string): Handler {
  const code = fs.readFileSync(handlerPath, 'utf8');
  const module = { exports: {} as { handler?: Handler } };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('exports', 'require', 'module', '__filename', '__dirname', code)(module.exports, require, module, handlerPath, path.dirname(handlerPath));
  if (typeof module.exports.handler !== 'function') throw new Error(`${handlerPath} exports no handler function`);
  return module.exports.handler;
}
