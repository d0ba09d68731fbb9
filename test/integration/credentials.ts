/** The credentials the integration workspace's `.env` holds; the tests' emulator accepts exactly these. */
export const INTEGRATION_CREDENTIALS = { apiKey: 'integration-key', apiSecret: 'integration-secret-V4LUE' };
