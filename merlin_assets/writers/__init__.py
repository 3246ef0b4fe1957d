"""Text helpers the rule-based writers share: picking, capping and wording copy."""
