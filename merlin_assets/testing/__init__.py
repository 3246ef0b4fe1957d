"""Test doubles for the outside world: a local OpenAI-compatible server with fault injection."""
