"""The gateway in front of the model services: per-key budgets (limits, redis_budgets), the
circuit breaker, the reply cache (cache, redis_cache) and keys. It imports no provider: `llm`
(the OpenAI and offline providers, the endpoint pool) sits above it and uses it."""
