"""The gateway in front of the model services: keys, per-key budgets (limits, redis_budgets),
the spending cap (spending, redis_spending), the circuit breaker (one module per store), the
reply cache (cache, redis_cache), and shared_state, which picks the local or the Redis one of
each. It imports no provider: `llm` (the OpenAI and offline providers and the endpoint pool)
sits above it and uses it."""
