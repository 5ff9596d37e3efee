/**
 * Environment the benchmark needs, set before any application module is loaded (bench/run.ts
 * imports this first; api/auth.ts reads its login limit when it is loaded):
 * - every server listens on loopback only, whatever EVK_LISTEN_HOST says outside;
 * - the login rate limit (per address, and every bench browser is 127.0.0.1) is lifted, as in
 *   the test suite: the bench signs in one applicant per contract.
 */
process.env.EVK_LISTEN_HOST = '127.0.0.1';
process.env.EVK_LOGIN_ATTEMPTS_PER_10_MIN = '1000000';

export {};
