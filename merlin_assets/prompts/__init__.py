"""Prompts for every LLM phase, as module constants and small builders over Inputs."""
