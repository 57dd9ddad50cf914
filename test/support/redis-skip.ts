let announced = false;

/**
 * Says once per run (however many suites need Redis) that the Redis suites were skipped and how to run them. Called
 * from a root `before` hook of each suite that needs `REDIS_URL`.
 */
export function announceRedisSkip(): void {
  if (announced) return;
  announced = true;
  console.log("  skipped: Redis suites — storage contract and throttles (REDIS_URL not set; start Redis and set REDIS_URL=redis://127.0.0.1:6379)");
}
