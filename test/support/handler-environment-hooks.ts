// The jest hooks every test file against moto shares: one environment per file, a clean peer and a quiet handler
// before each test.
import { HandlerEnvironment, startHandlerEnvironment } from './handler-environment';

/**
 * Registers the hooks and returns the file's environment. Its properties can be used from inside tests and hooks
 * (they are read from the environment started in beforeAll).
 */
export function useHandlerEnvironment(): HandlerEnvironment {
  let current: HandlerEnvironment | undefined;
  beforeAll(async () => { current = await startHandlerEnvironment(); });
  afterAll(async () => { await current?.stop(); });
  beforeEach(async () => {
    await current!.peer.reset();
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());
  return new Proxy({} as HandlerEnvironment, {
    get: (_target, property) => {
      if (!current) throw new Error('the handler environment starts in beforeAll: use it inside tests and hooks');
      return current[property as keyof HandlerEnvironment];
    },
  });
}
