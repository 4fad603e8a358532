// The fault suite (`npm run test:faults`, docs/operations.md): the services as real processes from
// dist/, killed and restarted for real, on a Kafka, Redis and PostgreSQL of the suite's own that
// it also restarts. One case at a time, in band: each one loads the whole machine.
const base = require('./jest.config.js');
const integration = base.projects.find((project) => project.displayName === 'integration');

module.exports = {
  rootDir: __dirname,
  displayName: 'faults',
  testEnvironment: integration.testEnvironment,
  transform: integration.transform,
  moduleFileExtensions: integration.moduleFileExtensions,
  moduleNameMapper: integration.moduleNameMapper,
  testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
  globalSetup: '<rootDir>/test/faults/global-setup.ts',
  globalTeardown: '<rootDir>/test/faults/global-teardown.ts',
  maxWorkers: 1,
  // A case takes 30–100 s; a failing one waits up to 3 min to settle before it reports what is missing.
  testTimeout: 420000,
  slowTestThreshold: 300,
  forceExit: process.env.CI === 'true',
};
