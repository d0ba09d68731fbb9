// Loaded before the unit tests: a promise rejection nobody handled is a bug, so it fails the run.
process.on('unhandledRejection', (reason) => {
  console.log(`Unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
  process.exitCode = 1;
});
