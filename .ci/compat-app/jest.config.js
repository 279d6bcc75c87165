// The tests run as compiled by `tsc -p .` (the job compiles once for the app and the test).
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.js'],
};
